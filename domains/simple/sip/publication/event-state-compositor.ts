import type { Clock, TimerHandle } from '../../../../common/clock.ts';
import type { IdSource } from '../../../../common/ids.ts';

// The Event State Compositor side of RFC 3903 (PUBLISH), §6 "Processing PUBLISH Requests", as a
// sans-I/O helper: the caller hands in the request's relevant parts and sends the returned
// status and headers. Per (resource, event) it keeps a set of publications keyed by entity-tag,
// each soft state with its own expiry, so independent sources (Jane's UA, PS2's network agent)
// come and go on their own (§4.1: "each publication ... identified by its entity-tag").

export interface Publication {
  readonly resource: string;
  readonly event: string;
  /** Current entity-tag (§4.1: a new one after every successful PUBLISH). */
  etag: string;
  body: Buffer;
  contentType: string;
  /** Clock time (ms) when it lapses. */
  expiresAt: number;
  /** Clock time (ms) of the first PUBLISH that created it. */
  readonly createdAt: number;
}

export type PublicationChangeCause = 'published' | 'modified' | 'refreshed' | 'removed' | 'expired';

export interface PublicationChange {
  resource: string;
  event: string;
  cause: PublicationChangeCause;
  /** The entity-tag the change is about (for `refreshed`/`modified`: the new one). */
  etag: string;
  /** Every current publication of (resource, event) after the change, oldest first. */
  publications: readonly Publication[];
}

export type PublicationListener = (change: PublicationChange) => void;

export interface PublishOutcome {
  status: number;
  reason: string;
  /** On 2xx: the new entity-tag for SIP-ETag. */
  etag?: string;
  /** On 2xx: the granted expiry for Expires. */
  expires?: number;
  /** On 423: the Min-Expires value. */
  minExpires?: number;
  /** Every header the response needs (SIP-ETag, Expires, Min-Expires, Allow-Events, Accept). */
  headers: Array<{ name: string; value: string }>;
}

export interface EventStateCompositorOptions {
  clock: Clock;
  ids: IdSource;
  /** Shortest non-zero Expires accepted, else 423 (§6 step 5; Kamailio min_expires). */
  minExpires?: number;
  /** Longest Expires granted (§6 step 5: "MAY lower it"). */
  maxExpires?: number;
  /** Expiry when the request has none (§6 step 5: the package default, 3600 for presence). */
  defaultExpires?: number;
  /** Supported packages and their body types; when set, others get 489 / 415 (§6 steps 2, 6). */
  events?: Readonly<Record<string, readonly string[]>>;
  /** Largest body accepted, in bytes (413 above). */
  maxBodyBytes?: number;
  /** Most live publications per (resource, event). */
  maxPublicationsPerResource?: number;
}

/** Separator of the composite key; cannot occur in a URI or an Event token. */
const SEP = '\u0000';

export class EventStateCompositor {
  private readonly clock: Clock;
  private readonly ids: IdSource;
  private readonly minExpires: number;
  private readonly maxExpires: number;
  private readonly defaultExpires: number;
  private readonly events: Readonly<Record<string, readonly string[]>> | undefined;
  private readonly maxBodyBytes: number;
  private readonly maxPerResource: number;
  private readonly table = new Map<string, Publication[]>();
  private readonly timers = new Map<Publication, TimerHandle>();
  private readonly listeners = new Set<PublicationListener>();

  constructor(options: EventStateCompositorOptions) {
    this.clock = options.clock;
    this.ids = options.ids;
    this.minExpires = options.minExpires ?? 60;
    this.maxExpires = options.maxExpires ?? 3600;
    this.defaultExpires = options.defaultExpires ?? 3600;
    this.events = options.events;
    this.maxBodyBytes = options.maxBodyBytes ?? 64 * 1024;
    this.maxPerResource = options.maxPublicationsPerResource ?? 16;
  }

  onChange(listener: PublicationListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Live publications of (resource, event), oldest first. */
  publications(resource: string, event: string, now = this.clock.now()): Publication[] {
    return (this.table.get(resource + SEP + event) ?? []).filter((p) => p.expiresAt > now);
  }

  /**
   * RFC 3903 §6. `ifMatch` is the SIP-If-Match value, `expires` the Expires header (undefined
   * when absent), `body` empty or undefined when the request has none.
   */
  handlePublish(
    resource: string,
    event: string,
    ifMatch: string | undefined,
    expires: number | undefined,
    body: Buffer | undefined,
    contentType: string | undefined,
    now: number,
  ): PublishOutcome {
    const hasBody = body !== undefined && body.length > 0;
    // Step 2: the event package must be one we compose.
    if (this.events && !Object.hasOwn(this.events, event)) {
      return {
        status: 489,
        reason: 'Bad Event',
        headers: [{ name: 'Allow-Events', value: Object.keys(this.events).join(', ') }],
      };
    }
    if (hasBody && body.length > this.maxBodyBytes)
      return { status: 413, reason: 'Request Entity Too Large', headers: [] };
    if (hasBody && this.events) {
      const accepted = this.events[event] ?? [];
      const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
      if (!accepted.includes(type)) {
        return {
          status: 415,
          reason: 'Unsupported Media Type',
          headers: [{ name: 'Accept', value: accepted.join(', ') }],
        };
      }
    }
    // Step 4: a SIP-If-Match must name a live publication of this resource and event.
    const key = resource + SEP + event;
    const list = this.table.get(key) ?? [];
    let existing: Publication | undefined;
    if (ifMatch !== undefined) {
      existing = list.find((p) => p.etag === ifMatch.trim() && p.expiresAt > now);
      if (!existing) return { status: 412, reason: 'Conditional Request Failed', headers: [] };
    } else if (!hasBody) {
      // Step 3 (initial PUBLISH without body) — "No E-Tag and no body found" in Kamailio.
      return { status: 400, reason: 'Bad Request - No Body And No SIP-If-Match', headers: [] };
    }
    // Step 5: expiry.
    let granted = expires ?? this.defaultExpires;
    if (granted > 0 && granted < this.minExpires) {
      return {
        status: 423,
        reason: 'Interval Too Brief',
        minExpires: this.minExpires,
        headers: [{ name: 'Min-Expires', value: String(this.minExpires) }],
      };
    }
    if (granted > this.maxExpires) granted = this.maxExpires;

    const etag = this.ids.token(12);
    if (existing) {
      if (granted === 0) {
        // Removal: the publication's state goes away now (§6 step 6).
        this.drop(existing, 'removed');
        return this.ok(etag, 0);
      }
      existing.etag = etag;
      existing.expiresAt = now + granted * 1000;
      let cause: PublicationChangeCause = 'refreshed';
      if (hasBody) {
        existing.body = body;
        existing.contentType = contentType ?? 'application/octet-stream';
        cause = 'modified';
      }
      this.arm(existing);
      this.emit(key, existing, cause);
      return this.ok(etag, granted);
    }
    // Initial publication (no SIP-If-Match, a body). Expires 0 here publishes nothing.
    if (granted === 0) return this.ok(etag, 0);
    const live = list.filter((p) => p.expiresAt > now);
    if (live.length >= this.maxPerResource)
      return { status: 403, reason: 'Forbidden - Too Many Publications', headers: [] };
    const publication: Publication = {
      resource,
      event,
      etag,
      body: body!,
      contentType: contentType ?? 'application/octet-stream',
      expiresAt: now + granted * 1000,
      createdAt: now,
    };
    list.push(publication);
    this.table.set(key, list);
    this.arm(publication);
    this.emit(key, publication, 'published');
    return this.ok(etag, granted);
  }

  /** Expires every publication due at `now` (timers call this; tests may). */
  sweep(now = this.clock.now()): void {
    for (const list of [...this.table.values()])
      for (const p of [...list]) if (p.expiresAt <= now) this.drop(p, 'expired');
  }

  close(): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }

  private ok(etag: string, expires: number): PublishOutcome {
    return {
      status: 200,
      reason: 'OK',
      etag,
      expires,
      headers: [
        { name: 'SIP-ETag', value: etag },
        { name: 'Expires', value: String(expires) },
      ],
    };
  }

  private arm(p: Publication): void {
    this.timers.get(p)?.cancel();
    const delay = p.expiresAt - this.clock.now();
    this.timers.set(
      p,
      this.clock.setTimer(Math.max(0, delay), () => {
        this.timers.delete(p);
        this.drop(p, 'expired');
      }),
    );
  }

  private drop(p: Publication, cause: 'removed' | 'expired'): void {
    const key = p.resource + SEP + p.event;
    const list = this.table.get(key);
    if (!list) return;
    const at = list.indexOf(p);
    if (at === -1) return;
    list.splice(at, 1);
    if (list.length === 0) this.table.delete(key);
    this.timers.get(p)?.cancel();
    this.timers.delete(p);
    this.emit(key, p, cause);
  }

  private emit(key: string, p: Publication, cause: PublicationChangeCause): void {
    if (this.listeners.size === 0) return;
    const publications = [...(this.table.get(key) ?? [])];
    const change: PublicationChange = {
      resource: p.resource,
      event: p.event,
      cause,
      etag: p.etag,
      publications,
    };
    for (const l of this.listeners) l(change);
  }
}
