// PS1's transaction layer (STYLE.md lesson 2, imps.md §13 items 2-4): SessionID lookup, one
// answer per request transaction, client Responses retiring server-initiated transactions,
// Polling-Request draining the session queue, the Poll flag, function enforcement (506).
// No HTTP here: the binding hands decoded messages in and encodes what comes back.
import type { CspMessage, CspTransaction } from '../csp/model/envelope.ts';
import { type CspPrimitive, primitive } from '../csp/model/primitives.ts';
import {
  handleBlockEntity,
  handleCancelAuth,
  handleCreateAttributeList,
  handleDeleteAttributeList,
  handleGetAttributeList,
  handleGetBlockedList,
  handleGetReactiveAuthStatus,
  handlePresenceAuthUser,
} from './authorization-handlers.ts';
import { AuthorizationStore } from './authorization-store.ts';
import {
  handleCreateList,
  handleDeleteList,
  handleGetList,
  handleListManage,
} from './contact-list-handlers.ts';
import { ContactListStore } from './contact-list-store.ts';
import { ImpsSession } from './imps-session.ts';
import {
  handleGetMessage,
  handleGetMessageList,
  handleMessageDelivered,
  handleRejectMessage,
  handleSendMessage,
  handleSetDeliveryMethod,
} from './message-handlers.ts';
import { MessageService } from './message-service.ts';
import {
  AutoSubscriptions,
  handleGetPresence,
  handleGetWatcherList,
  handleSubscribe,
  handleUnsubscribe,
  handleUpdatePresence,
} from './presence-handlers.ts';
import { PresenceService } from './presence-service.ts';
import type { Ps1Config, ResolvedPs1Config } from './ps1-config.ts';
import { resolvePs1Config } from './ps1-config.ts';
import { fail, resultOf, statusOf } from './ps1-status.ts';
import { ReactiveAuthorization } from './reactive-authorization.ts';
import type { RemoteDomainGateway } from './remote-domains.ts';
import { PRIMITIVE_FUNCTION } from './service-functions.ts';
import {
  handleClientCapability,
  handleGetSpInfo,
  handleKeepAlive,
  handleLogout,
  handleService,
  LoginHandler,
  type SessionHost,
} from './session-handlers.ts';
import { SessionStore } from './session-store.ts';
import { domainOf, normalizeWvId } from './wv-address.ts';

export interface Origin {
  /** Source address of the HTTP connection: the access network (a visited relay = roaming). */
  address: string;
  port: number;
  /** The terminal's own address behind a visited-network relay (its X-Forwarded-For). */
  clientAddress?: string;
}

type Handler = (s: ImpsSession, p: CspPrimitive) => CspPrimitive | Promise<CspPrimitive>;

/** Hooks the binding provides: CIR wake-ups and endpoints. */
export interface CirHooks {
  wake(session: ImpsSession): void;
  detach(session: ImpsSession): void;
  tcpEndpoint(): { address: string; port: number } | undefined;
  url(session: ImpsSession): string;
}

export class Ps1Core implements SessionHost {
  readonly config: ResolvedPs1Config;
  readonly users = new Map<string, string>();
  readonly sessions = new SessionStore();
  readonly authz = new AuthorizationStore();
  readonly lists = new ContactListStore();
  readonly presence: PresenceService;
  readonly messages: MessageService;
  readonly reactive: ReactiveAuthorization;
  remote: RemoteDomainGateway | undefined;
  cir: CirHooks | undefined;
  private readonly login: LoginHandler;
  private readonly auto = new AutoSubscriptions();
  private readonly handlers: Record<string, Handler>;
  private txCounter = 0;
  /** Source of the Login-Request being handled (access network -> roaming, PLMN). */
  private loginOrigin: Origin = { address: '127.0.0.1', port: 0 };

  constructor(config: Ps1Config | ResolvedPs1Config) {
    this.config = resolvePs1Config(config);
    for (const u of this.config.users) {
      const id = this.normalize(u.userId);
      if (id !== undefined) this.users.set(id, u.password);
    }
    this.presence = new PresenceService(this);
    this.messages = new MessageService(this);
    this.reactive = new ReactiveAuthorization(this);
    this.login = new LoginHandler(this);
    const a = this.auto;
    this.handlers = {
      // imps.md §2.2: a Login-Request inside a live session is 603.
      'Login-Request': (s) => fail('PS1_ERR_ALREADY_LOGGED_IN', `session ${s.sessionId} is active`),
      'Logout-Request': (s) => handleLogout(this, s),
      'KeepAlive-Request': (s, p) => handleKeepAlive(this, s, p),
      'ClientCapability-Request': (s, p) => handleClientCapability(this, s, p),
      'Service-Request': (s, p) => handleService(this, s, p),
      'GetSPInfo-Request': (_s, p) => handleGetSpInfo(this, p),
      'UpdatePresence-Request': (s, p) => handleUpdatePresence(this, s, p),
      'SubscribePresence-Request': (s, p) => handleSubscribe(this, a, s, p),
      'UnsubscribePresence-Request': (s, p) => handleUnsubscribe(this, a, s, p),
      'GetPresence-Request': (s, p) => handleGetPresence(this, s, p),
      'GetWatcherList-Request': (s) => handleGetWatcherList(this, s),
      'CreateAttributeList-Request': (s, p) => handleCreateAttributeList(this, s, p),
      'DeleteAttributeList-Request': (s, p) => handleDeleteAttributeList(this, s, p),
      'GetAttributeList-Request': (s, p) => handleGetAttributeList(this, s, p),
      'PresenceAuth-User': (s, p) => handlePresenceAuthUser(this, s, p),
      'CancelAuth-Request': (s, p) => handleCancelAuth(this, s, p),
      'GetReactiveAuthStatus-Request': (s, p) => handleGetReactiveAuthStatus(this, s, p),
      'GetBlockedList-Request': (s) => handleGetBlockedList(this, s),
      'BlockEntity-Request': (s, p) => handleBlockEntity(this, s, p),
      'GetList-Request': (s) => handleGetList(this, s),
      'CreateList-Request': (s, p) => handleCreateList(this, a, s, p),
      'DeleteList-Request': (s, p) => handleDeleteList(this, a, s, p),
      'ListManage-Request': (s, p) => handleListManage(this, a, s, p),
      'SendMessage-Request': (s, p) => handleSendMessage(this, s, p),
      'GetMessage-Request': (s, p) => handleGetMessage(this, s, p),
      MessageDelivered: (s, p) => handleMessageDelivered(this, s, p),
      'RejectMessage-Request': (s, p) => handleRejectMessage(this, s, p),
      'GetMessageList-Request': (s, p) => handleGetMessageList(this, s, p),
      'SetDeliveryMethod-Request': (s, p) => handleSetDeliveryMethod(this, s, p),
    };
  }

  normalize(raw: string | undefined): string | undefined {
    return raw === undefined ? undefined : normalizeWvId(raw, this.config.domain);
  }

  isLocal(userId: string): boolean {
    return domainOf(userId) === this.config.domain;
  }

  send(session: ImpsSession, p: CspPrimitive, onResponse?: (r: CspPrimitive) => void): void {
    // Server-chosen TransactionIDs (imps.md §1.1), unique per server run.
    const transactionId = `ps1-${++this.txCounter}`;
    session.enqueue(
      onResponse === undefined
        ? { transactionId, primitive: p }
        : { transactionId, primitive: p, onResponse },
    );
  }

  openSession(init: Parameters<SessionHost['openSession']>[0] & { origin?: Origin }): ImpsSession {
    // A second login of the same user with the same ClientID replaces the old session [I].
    for (const old of this.sessions.ofUser(init.userId))
      if (old.clientId === init.clientId) this.endSession(old, false);
    const origin = init.origin ?? this.loginOrigin;
    const session = new ImpsSession(
      this.config.ids.token(20),
      init.userId,
      init.clientId,
      init.cookie,
      init.keepAliveSeconds,
      {
        ...init.request,
        remoteAddress: origin.address,
        cirAddress: origin.clientAddress ?? origin.address,
        roaming: this.config.visitedRelayAddresses.includes(origin.address),
      },
      this.config.clock,
      (s) => this.endSession(s, true),
    );
    session.wake = (s) => this.cir?.wake(s);
    this.sessions.add(session);
    this.presence.changed(init.userId);
    return session;
  }

  endSession(session: ImpsSession, expired: boolean): void {
    if (session.isClosed) return;
    this.sessions.remove(session, expired);
    this.cir?.detach(session);
    this.auto.endSession(session.sessionId);
    this.presence.endSession(session);
    this.presence.changed(session.userId);
  }

  /** Forced logout (imps.md §2.2 601): Disconnect is queued and the session ends when it is fetched. */
  forceLogout(userId: string): void {
    for (const s of this.sessions.ofUser(userId))
      this.send(s, primitive('Disconnect', { result: resultOf(601) }));
  }

  cirTcpEndpoint(): { address: string; port: number } | undefined {
    return this.cir?.tcpEndpoint();
  }

  cirUrl(session: ImpsSession): string {
    return this.cir?.url(session) ?? '';
  }

  /** One decoded CSP message in, the answer out (undefined = empty HTTP body, imps.md §8.1). */
  async handle(message: CspMessage, origin: Origin): Promise<CspMessage | undefined> {
    const env = message.envelope;
    const out: CspTransaction[] = [];
    const reply = (tx: CspTransaction, answer: CspPrimitive) => {
      const r: CspTransaction = { mode: 'Response', primitive: answer };
      if (tx.transactionId !== undefined) r.transactionId = tx.transactionId;
      out.push(r);
    };
    const session = this.sessions.get(env.sessionId);
    if (session === undefined) {
      for (const tx of env.transactions) {
        if (tx.mode !== 'Request') continue;
        const p = tx.primitive;
        if (p.name === 'Login-Request' && !('generic' in p)) {
          this.loginOrigin = origin;
          reply(tx, this.login.handle(p as Parameters<LoginHandler['handle']>[0], message));
        } else if (p.name === 'GetSPInfo-Request') reply(tx, handleGetSpInfo(this, p));
        else if (this.sessions.wasExpired(env.sessionId)) reply(tx, fail('PS1_ERR_SESSION_EXPIRED'));
        else
          reply(
            tx,
            fail('PS1_ERR_INVALID_SESSION', env.sessionId === undefined ? 'no SessionID' : undefined),
          );
      }
      if (out.length === 0) return undefined;
      return this.message(message, { sessionType: 'Outband', transactions: out });
    }
    session.touch();
    session.version = message.version;
    session.encoding = message.encoding;
    session.cirAddress = origin.clientAddress ?? origin.address;
    if (session.remoteAddress !== origin.address) {
      session.remoteAddress = origin.address;
      const roaming = this.config.visitedRelayAddresses.includes(origin.address);
      if (roaming !== session.roaming) {
        session.roaming = roaming;
        this.presence.changed(session.userId);
      }
    }
    let polled = false;
    for (const tx of env.transactions) {
      const p = tx.primitive;
      if (tx.mode === 'Response') {
        // imps.md §8.1: the client's answer to a server-initiated transaction retires it.
        const retired = session.retire(tx.transactionId);
        retired?.onResponse?.(p);
        if (retired?.primitive.name === 'Disconnect') this.endSession(session, false);
        // CSP 1.1 example 050 answers PresenceAuth-Request with PresenceAuth-User directly.
        if (p.name === 'PresenceAuth-User' && !('generic' in p)) handlePresenceAuthUser(this, session, p);
        continue;
      }
      if (p.name === 'Polling-Request') {
        polled = true;
        continue;
      }
      reply(tx, await this.dispatch(session, p));
      if (session.isClosed) break;
    }
    if (polled && !session.isClosed) {
      for (const t of session.takeForPoll(this.config.clock.now(), this.config.resendAfterMs)) {
        out.push({ mode: 'Request', transactionId: t.transactionId, primitive: t.primitive });
        // Disconnect needs no answer: the session ends once it has been handed over.
        if (t.primitive.name === 'Disconnect') {
          session.retire(t.transactionId);
          this.endSession(session, false);
        }
      }
    }
    if (out.length === 0) return undefined;
    const envelope: CspMessage['envelope'] = {
      sessionType: 'Inband',
      sessionId: session.sessionId,
      transactions: out,
    };
    // imps.md §8.1: Poll=T while more is queued for the client.
    if (!session.isClosed) envelope.poll = session.hasUnsent();
    return this.message(message, envelope);
  }

  private message(request: CspMessage, envelope: CspMessage['envelope']): CspMessage {
    return {
      version: request.version,
      encoding: request.encoding,
      envelope,
      primitive: envelope.transactions[0]!.primitive,
    };
  }

  private async dispatch(session: ImpsSession, p: CspPrimitive): Promise<CspPrimitive> {
    const handler = this.handlers[p.name];
    if (handler === undefined || 'generic' in p)
      return statusOf(resultOf(501, `Not implemented: ${p.name} is not supported by PS1`));
    const fn = PRIMITIVE_FUNCTION[p.name];
    if (fn !== undefined && !session.agreedFunctions?.has(fn))
      return fail(
        'PS1_ERR_NOT_AGREED',
        session.agreedFunctions === undefined ? `${fn} (no Service negotiation yet)` : `${fn} was not agreed`,
      );
    try {
      return await handler(session, p);
    } catch (e) {
      return statusOf(resultOf(500, `Internal server error: ${String((e as Error)?.message ?? e)}`));
    }
  }

  stop(): void {
    this.login.stop();
    this.messages.stop();
    for (const s of this.sessions.all()) this.sessions.remove(s, false);
  }
}
