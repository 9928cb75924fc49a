// The Resource List Server (RFC 4662): a SUBSCRIBE to a service URI of some user's rls-services
// document (RFC 4826 §4) with `Supported: eventlist` fans out to one back-end subscription per
// member — through the SIP routing, so members of domain1.lab are subscribed via the IWF and
// local members through PS2's own presence agent — and every change of a member goes to the
// list's watcher as a multipart/related NOTIFY: an RLMI root plus one part per instance with
// state (RFC 4662 §5). Each NOTIFY carries full state (§5.2 allows it; version counts up).
import { buildRlsNotifyBody } from '../payloads/multipart-related.ts';
import { collectMembers, parseResourceLists, type ResourceList } from '../payloads/resource-lists.ts';
import type { RlmiList } from '../payloads/rlmi.ts';
import { parseRlsServices, type RlsService } from '../payloads/rls-services.ts';
import {
  type IncomingRequest,
  Notifier,
  type NotifierSubscription,
  type NotifyContent,
  type RequestHandler,
  type SipUserAgent,
  type SubscribeDecision,
  Subscriber,
} from '../sip/core/index.ts';
import type { SipRequest } from '../sip/message/sip-message.ts';
import { parseUri } from '../sip/message/uri-codec.ts';
import { aorKey } from '../sip/registrar/index.ts';
import type { XcapStore } from './xcap-store.ts';

export interface ResourceListServerOptions {
  identityOf: (request: IncomingRequest) => string | undefined;
  minExpires?: number;
  maxExpires?: number;
}

interface Member {
  uri: string;
  instanceId: string;
  state: 'pending' | 'active' | 'terminated';
  reason?: string;
  body?: Buffer;
  contentType?: string;
  subscriber?: Subscriber;
}

interface ListState {
  service: string;
  owner: string;
  members: Member[];
  version: number;
}

export class ResourceListServer {
  readonly notifier: Notifier;
  readonly handleSubscribe: RequestHandler;
  private readonly lists = new Map<NotifierSubscription, ListState>();

  constructor(
    private readonly ua: SipUserAgent,
    private readonly store: XcapStore,
    private readonly options: ResourceListServerOptions,
  ) {
    let captured: RequestHandler | undefined;
    const view = Object.create(ua, {
      on: {
        value: (_method: string, handler: RequestHandler) => {
          captured = handler;
          return view;
        },
      },
    }) as SipUserAgent;
    this.notifier = new Notifier(
      view,
      { events: ['presence'], minExpires: options.minExpires ?? 60, maxExpires: options.maxExpires ?? 3600 },
      {
        onSubscribe: (sub, req) => this.onSubscribe(sub, req),
        currentContent: (sub) => this.content(sub),
        onTerminated: (sub) => this.onTerminated(sub),
      },
    );
    this.handleSubscribe = captured!;
  }

  /** Is this SUBSCRIBE for one of our resource lists? */
  serves(request: SipRequest): boolean {
    const uri = aorKey(request.uri);
    return uri !== undefined && this.findService(uri) !== undefined;
  }

  /** The service of that URI in any user's rls-services document (RFC 4826 §4.4 global view). */
  findService(uri: string): { service: RlsService; owner: string } | undefined {
    for (const { user, doc } of this.store.all('rls-services')) {
      const parsed = parseRlsServices(doc.xml);
      if (!parsed.ok) continue;
      const service = parsed.value.services.find((s) => aorKey(parseUri(s.uri)) === uri);
      if (service) return { service, owner: user };
    }
    return undefined;
  }

  /** The member URIs of a service: its inline list, or the resource-lists list it points at. */
  members(service: RlsService, owner: string): string[] {
    if (service.list) return collectMembers(service.list).uris;
    const ref = service.resourceList ?? '';
    // http://host/xcap/resource-lists/users/<xui>/<doc>/~~/resource-lists/list[@name="x"]
    const m = /\/resource-lists\/users\/([^/]+)\/([^/]+)(?:\/~~\/(.*))?$/.exec(ref);
    if (!m) return [];
    const user = decodeURIComponent(m[1]!);
    // RFC 4826 §4.3: a service may only refer to lists its owner can read.
    if (user.toLowerCase() !== owner.toLowerCase()) return [];
    const doc = this.store.get('resource-lists', user, decodeURIComponent(m[2]!));
    if (!doc) return [];
    const parsed = parseResourceLists(doc.xml);
    if (!parsed.ok) return [];
    const selector = m[3] === undefined ? '' : decodeURIComponent(m[3]);
    const names = [...selector.matchAll(/list\[@name=["']([^"']*)["']\]/g)].map((x) => x[1]!);
    let lists: ResourceList[] = parsed.value.lists;
    for (const name of names) {
      const next = lists
        .flatMap((l) => (l.name === name ? [l] : []))
        .concat(
          lists.flatMap((l) =>
            l.items.filter((i): i is ResourceList => i.kind === 'list' && i.name === name),
          ),
        );
      lists = next;
    }
    return [...new Set(lists.flatMap((l) => collectMembers(l).uris))];
  }

  private onSubscribe(sub: NotifierSubscription, incoming: IncomingRequest): SubscribeDecision {
    const request = incoming.request;
    const uri = aorKey(request.uri)!;
    const found = this.findService(uri);
    if (!found) return { reject: 404, reason: 'Not Found' };
    // RFC 4662 §4.1: the subscriber must support eventlist, else 421 with Require.
    const supported = request.headers
      .getFields('Supported')
      .flatMap((v) => v.split(','))
      .map((v) => v.trim().toLowerCase());
    if (!supported.includes('eventlist')) {
      return { reject: 421, reason: 'Extension Required', headers: [['Require', 'eventlist']] };
    }
    const identity = this.options.identityOf(incoming) ?? aorKey(sub.watcher);
    if (identity !== found.owner) return { reject: 403, reason: 'Forbidden - not your list' };
    const state: ListState = {
      service: uri,
      owner: found.owner,
      version: 0,
      members: this.members(found.service, found.owner).map((m) => ({
        uri: m,
        instanceId: this.ua.ids.token(10),
        state: 'pending',
      })),
    };
    this.lists.set(sub, state);
    if (sub.expires > 0) queueMicrotask(() => this.startMembers(sub, state));
    return { state: 'active', ...this.content(sub) };
  }

  private startMembers(sub: NotifierSubscription, list: ListState): void {
    for (const member of list.members) {
      const s = new Subscriber(this.ua, {
        target: member.uri,
        from: list.owner,
        event: 'presence',
        expires: sub.expires,
        accept: ['application/pidf+xml'],
      });
      member.subscriber = s;
      s.on('notify', (info) => {
        const st = String(info.state.state);
        member.state = st === 'active' || st === 'pending' ? st : 'terminated';
        if (info.state.reason !== undefined) member.reason = info.state.reason;
        if (info.body.length > 0) {
          member.body = info.body;
          member.contentType = info.contentType ?? 'application/pidf+xml';
        }
        this.update(sub);
      });
      s.on('terminated', (info) => {
        if (member.state === 'terminated') return;
        member.state = 'terminated';
        member.reason = info.reason;
        this.update(sub);
      });
      s.subscribe().catch(() => {
        member.state = 'terminated';
        member.reason = 'noresource';
        this.update(sub);
      });
    }
  }

  private update(sub: NotifierSubscription): void {
    if (!this.lists.has(sub) || sub.state === 'terminated') return;
    void sub.notify({ ...this.content(sub), state: 'active' });
  }

  /** The RLMI + parts body, full state (RFC 4662 §5.3-5.4). */
  private content(sub: NotifierSubscription): NotifyContent {
    const list = this.lists.get(sub);
    if (!list) return {};
    const domain = list.owner.slice(list.owner.lastIndexOf('@') + 1);
    const rlmi: RlmiList = {
      uri: list.service,
      version: list.version++,
      fullState: true,
      names: [],
      resources: [],
    };
    const parts: Array<{ cid: string; contentType: string; body: Buffer }> = [];
    for (const m of list.members) {
      const cid =
        m.body && m.state !== 'terminated' ? `${m.instanceId}.${list.version}@${domain}` : undefined;
      rlmi.resources.push({
        uri: m.uri,
        names: [],
        instances: [
          {
            id: m.instanceId,
            state: m.state,
            ...(m.state === 'terminated' && m.reason ? { reason: m.reason } : {}),
            ...(cid ? { cid } : {}),
            extensions: [],
          },
        ],
      });
      if (cid && m.body)
        parts.push({ cid, contentType: m.contentType ?? 'application/pidf+xml', body: m.body });
    }
    const built = buildRlsNotifyBody({
      rlmi,
      rlmiCid: `rlmi.${list.version}.${this.ua.ids.token(6)}@${domain}`,
      parts,
      boundary: `rls-${this.ua.ids.token(16)}`,
    });
    if (!built.ok) return {};
    return {
      body: built.value.body,
      contentType: built.value.contentType,
      headers: [['Require', 'eventlist']],
    };
  }

  private onTerminated(sub: NotifierSubscription): void {
    const list = this.lists.get(sub);
    this.lists.delete(sub);
    for (const m of list?.members ?? []) {
      if (m.subscriber && m.subscriber.state !== 'terminated')
        void m.subscriber.unsubscribe().catch(() => {});
    }
  }

  close(): void {
    for (const sub of [...this.lists.keys()]) void sub.terminate('noresource');
  }
}
