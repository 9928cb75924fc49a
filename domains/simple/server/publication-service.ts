// PUBLISH for the presence package (RFC 3903 §6 with RFC 3856 bodies): the body is checked
// before the Event State Compositor keeps it (malformed PIDF or a tuple without <basic> → 400,
// wrong type → 415, too large → 413, XML bombs refused by the parser → 400), each publication is
// kept apart under its entity-tag with its own expiry, and the composed view is rebuilt from
// every live publication — the user's and the Presence Network Agent's.
import type { Clock } from '../../../common/clock.ts';
import type { IdSource } from '../../../common/ids.ts';
import { PIDF_CONTENT_TYPE, type Pidf, parsePidf } from '../payloads/pidf.ts';
import type { SipRequest } from '../sip/message/sip-message.ts';
import {
  EventStateCompositor,
  eventPackage,
  handlePublishRequest,
  type PublicationChange,
  type PublishOutcome,
} from '../sip/publication/index.ts';
import { composePresence, type SourceDocument } from './presence-composer.ts';

export interface PublicationServiceOptions {
  clock: Clock;
  ids: IdSource;
  maxBodyBytes?: number;
  minExpires?: number;
  maxExpires?: number;
}

export class PublicationService {
  readonly esc: EventStateCompositor;
  private readonly parsed = new Map<string, { resource: string; body: Buffer; doc: Pidf }>();
  private readonly maxBodyBytes: number;

  constructor(
    private readonly options: PublicationServiceOptions,
    private readonly changed: (resource: string) => void,
  ) {
    this.maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
    this.esc = new EventStateCompositor({
      clock: options.clock,
      ids: options.ids,
      minExpires: options.minExpires ?? 60,
      maxExpires: options.maxExpires ?? 3600,
      events: { presence: [PIDF_CONTENT_TYPE] },
      maxBodyBytes: this.maxBodyBytes,
    });
    this.esc.onChange((c) => this.onChange(c));
  }

  /** Checks the PIDF of a PUBLISH (before the ESC sees it); undefined when acceptable. */
  checkBody(body: Buffer, contentType: string | undefined, entity: string): PublishOutcome | undefined {
    if (body.length === 0) return undefined;
    if (body.length > this.maxBodyBytes)
      return { status: 413, reason: 'Request Entity Too Large', headers: [] };
    const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== PIDF_CONTENT_TYPE) {
      return {
        status: 415,
        reason: 'Unsupported Media Type',
        headers: [{ name: 'Accept', value: PIDF_CONTENT_TYPE }],
      };
    }
    const doc = parsePidf(body, { maxBytes: this.maxBodyBytes });
    if (!doc.ok)
      return { status: 400, reason: `Bad Request - ${reasonText(doc.error.message)}`, headers: [] };
    // RFC 3863 makes <basic> optional, but a presence publication whose tuple says neither open
    // nor closed tells watchers nothing; PS2 refuses it (the lab's policy, as Kamailio does).
    const bare = doc.value.tuples.find((t) => t.status.basic === undefined);
    if (bare)
      return {
        status: 400,
        reason: `Bad Request - tuple ${reasonText(bare.id)} has no basic status`,
        headers: [],
      };
    // RFC 3903 §6 step 4 (and RFC 3856 §6.4): the entity must be the presentity's.
    if (!sameEntity(doc.value.entity, entity)) {
      return { status: 400, reason: 'Bad Request - entity does not match the Request-URI', headers: [] };
    }
    return undefined;
  }

  /** A PUBLISH from the network, already authorized. */
  publish(request: SipRequest, resource: string): PublishOutcome {
    // RFC 3903 §6 step 2 comes first: an unknown event package is 489 whatever the body.
    if (eventPackage(request.headers.get('Event')) === 'presence') {
      const bad = this.checkBody(request.body, request.contentType, resource);
      if (bad) return bad;
    }
    return handlePublishRequest(request, this.esc, this.options.clock.now());
  }

  /** A publication made inside PS2 (the Presence Network Agent); returns the outcome (etag). */
  publishLocal(resource: string, body: string, etag: string | undefined, expires: number): PublishOutcome {
    return this.esc.handlePublish(
      resource,
      'presence',
      etag,
      expires,
      Buffer.from(body),
      PIDF_CONTENT_TYPE,
      this.options.clock.now(),
    );
  }

  /** The composed view of a presentity, undefined when nothing is published. */
  composed(resource: string): Pidf | undefined {
    const pubs = this.esc.publications(resource, 'presence');
    if (pubs.length === 0) return undefined;
    const sources: SourceDocument[] = [];
    for (const p of pubs) {
      let cached = this.parsed.get(p.etag);
      if (!cached || cached.body !== p.body) {
        const r = parsePidf(p.body);
        if (!r.ok) continue;
        cached = { resource, body: p.body, doc: r.value };
        this.parsed.set(p.etag, cached);
      }
      sources.push({ etag: p.etag, doc: cached.doc });
    }
    return composePresence(resource, sources);
  }

  private onChange(change: PublicationChange): void {
    // Parsed documents are cached by entity-tag; drop the ones no longer current.
    const live = new Set(change.publications.map((p) => p.etag));
    for (const etag of [...this.parsed.keys()]) {
      if (
        !live.has(etag) &&
        this.esc.publications(change.resource, 'presence').every((p) => p.etag !== etag)
      ) {
        this.parsed.delete(etag);
      }
    }
    if (change.cause !== 'refreshed') this.changed(change.resource);
  }
}

function reasonText(s: string): string {
  return s.replace(/[\r\n]/g, ' ').slice(0, 60);
}

function sameEntity(entity: string, resource: string): boolean {
  const norm = (u: string) =>
    u
      .trim()
      .replace(/^(pres|sips|im):/i, 'sip:')
      .split(/[;?]/)[0]!
      .toLowerCase();
  return norm(entity) === norm(resource);
}
