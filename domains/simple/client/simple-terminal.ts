// Jane's SIMPLE terminal: a user agent that registers (at home, or through the visited network's
// outbound proxy), publishes her presence, subscribes to others individually or through her
// buddy list (RLS, RFC 4662), watches her own watchers (presence.winfo), edits her pres-rules
// over XCAP to approve, deny and revoke, and sends and receives MESSAGE with CPIM and IMDN. It
// implements the protocol-neutral TerminalControl (docs/control-api.md).
import type { Clock } from '../../../common/clock.ts';
import { systemClock } from '../../../common/clock.ts';
import { type IdSource, randomIds } from '../../../common/ids.ts';
import {
  CPIM_CONTENT_TYPE,
  type CpimMessage,
  emptyCpim,
  parseCpim,
  serializeCpim,
} from '../payloads/cpim.ts';
import {
  addImdnRequest,
  buildImdnNotification,
  IMDN_CONTENT_TYPE,
  parseImdn,
  readImdnRequest,
} from '../payloads/imdn.ts';
import { headerValue } from '../payloads/mime.ts';
import { parseRlsNotifyBody } from '../payloads/multipart-related.ts';
import { PIDF_DIFF_CONTENT_TYPE } from '../payloads/pidf-diff.ts';
import {
  PRES_RULES_CONTENT_TYPE,
  type PresRule,
  parsePresRules,
  serializePresRules,
} from '../payloads/pres-rules.ts';
import {
  parseResourceLists,
  RESOURCE_LISTS_CONTENT_TYPE,
  serializeResourceLists,
} from '../payloads/resource-lists.ts';
import {
  parseRlsServices,
  RLS_SERVICES_CONTENT_TYPE,
  serializeRlsServices,
} from '../payloads/rls-services.ts';
import { parseWatcherInfo } from '../payloads/watcherinfo.ts';
import type { DigestUserCredentials } from '../sip/auth/index.ts';
import {
  type IncomingRequest,
  type NotifyInfo,
  Publisher,
  Registration,
  SipUserAgent,
  StaticRouter,
  Subscriber,
} from '../sip/core/index.ts';
import { aorKey } from '../sip/registrar/index.ts';
import {
  listMembers,
  listNameOf,
  resourceListRef,
  withListMembers,
  withService,
} from './buddy-list-documents.ts';
import { emptyRulesDocument, ruleElementXml, ruleFor, ruleId, ruleSelector } from './pres-rules-editor.ts';
import { pidfDocumentToPresence, pidfToPresence, presenceToPidf } from './presence-mapping.ts';
import { applyNotifyDiff, type DiffState, subscribeRequestParts } from './subscription-options.ts';
import {
  type AuthorizationDecision,
  type ControlBuddyList,
  ControlError,
  type ControlEvent,
  type ControlListener,
  type ControlMessage,
  type ControlPresence,
  type ControlState,
  type ControlSubscription,
  type ControlSubscriptionState,
  type ControlWatcher,
  type ProvidePermissions,
  type SubscribeOptions,
  type TerminalControl,
} from './terminal-control.ts';
import { XcapClient } from './xcap-client.ts';

/** Answers of an XCAP server that cannot address a single rule by node selector. */
const NODE_SELECTOR_REFUSED = new Set([400, 405, 500, 501]);
export interface SimpleTerminalConfig {
  /** User part, e.g. `jane`. */
  user: string;
  domain: string;
  password: string;
  /** The terminal's own loopback address (127.0.2.10). */
  address: string;
  sipPort?: number;
  /** The home proxy/registrar (PS2). */
  home: { address: string; port: number };
  /** The visited network's proxy (roaming login). */
  visited?: { address: string; port: number };
  /** Domains reached through the home proxy (default `domain1.lab`). */
  otherDomains?: string[];
  /** XCAP root URI, e.g. `http://127.0.2.1:5080/xcap`. */
  xcapRoot: string;
  registerExpires?: number;
  clock?: Clock;
  ids?: IdSource;
}

interface UserSubscription {
  view: ControlSubscription;
  subscriber: Subscriber;
  /** The document held under partial notification (RFC 5263), when `onlyChanges` was asked. */
  diff: DiffState;
}

export class SimpleTerminal implements TerminalControl {
  readonly aor: string;
  readonly ua: SipUserAgent;
  private readonly credentials: DigestUserCredentials;
  private readonly listeners = new Set<ControlListener>();
  private readonly clock: Clock;
  private readonly ids: IdSource;
  private registration: Registration | undefined;
  private publisher: Publisher | undefined;
  private winfo: Subscriber | undefined;
  private via: 'home' | 'visited' | undefined;
  private presence: ControlPresence | undefined;
  private readonly subscriptions = new Map<string, UserSubscription>();
  private readonly watchers = new Map<string, ControlWatcher>();
  private readonly authorizations = new Map<string, AuthorizationDecision>();
  private readonly messages: ControlMessage[] = [];
  private readonly sent = new Map<string, ControlMessage>();
  private started = false;

  constructor(readonly config: SimpleTerminalConfig) {
    this.aor = `sip:${config.user}@${config.domain}`;
    this.clock = config.clock ?? systemClock;
    this.ids = config.ids ?? randomIds;
    this.credentials = { username: config.user, password: config.password };
    this.ua = new SipUserAgent({
      node: config.user,
      address: config.address,
      port: config.sipPort ?? 5060,
      // Other domains are reached through the home proxy too (no DNS in the lab). Not an outbound
      // proxy: in-dialog requests must go to the remote target, not back through PS2.
      router: new StaticRouter(
        Object.fromEntries(
          [config.domain, ...(config.otherDomains ?? ['domain1.lab'])].map((d) => [d, config.home]),
        ),
      ),
      clock: this.clock,
      ids: this.ids,
      credentials: this.credentials,
    });
    this.ua.on('MESSAGE', (req) => this.onMessage(req));
  }

  async start(): Promise<void> {
    if (this.started) return;
    await this.ua.start();
    this.started = true;
  }

  async stop(): Promise<void> {
    if (this.registration) await this.logout().catch(() => {});
    await this.ua.stop();
    this.started = false;
  }

  get xcap(): XcapClient {
    return new XcapClient(this.config.xcapRoot, this.aor, this.config.user, this.credentials.password ?? '');
  }

  onEvent(listener: ControlListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: ControlEvent): void {
    for (const l of this.listeners) l(e);
  }

  private requireLogin(): void {
    if (!this.registration) throw new ControlError('TERM_ERR_NOT_LOGGED_IN', 'login first');
  }

  // ——— login / logout ———

  async login(options: { password?: string; via?: 'home' | 'visited' } = {}) {
    await this.start();
    if (this.registration) throw new ControlError('TERM_ERR_ALREADY_LOGGED_IN', 'already logged in');
    const via = options.via ?? 'home';
    if (options.password !== undefined) this.credentials.password = options.password;
    if (via === 'visited') {
      if (!this.config.visited)
        throw new ControlError('TERM_ERR_BAD_REQUEST', 'no visited network configured');
      this.ua.outboundProxy = { protocol: 'udp', ...this.config.visited };
    } else this.ua.outboundProxy = undefined;
    const registration = new Registration(this.ua, {
      aor: this.aor,
      registrar: `sip:${this.config.domain}`,
      expires: this.config.registerExpires ?? 3600,
      credentials: this.credentials,
    });
    const action = await registration.register();
    if (action.kind !== 'registered') {
      const status = 'status' in action ? Number(action.status) : undefined;
      throw new ControlError(
        status === 401 || status === 403 ? 'TERM_ERR_AUTH_FAILED' : 'TERM_ERR_REMOTE_REFUSED',
        `registration failed (${action.kind})`,
        status,
      );
    }
    this.registration = registration;
    this.via = via;
    await this.watchWatchers();
    this.emit({ type: 'login', loggedIn: true, via });
    const expires = 'expires' in action ? Number(action.expires) : undefined;
    return { loggedIn: true, via, ...(expires !== undefined ? { expires } : {}) };
  }

  async logout() {
    this.requireLogin();
    for (const target of [...this.subscriptions.keys()]) await this.unsubscribe(target).catch(() => {});
    await this.winfo?.unsubscribe().catch(() => {});
    this.winfo = undefined;
    await this.publisher?.unpublish().catch(() => {});
    this.publisher = undefined;
    await this.registration?.unregister().catch(() => {});
    this.registration = undefined;
    this.via = undefined;
    this.emit({ type: 'login', loggedIn: false });
    return { loggedIn: false };
  }

  // ——— presence ———

  async setPresence(presence: ControlPresence) {
    this.requireLogin();
    this.publisher ??= new Publisher(this.ua, {
      target: this.aor,
      from: this.aor,
      event: 'presence',
      contentType: 'application/pidf+xml',
      expires: 3600,
    });
    const response = await this.publisher.publish(presenceToPidf(this.aor, presence));
    if (response.status >= 300) {
      throw new ControlError(
        'TERM_ERR_REMOTE_REFUSED',
        `PUBLISH refused: ${response.reason}`,
        response.status,
      );
    }
    this.presence = presence;
    const etag = this.publisher.etag;
    return { published: true, ...(etag !== undefined ? { etag } : {}) };
  }

  /**
   * `attributes` travel as an RFC 4661 filter body, `onlyChanges` as Accept pidf-diff (RFC 5263);
   * PS2's RLS applies neither per member (docs/ps2.md), so a list subscription refuses them.
   */
  async subscribe(target: string, options: SubscribeOptions = {}): Promise<ControlSubscription> {
    this.requireLogin();
    const uri = normalizeTarget(target);
    if (this.subscriptions.has(uri)) return this.subscriptions.get(uri)!.view;
    const list = options.list === true;
    if (list && (options.attributes !== undefined || options.onlyChanges === true))
      throw new ControlError(
        'TERM_ERR_NOT_SUPPORTED',
        'the RLS applies no filter or partial notification per member: subscribe to the member itself',
      );
    const parts = list
      ? { accept: ['application/pidf+xml', 'application/rlmi+xml', 'multipart/related'] }
      : subscribeRequestParts(uri, options);
    const subscriber = new Subscriber(this.ua, {
      target: uri,
      from: this.aor,
      event: 'presence',
      expires: 3600,
      ...parts,
      ...(list ? { headers: [['Supported', 'eventlist'] as [string, string]] } : {}),
    });
    const view: ControlSubscription = { target: uri, kind: list ? 'list' : 'user', state: 'pending' };
    if (list) view.members = [];
    const entry: UserSubscription = { view, subscriber, diff: {} };
    this.subscriptions.set(uri, entry);
    subscriber.on('notify', (info) => this.onPresenceNotify(entry, info));
    subscriber.on('terminated', (info) => {
      view.state = 'terminated';
      view.reason = String(info.reason);
      this.subscriptions.delete(uri);
      this.emit({ type: 'subscription', target: uri, state: 'terminated', reason: String(info.reason) });
    });
    const response = await subscriber.subscribe();
    if (response.status >= 300) {
      this.subscriptions.delete(uri);
      throw new ControlError(
        'TERM_ERR_REMOTE_REFUSED',
        `SUBSCRIBE refused: ${response.reason}`,
        response.status,
      );
    }
    return view;
  }

  private onPresenceNotify(entry: UserSubscription, info: NotifyInfo): void {
    const { view } = entry;
    const state = String(info.state.state) as ControlSubscriptionState;
    if (state !== view.state) {
      view.state = state;
      this.emit({ type: 'subscription', target: view.target, state });
    }
    if (info.body.length === 0) return;
    const type = (info.contentType ?? '').split(';')[0]!.trim().toLowerCase();
    if (type === PIDF_DIFF_CONTENT_TYPE) {
      const doc = applyNotifyDiff(entry.diff, info.body);
      if (!doc.ok) {
        // RFC 5263 §5: state lost; re-subscribing (refresh) brings full state again.
        entry.diff = {};
        this.emit({
          type: 'error',
          code: 'TERM_ERR_REMOTE_REFUSED',
          message: `pidf-diff: ${doc.error.message}`,
        });
        void entry.subscriber.refresh().catch(() => undefined);
        return;
      }
      view.presence = pidfDocumentToPresence(doc.value);
      this.emit({ type: 'presence', from: view.target, presence: view.presence });
      return;
    }
    if (type === 'application/pidf+xml') {
      const presence = pidfToPresence(info.body);
      if (!presence) return;
      view.presence = presence;
      this.emit({ type: 'presence', from: view.target, presence });
      return;
    }
    if (type === 'multipart/related') {
      const parsed = parseRlsNotifyBody(info.contentType ?? '', info.body);
      if (!parsed.ok) return;
      const members: NonNullable<ControlSubscription['members']> = [];
      for (const r of parsed.value.rlmi.resources) {
        const instance = r.instances[0];
        const member: (typeof members)[number] = { target: r.uri, state: instance?.state ?? 'pending' };
        const part = instance?.cid ? parsed.value.parts.get(instance.cid) : undefined;
        if (part) {
          const presence = pidfToPresence(part.body);
          if (presence) {
            member.presence = presence;
            const before = view.members?.find((m) => m.target === r.uri)?.presence;
            if (JSON.stringify(before) !== JSON.stringify(presence)) {
              this.emit({ type: 'presence', from: r.uri, presence, list: view.target });
            }
          }
        }
        members.push(member);
      }
      view.members = members;
    }
  }

  async unsubscribe(target: string) {
    const uri = normalizeTarget(target);
    const entry = this.subscriptions.get(uri);
    if (!entry) throw new ControlError('TERM_ERR_NOT_FOUND', `no subscription to ${uri}`);
    this.subscriptions.delete(uri);
    await entry.subscriber.unsubscribe();
    return { target: uri, state: 'terminated' as const };
  }

  // ——— buddy lists ———

  /**
   * The members go into the list named after the service's user part in Jane's resource-lists
   * document, and her rls-services document gets a presence service at the list URI pointing at
   * it (RFC 4826 §3, §4). Members of another domain are plain SIP URIs: PS2's RLS reaches them
   * through the IWF.
   */
  async setBuddyList(list: string, members: string[]): Promise<ControlBuddyList> {
    const uri = normalizeTarget(list);
    const name = listNameOf(uri);
    const wanted = [...new Set(members.map(normalizeTarget))];
    await this.updateDocument('resource-lists', RESOURCE_LISTS_CONTENT_TYPE, (xml) => {
      const parsed = xml === undefined ? undefined : parseResourceLists(xml);
      if (parsed && !parsed.ok) throw xcapError('parse resource-lists', 502);
      return serializeResourceLists(withListMembers(parsed?.value, name, wanted));
    });
    const ref = resourceListRef(this.config.xcapRoot, this.aor, name);
    await this.updateDocument('rls-services', RLS_SERVICES_CONTENT_TYPE, (xml) => {
      const parsed = xml === undefined ? undefined : parseRlsServices(xml);
      if (parsed && !parsed.ok) throw xcapError('parse rls-services', 502);
      return serializeRlsServices(withService(parsed?.value, uri, ref));
    });
    return { list: uri, members: wanted };
  }

  async getBuddyList(list: string): Promise<ControlBuddyList> {
    const uri = normalizeTarget(list);
    const res = await this.xcap.getDocument('resource-lists');
    if (res.status >= 300 && res.status !== 404) throw xcapError('read resource-lists', res.status);
    const parsed = res.status === 404 ? undefined : parseResourceLists(res.body);
    if (parsed && !parsed.ok) throw xcapError('parse resource-lists', 502);
    const members = listMembers(parsed?.value, listNameOf(uri));
    if (members === undefined) throw new ControlError('TERM_ERR_NOT_FOUND', `no buddy list ${uri}`, 404);
    return { list: uri, members };
  }

  /**
   * Read-modify-write of one whole XCAP document, conditional on its ETag (RFC 4825 §7.11) or on
   * its absence (If-None-Match: *), retried once when someone else wrote in between.
   */
  private async updateDocument(auid: string, mime: string, change: (xml: string | undefined) => string) {
    for (let attempt = 0; attempt < 2; attempt++) {
      const current = await this.xcap.getDocument(auid);
      if (current.status >= 300 && current.status !== 404) throw xcapError(`read ${auid}`, current.status);
      const exists = current.status !== 404;
      const headers: Record<string, string> = exists
        ? current.etag
          ? { 'if-match': `"${current.etag}"` }
          : {}
        : { 'if-none-match': '*' };
      const put = await this.xcap.putDocument(
        auid,
        mime,
        change(exists ? current.body : undefined),
        'index',
        headers,
      );
      if (put.status === 412) continue;
      if (put.status >= 300) throw xcapError(`write ${auid}`, put.status);
      return;
    }
    throw xcapError(`write ${auid}`, 412);
  }

  // ——— watchers and authorization ———

  private async watchWatchers(): Promise<void> {
    const winfo = new Subscriber(this.ua, {
      target: this.aor,
      from: this.aor,
      event: 'presence.winfo',
      expires: 3600,
      accept: ['application/watcherinfo+xml'],
    });
    winfo.on('notify', (info) => {
      if (info.body.length === 0) return;
      const parsed = parseWatcherInfo(info.body);
      if (!parsed.ok) return;
      if (parsed.value.state === 'full') this.watchers.clear();
      for (const list of parsed.value.watcherLists) {
        for (const w of list.watchers) {
          const before = this.watchers.get(w.uri);
          const now: ControlWatcher = { watcher: w.uri, status: w.status, event: w.event };
          if (w.status === 'terminated') this.watchers.delete(w.uri);
          else this.watchers.set(w.uri, now);
          if (!before || before.status !== w.status || before.event !== w.event) {
            this.emit({ type: 'watcher', ...now });
          }
        }
      }
    });
    const response = await winfo.subscribe();
    if (response.status < 300) this.winfo = winfo;
  }

  async authorize(watcher: string, decision: AuthorizationDecision, provide?: ProvidePermissions) {
    const uri = normalizeTarget(watcher);
    const xcap = this.xcap;
    const existing = await xcap.getDocument('pres-rules');
    if (existing.status === 404) {
      const created = await xcap.putDocument(
        'pres-rules',
        'application/auth-policy+xml',
        emptyRulesDocument(),
        'index',
        {
          'if-none-match': '*',
        },
      );
      if (created.status >= 300 && created.status !== 412)
        throw xcapError('create pres-rules', created.status);
    } else if (existing.status >= 300) throw xcapError('read pres-rules', existing.status);
    const rule = ruleFor(uri, decision, provide);
    const put = await xcap.putElement('pres-rules', ruleSelector(uri), ruleElementXml(rule));
    if (NODE_SELECTOR_REFUSED.has(put.status)) {
      await this.rewriteRules((rules) => [...rules.filter((r) => r.id !== rule.id), rule]);
    } else if (put.status >= 300) throw xcapError('write rule', put.status);
    this.authorizations.set(uri, decision);
    return { watcher: uri, decision };
  }

  async revoke(watcher: string) {
    const uri = normalizeTarget(watcher);
    const res = await this.xcap.deleteElement('pres-rules', ruleSelector(uri));
    if (NODE_SELECTOR_REFUSED.has(res.status)) {
      let found = false;
      await this.rewriteRules((rules) => {
        const kept = rules.filter((r) => r.id !== ruleId(uri));
        found = kept.length !== rules.length;
        return kept;
      });
      if (!found) throw new ControlError('TERM_ERR_NOT_FOUND', `no rule for ${uri}`, 404);
    } else if (res.status === 404) {
      throw new ControlError('TERM_ERR_NOT_FOUND', `no rule for ${uri}`, 404);
    } else if (res.status >= 300) throw xcapError('delete rule', res.status);
    this.authorizations.delete(uri);
    return { watcher: uri, revoked: true };
  }

  /**
   * For XCAP servers without node selectors (Kamailio's xcap_server answers 500 to one): read the
   * whole pres-rules document, change its rules, and write it back conditionally on its ETag
   * (RFC 4825 §7.11: If-Match), retrying once if someone else wrote in between.
   */
  private async rewriteRules(change: (rules: PresRule[]) => PresRule[]): Promise<void> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const current = await this.xcap.getDocument('pres-rules');
      if (current.status >= 300 && current.status !== 404) throw xcapError('read pres-rules', current.status);
      const parsed = current.status === 404 ? undefined : parsePresRules(current.body);
      if (parsed && !parsed.ok) throw xcapError('parse pres-rules', 502);
      const rules = parsed?.ok ? parsed.value.rules : [];
      const headers: Record<string, string> = current.etag ? { 'if-match': `"${current.etag}"` } : {};
      const put = await this.xcap.putDocument(
        'pres-rules',
        PRES_RULES_CONTENT_TYPE,
        serializePresRules({ ...(parsed?.ok ? parsed.value : { rules: [] }), rules: change(rules) }),
        'index',
        headers,
      );
      if (put.status === 412) continue;
      if (put.status >= 300) throw xcapError('write pres-rules', put.status);
      return;
    }
    throw xcapError('write pres-rules', 412);
  }

  // ——— messages ———

  async sendMessage(to: string, text: string, options: { deliveryReport?: boolean } = {}) {
    this.requireLogin();
    const uri = normalizeTarget(to);
    const id = this.ids.token(12);
    const dateTime = new Date(this.clock.wallNow()).toISOString();
    let cpim: CpimMessage = {
      ...emptyCpim(),
      from: { uri: this.aor },
      to: [{ uri }],
      dateTime,
      contentHeaders: [['Content-Type', 'text/plain;charset=UTF-8']] as Array<[string, string]>,
      body: Buffer.from(text, 'utf8'),
    };
    if (options.deliveryReport) cpim = addImdnRequest(cpim, id, ['positive-delivery', 'negative-delivery']);
    const response = await this.ua.request({
      method: 'MESSAGE',
      uri,
      from: this.aor,
      body: serializeCpim(cpim),
      contentType: CPIM_CONTENT_TYPE,
    });
    if (response.status >= 300) {
      throw new ControlError(
        'TERM_ERR_REMOTE_REFUSED',
        `MESSAGE refused: ${response.reason}`,
        response.status,
      );
    }
    const status = response.status === 202 ? ('stored' as const) : ('sent' as const);
    const record: ControlMessage = { id, direction: 'out', peer: uri, text, at: dateTime, status };
    this.messages.push(record);
    this.sent.set(id, record);
    return { id, status, protocolStatus: response.status };
  }

  private onMessage(incoming: IncomingRequest): void {
    const request = incoming.request;
    const from = aorKey(request.from.uri) ?? '';
    const type = (request.contentType ?? 'text/plain').split(';')[0]!.trim().toLowerCase();
    if (type === 'text/plain') {
      incoming.reply(200);
      this.received(this.ids.token(12), from, request.body.toString('utf8'), 'text/plain');
      return;
    }
    if (type !== CPIM_CONTENT_TYPE) {
      incoming.reply(415, 'Unsupported Media Type', {
        headers: [['Accept', `${CPIM_CONTENT_TYPE}, text/plain`]],
      });
      return;
    }
    const cpim = parseCpim(request.body);
    if (!cpim.ok) {
      incoming.reply(400, 'Bad Request - malformed CPIM');
      return;
    }
    incoming.reply(200);
    const msg = cpim.value;
    const innerType = (headerValue(msg.contentHeaders, 'Content-Type') ?? 'text/plain').split(';')[0]!.trim();
    const sender = msg.from?.uri ?? from;
    if (innerType === IMDN_CONTENT_TYPE) {
      const imdn = parseImdn(msg.body);
      if (!imdn.ok || imdn.value.notification?.kind !== 'delivery') return;
      const original = this.sent.get(imdn.value.messageId);
      const status = imdn.value.notification.status === 'delivered' ? 'delivered' : 'failed';
      if (original) original.status = status;
      this.emit({ type: 'delivery', id: imdn.value.messageId, to: sender, status });
      return;
    }
    const request5438 = readImdnRequest(msg);
    const id = request5438?.messageId ?? this.ids.token(12);
    this.received(id, sender, msg.body.toString('utf8'), innerType);
    if (request5438?.dispositions.includes('positive-delivery')) {
      // RFC 5438 §7: the recipient's UA reports delivery to the sender.
      const notification = buildImdnNotification({
        from: { uri: this.aor },
        to: { uri: sender },
        dateTime: new Date(this.clock.wallNow()).toISOString(),
        notificationMessageId: this.ids.token(12),
        imdn: {
          messageId: id,
          datetime: msg.dateTime ?? new Date(this.clock.wallNow()).toISOString(),
          recipientUri: this.aor,
          notification: { kind: 'delivery', status: 'delivered' },
          extensions: [],
        },
      });
      void this.ua
        .request({
          method: 'MESSAGE',
          uri: sender,
          from: this.aor,
          body: serializeCpim(notification),
          contentType: CPIM_CONTENT_TYPE,
        })
        .catch(() => {});
    }
  }

  private received(id: string, from: string, text: string, contentType: string): void {
    this.messages.push({
      id,
      direction: 'in',
      peer: from,
      text,
      at: new Date(this.clock.wallNow()).toISOString(),
    });
    this.emit({ type: 'message', id, from, text, contentType });
  }

  state(): ControlState {
    const out: ControlState = {
      user: this.aor,
      protocol: 'simple',
      loggedIn: this.registration !== undefined,
      subscriptions: [...this.subscriptions.values()].map((s) => s.view),
      watchers: [...this.watchers.values()],
      authorizations: [...this.authorizations].map(([watcher, decision]) => ({ watcher, decision })),
      messages: [...this.messages],
    };
    if (this.via) out.via = this.via;
    if (this.presence) out.presence = this.presence;
    return out;
  }
}

/** `bob@domain2.lab`, `sip:bob@domain2.lab`, `wv:harry@domain1.lab` → a SIP URI. */
export function normalizeTarget(target: string): string {
  const t = target.trim();
  if (/^sips?:/i.test(t)) return t;
  if (/^(wv|pres|im):/i.test(t)) return `sip:${t.slice(t.indexOf(':') + 1)}`;
  return `sip:${t}`;
}

function xcapError(what: string, status: number): ControlError {
  return new ControlError('TERM_ERR_REMOTE_REFUSED', `XCAP ${what}: HTTP ${status}`, status);
}
