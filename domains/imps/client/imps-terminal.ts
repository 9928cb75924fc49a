// Harry's terminal: the control API (docs/control-api.md) over the IMPS client. Scenarios and the
// console drive it through HTTP + JSON and a WebSocket event stream, served by the shared
// control server; this file maps each call to CSP and each CSP event to a control event.
import type { Clock } from '../../../common/clock.ts';
import { systemClock } from '../../../common/clock.ts';
import type { IdSource } from '../../../common/ids.ts';
import { type ControlServer, startControlServer } from '../../simple/client/control-server.ts';
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
  type ProvidePermissions,
  type SubscribeOptions,
  type TerminalControl,
} from '../../simple/client/terminal-control.ts';
import type { CspEncoding, CspVersion } from '../csp/csp-version.ts';
import type { MessageInfo, Result } from '../csp/model/common-structs.ts';
import { type CirChoice, ImpsClient, ImpsError, type PresenceEvent, resultOf } from './imps-client.ts';
import { isEmptyPresenceSubList } from './imps-client-session.ts';
import {
  fromImpsPresence,
  grantedAttributes,
  subscribedAttributes,
  toImpsPresence,
  toWvAddress,
} from './imps-presence-mapping.ts';

/**
 * The reason a subscription ends with when its publisher withdraws authorization. PS1 (and the IWF
 * for a SIMPLE publisher) says so with an empty PresenceSubList, the same for a refusal and a
 * revocation; RFC 6665 §4.2.2 calls both "rejected" (a change in authorization policy).
 */
export const WITHDRAWN_REASON = 'rejected';

export interface ImpsTerminalConfig {
  userId: string;
  password: string;
  /** PS1's CSP URL at home, e.g. http://127.0.1.1:8081 */
  serverUrl: string;
  /** Harry's own address (default 127.0.1.10). */
  address?: string;
  /**
   * How "via visited" reaches PS1: a relay URL of the visited network when one runs, else the
   * terminal sends from the visited network's address (127.0.4.1), which PS1 treats as roaming.
   */
  visitedServerUrl?: string;
  visitedAddress?: string;
  version?: CspVersion;
  encoding?: CspEncoding;
  login?: 'plain' | 'digest';
  cir?: CirChoice;
  clientId?: string;
  node?: string;
  clock?: Clock;
  ids?: IdSource;
}

function refusal(e: unknown): ControlError {
  if (e instanceof ControlError) return e;
  if (e instanceof ImpsError) return new ControlError('TERM_ERR_REMOTE_REFUSED', e.message, e.result.code);
  return new ControlError('TERM_ERR_TIMEOUT', String((e as Error)?.message ?? e));
}

function check(r: Result, what: string): void {
  if (r.code === undefined || r.code < 200 || r.code >= 300)
    throw new ControlError('TERM_ERR_REMOTE_REFUSED', `${what}: ${r.code} ${r.description ?? ''}`, r.code);
}

export class ImpsTerminal implements TerminalControl {
  private client: ImpsClient | undefined;
  private via: 'home' | 'visited' = 'home';
  private presence: ControlPresence | undefined;
  private readonly subscriptions = new Map<string, ControlSubscription>();
  private readonly watchers = new Map<string, { watcher: string; status: string; event: string }>();
  private readonly authorizations = new Map<string, AuthorizationDecision>();
  private readonly messages: ControlMessage[] = [];
  private readonly listeners = new Set<ControlListener>();
  private readonly clock: Clock;

  constructor(private readonly config: ImpsTerminalConfig) {
    this.clock = config.clock ?? systemClock;
  }

  get user(): string {
    return toWvAddress(this.config.userId);
  }

  onEvent(listener: ControlListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: ControlEvent): void {
    for (const l of this.listeners) l(e);
  }

  private session(): ImpsClient {
    if (this.client === undefined || !this.client.loggedIn)
      throw new ControlError('TERM_ERR_NOT_LOGGED_IN', 'login first');
    return this.client;
  }

  state(): ControlState {
    const s: ControlState = {
      user: this.user,
      protocol: 'imps',
      loggedIn: this.client?.loggedIn === true,
      subscriptions: [...this.subscriptions.values()],
      watchers: [...this.watchers.values()],
      authorizations: [...this.authorizations].map(([watcher, decision]) => ({ watcher, decision })),
      messages: [...this.messages],
    };
    if (s.loggedIn) s.via = this.via;
    if (this.presence !== undefined) s.presence = this.presence;
    return s;
  }

  async login(options: { password?: string; via?: 'home' | 'visited' }) {
    if (this.client?.loggedIn === true)
      throw new ControlError('TERM_ERR_ALREADY_LOGGED_IN', 'already logged in');
    const via = options.via ?? 'home';
    const visited = via === 'visited';
    const c = new ImpsClient({
      serverUrl:
        visited && this.config.visitedServerUrl !== undefined
          ? this.config.visitedServerUrl
          : this.config.serverUrl,
      userId: this.user,
      password: options.password ?? this.config.password,
      localAddress:
        visited && this.config.visitedServerUrl === undefined
          ? (this.config.visitedAddress ?? '127.0.4.1')
          : (this.config.address ?? '127.0.1.10'),
      version: this.config.version ?? '1.2',
      encoding: this.config.encoding ?? 'xml',
      login: this.config.login ?? 'digest',
      cir: this.config.cir ?? 'STCP',
      node: this.config.node ?? 'harry',
      clock: this.clock,
      ...(this.config.clientId === undefined ? {} : { clientId: this.config.clientId }),
      ...(this.config.ids === undefined ? {} : { ids: this.config.ids }),
    });
    this.wire(c);
    let r: Result;
    try {
      r = await c.login();
    } catch (e) {
      c.close();
      throw refusal(e);
    }
    if (r.code !== 200) {
      c.close();
      if (r.code === 409 || r.code === 531 || r.code === 401)
        throw new ControlError('TERM_ERR_AUTH_FAILED', r.description ?? 'login refused', r.code);
      throw new ControlError('TERM_ERR_REMOTE_REFUSED', r.description ?? 'login refused', r.code);
    }
    this.client = c;
    this.via = via;
    this.emit({ type: 'login', loggedIn: true, via });
    return { loggedIn: true, via, expires: c.keepAliveTime };
  }

  private wire(c: ImpsClient): void {
    // Notifications carry only changed attributes (imps.md §3.1): events carry the merged view.
    c.on('presence', (p: PresenceEvent) => {
      // An empty list is no presence: 'presenceWithdrawn' below ends the subscription.
      if (isEmptyPresenceSubList(p.presenceSubList)) return;
      const presence = fromImpsPresence(p.presenceSubList);
      for (const sub of this.subscriptions.values()) {
        if (sub.kind === 'user' && sub.target === p.userId) {
          sub.presence = { ...sub.presence, ...presence };
          if (sub.state !== 'active') {
            sub.state = 'active';
            this.emit({ type: 'subscription', target: sub.target, state: 'active' });
          }
          this.emit({ type: 'presence', from: p.userId, presence: sub.presence });
        }
        const member = sub.members?.find((m) => m.target === p.userId);
        if (member !== undefined) {
          member.state = 'active';
          member.presence = { ...member.presence, ...presence };
          this.emit({ type: 'presence', from: p.userId, presence: member.presence, list: sub.target });
        }
      }
    });
    c.on('presenceWithdrawn', (w: { userId: string }) => this.withdrawn(c, w.userId));
    c.on('authRequest', (a: { watcher: string }) => {
      const w = { watcher: a.watcher, status: 'pending', event: 'subscribe' };
      this.watchers.set(a.watcher, w);
      this.emit({ type: 'watcher', ...w });
    });
    c.on('message', (m: { info: MessageInfo; content: string }) => {
      const id = m.info.messageId ?? '';
      const from = m.info.sender?.user?.userId ?? '';
      this.messages.push({
        id,
        direction: 'in',
        peer: from,
        text: m.content,
        at: new Date(this.clock.wallNow()).toISOString(),
      });
      this.emit({
        type: 'message',
        id,
        from,
        text: m.content,
        contentType: m.info.contentType ?? 'text/plain',
      });
    });
    c.on('messageNotification', (m: { info: MessageInfo }) => {
      // Notify/get delivery: fetch it, then confirm (imps.md §6.2).
      const id = m.info.messageId;
      if (id === undefined) return;
      void c
        .getMessage(id)
        .then(async (r) => {
          const from = r.body.messageInfo?.sender?.user?.userId ?? '';
          const text = r.body.contentData ?? '';
          this.messages.push({
            id,
            direction: 'in',
            peer: from,
            text,
            at: new Date(this.clock.wallNow()).toISOString(),
          });
          this.emit({
            type: 'message',
            id,
            from,
            text,
            contentType: r.body.messageInfo?.contentType ?? 'text/plain',
          });
          await c.messageDelivered(id);
        })
        .catch((e) => this.emit({ type: 'error', code: 'TERM_ERR_REMOTE_REFUSED', message: String(e) }));
    });
    c.on('deliveryReport', (d: { info: MessageInfo; result: Result }) => {
      const id = d.info.messageId ?? '';
      const mine = this.messages.find((m) => m.id === id && m.direction === 'out');
      const status = d.result.code === 200 ? 'delivered' : 'failed';
      if (mine !== undefined) mine.status = status;
      this.emit({
        type: 'delivery',
        id,
        to: mine?.peer ?? d.info.recipient?.users?.[0]?.userId ?? '',
        status,
      });
    });
    c.on('disconnect', () => {
      for (const s of this.subscriptions.values()) s.state = 'terminated';
      this.emit({ type: 'login', loggedIn: false });
    });
    c.on('error', (e: Error) => this.emit({ type: 'error', code: 'TERM_ERR_TIMEOUT', message: e.message }));
  }

  /**
   * An empty PresenceSubList for `userId`: nothing is authorized any more, so the subscription is
   * over (docs/control-api.md "Harry's terminal"). The terminal also unsubscribes at PS1, which
   * would otherwise keep a subscription that can never deliver anything.
   */
  private withdrawn(c: ImpsClient, userId: string): void {
    const id = toWvAddress(userId);
    const sub = this.subscriptions.get(id);
    if (sub !== undefined && sub.kind === 'user') {
      this.subscriptions.delete(id);
      sub.state = 'terminated';
      sub.reason = WITHDRAWN_REASON;
      this.emit({ type: 'subscription', target: id, state: 'terminated', reason: WITHDRAWN_REASON });
      void c.unsubscribe({ users: [id] }).catch(() => undefined);
    }
    for (const list of this.subscriptions.values()) {
      const member = list.members?.find((m) => m.target === id);
      if (member === undefined) continue;
      member.state = 'terminated';
      delete member.presence;
    }
  }

  async logout() {
    const c = this.client;
    this.client = undefined;
    if (c !== undefined) {
      await c.logout().catch(() => undefined);
      c.close();
    }
    this.subscriptions.clear();
    return { loggedIn: false };
  }

  async setPresence(presence: ControlPresence) {
    const c = this.session();
    try {
      await c.updatePresence(toImpsPresence(presence));
    } catch (e) {
      throw refusal(e);
    }
    this.presence = presence;
    return { published: true };
  }

  /**
   * `attributes` become the SubscribePresence PresenceSubList (imps.md §3.1); PS1 always notifies
   * changes only, so `onlyChanges: true` is what IMPS does anyway and `false` cannot be asked for.
   */
  async subscribe(target: string, options: SubscribeOptions = {}) {
    const c = this.session();
    const id = toWvAddress(target);
    const list = options.list === true;
    if (options.onlyChanges === false)
      throw new ControlError(
        'TERM_ERR_NOT_SUPPORTED',
        'IMPS notifications always carry changes only (onlyChanges: false is not available)',
      );
    const attributes =
      options.attributes === undefined ? undefined : subscribedAttributes(options.attributes);
    if (attributes !== undefined && attributes.length === 0)
      throw new ControlError(
        'TERM_ERR_BAD_REQUEST',
        `no IMPS attribute for ${options.attributes!.join(', ')}`,
      );
    const sub: ControlSubscription = { target: id, kind: list ? 'list' : 'user', state: 'pending' };
    if (list) {
      const members = await this.listMembers(c, id).catch(() => [] as string[]);
      sub.members = members.map((target) => ({ target, state: 'pending' as const }));
    }
    // Registered before the request: PS1 notifies the current values at once (docs/ps1.md), and
    // that notification may ride in the very answer to SubscribePresence.
    const before = this.subscriptions.get(id);
    this.subscriptions.set(id, sub);
    this.emit({ type: 'subscription', target: id, state: 'pending' });
    try {
      const r = await c.subscribe({
        ...(list ? { contactLists: [id], autoSubscribe: true } : { users: [id] }),
        ...(attributes === undefined ? {} : { attributes }),
      });
      check(resultOf(r), 'SubscribePresence');
    } catch (e) {
      if (before === undefined) this.subscriptions.delete(id);
      else this.subscriptions.set(id, before);
      const error = refusal(e);
      this.emit({ type: 'subscription', target: id, state: 'terminated', reason: error.message });
      throw error;
    }
    return { ...sub };
  }

  /**
   * A contact list (imps.md §5): CreateList with the members, or, when it exists already, a
   * ListManage that adds the missing and removes the others. Members of another domain are
   * ordinary user ids; PS1 subscribes to them through the IWF when the list is subscribed.
   */
  async setBuddyList(list: string, members: string[]): Promise<ControlBuddyList> {
    const c = this.session();
    const id = toWvAddress(list);
    const wanted = [...new Set(members.map(toWvAddress))];
    try {
      await c.createList(id, { members: wanted.map((userId) => ({ userId })) });
    } catch (e) {
      if (!(e instanceof ImpsError && e.result.code === 701)) throw refusal(e);
      // 701 Contact list already exists: bring its members to `wanted`.
      try {
        const current = await this.listMembers(c, id);
        const add = wanted.filter((m) => !current.includes(m)).map((userId) => ({ userId }));
        const remove = current.filter((m) => !wanted.includes(m));
        if (add.length > 0 || remove.length > 0)
          await c.listManage(id, {
            ...(add.length > 0 ? { add } : {}),
            ...(remove.length > 0 ? { remove } : {}),
          });
      } catch (e2) {
        throw refusal(e2);
      }
    }
    const sub = this.subscriptions.get(id);
    if (sub?.kind === 'list') {
      const before = sub.members ?? [];
      sub.members = wanted.map(
        (target) => before.find((m) => m.target === target) ?? { target, state: 'pending' },
      );
    }
    return { list: id, members: wanted };
  }

  async getBuddyList(list: string): Promise<ControlBuddyList> {
    const c = this.session();
    const id = toWvAddress(list);
    try {
      return { list: id, members: await this.listMembers(c, id) };
    } catch (e) {
      if (e instanceof ImpsError && e.result.code === 700)
        throw new ControlError('TERM_ERR_NOT_FOUND', `no contact list ${id}`, 700);
      throw refusal(e);
    }
  }

  private async listMembers(c: ImpsClient, id: string): Promise<string[]> {
    const r = await c.listManage(id, {});
    return (r.body.nickList?.nickNames ?? []).map((n) => toWvAddress(n.userId ?? ''));
  }

  async unsubscribe(target: string) {
    const c = this.session();
    const id = toWvAddress(target);
    const sub = this.subscriptions.get(id);
    if (sub === undefined) throw new ControlError('TERM_ERR_NOT_FOUND', `no subscription to ${id}`);
    const r = await c
      .unsubscribe(sub.kind === 'list' ? { contactLists: [id] } : { users: [id] })
      .catch((e) => {
        throw refusal(e);
      });
    check(resultOf(r), 'UnsubscribePresence');
    this.subscriptions.delete(id);
    this.emit({ type: 'subscription', target: id, state: 'terminated' });
    return { target: id, state: 'terminated' as const };
  }

  /**
   * approve: a per-watcher attribute list (and, in 1.2, PresenceAuth-User Acceptance=T);
   * deny: PresenceAuth-User F plus the block list; polite-block: PresenceAuth-User F only.
   */
  async authorize(watcher: string, decision: AuthorizationDecision, provide?: ProvidePermissions) {
    const c = this.session();
    const id = toWvAddress(watcher);
    const pending = this.watchers.get(id)?.status === 'pending';
    try {
      if (decision === 'approve') {
        const attrs = grantedAttributes(provide);
        await c.createAttributeList({ attributes: attrs, users: [id] });
        if (pending && c.version !== '1.3') await c.authorize(id, true, attrs);
      } else {
        if (pending && c.version !== '1.3') await c.authorize(id, false);
        await c.deleteAttributeList({ users: [id] });
        if (decision === 'deny') await c.blockEntity({ block: [id], blockInUse: true });
      }
    } catch (e) {
      throw refusal(e);
    }
    this.authorizations.set(id, decision);
    const w = { watcher: id, status: decision === 'approve' ? 'active' : 'terminated', event: decision };
    this.watchers.set(id, w);
    this.emit({ type: 'watcher', ...w });
    return { watcher: id, decision };
  }

  async revoke(watcher: string) {
    const c = this.session();
    const id = toWvAddress(watcher);
    if (!this.authorizations.has(id))
      throw new ControlError('TERM_ERR_NOT_FOUND', `no authorization for ${id}`);
    try {
      await c.deleteAttributeList({ users: [id] });
      if (c.version !== '1.3') await c.cancelAuth(id);
    } catch (e) {
      throw refusal(e);
    }
    this.authorizations.delete(id);
    return { watcher: id, revoked: true };
  }

  async sendMessage(to: string, text: string, options: { deliveryReport?: boolean } = {}) {
    const c = this.session();
    const peer = toWvAddress(to);
    const r = await c
      .sendMessage([peer], text, { deliveryReport: options.deliveryReport ?? false })
      .catch((e) => {
        throw refusal(e);
      });
    const result = resultOf(r);
    check(result, 'SendMessage');
    const id = r.body.messageId ?? '';
    this.messages.push({
      id,
      direction: 'out',
      peer,
      text,
      at: new Date(this.clock.wallNow()).toISOString(),
      status: 'sent',
    });
    return { id, status: 'sent' as const, protocolStatus: result.code ?? 200 };
  }

  close(): void {
    this.client?.close();
    this.client = undefined;
  }
}

export interface ImpsTerminalHandle {
  terminal: ImpsTerminal;
  control: ControlServer;
  stop(): Promise<void>;
}

/** Harry's terminal as a node: the terminal plus its control server (default 127.0.1.10:8090). */
export async function startImpsTerminal(
  config: ImpsTerminalConfig & { controlPort?: number },
): Promise<ImpsTerminalHandle> {
  const terminal = new ImpsTerminal(config);
  const control = await startControlServer(terminal, {
    address: config.address ?? '127.0.1.10',
    port: config.controlPort ?? 8090,
  });
  return {
    terminal,
    control,
    async stop() {
      await terminal.logout().catch(() => undefined);
      terminal.close();
      await control.close();
    },
  };
}
