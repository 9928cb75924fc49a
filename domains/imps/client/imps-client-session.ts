// The session half of Harry's IMPS client (imps.md §2 "Typical client login sequence"): Login
// (plain or 4-step digest), ClientCapability + Service negotiation, a CIR channel (STCP, SUDP,
// SHTTP) or polling, KeepAlive on the Clock, and the server-initiated transactions answered as the
// spec says (PresenceNotification -> Status, NewMessage -> MessageDelivered, …). CSP 1.2 XML by
// default. The presence, list, authorization and IM calls are in imps-client.ts.
import { EventEmitter } from 'node:events';
import type { Clock, TimerHandle } from '../../../common/clock.ts';
import { systemClock } from '../../../common/clock.ts';
import type { IdSource } from '../../../common/ids.ts';
import { randomIds } from '../../../common/ids.ts';
import type { XmlElement } from '../../../common/xml/xml-node.ts';
import { CSP_NAMESPACES, type CspEncoding, type CspVersion } from '../csp/csp-version.ts';
import type { Result } from '../csp/model/common-structs.ts';
import type { CspMessage, CspTransaction } from '../csp/model/envelope.ts';
import type { PresenceSubList } from '../csp/model/presence-attributes.ts';
import { type CspPrimitive, primitive, type TypedPrimitive } from '../csp/model/primitives.ts';
import { isSessionTerminating } from '../csp/status-codes.ts';
import { CirListener } from './cir-listener.ts';
import { CspHttpClient } from './csp-http-client.ts';
import { digestBytes } from './digest.ts';

export type CirChoice = 'STCP' | 'SUDP' | 'SHTTP' | 'none';

export interface ImpsClientOptions {
  serverUrl: string;
  userId: string;
  password: string;
  clientId?: string;
  version?: CspVersion;
  encoding?: CspEncoding;
  /** 'digest' runs the 4-step login (imps.md §2.2); 'plain' sends the password. */
  login?: 'plain' | 'digest';
  digestSchemas?: string[];
  cir?: CirChoice;
  deliveryMethod?: 'P' | 'N';
  /** Source address (Harry's terminal: 127.0.1.10; roaming: through the visited network). */
  localAddress?: string;
  timeToLive?: number;
  /** Poll interval when no CIR channel is used (default ServerPollMin). */
  pollIntervalMs?: number;
  shttpIntervalMs?: number;
  /** STCP keep-alive interval (default 20 min). */
  cirPingIntervalMs?: number;
  /** Function codes to ask for (default: everything, an empty WVCSPFeat). */
  functions?: XmlElement;
  node?: string;
  clock?: Clock;
  ids?: IdSource;
}

export interface PresenceEvent {
  userId: string;
  presenceSubList: PresenceSubList;
}

/** No attribute element at all (`$`-prefixed keys are codec bookkeeping, not attributes). */
export function isEmptyPresenceSubList(psl: PresenceSubList): boolean {
  return Object.entries(psl).every(([k, v]) => k.startsWith('$') || v === undefined);
}

export class ImpsError extends Error {
  constructor(
    readonly result: Result,
    readonly primitiveName: string,
  ) {
    super(`${primitiveName}: ${result.code} ${result.description ?? ''}`);
  }
}

/** The Result of any response primitive (Status, *-Response with result), or 200 when it has none. */
export function resultOf(p: CspPrimitive): Result {
  if ('generic' in p) return { code: 200 };
  const body = p.body as { result?: Result };
  return body.result ?? { code: 200 };
}

export class ImpsClientSession extends EventEmitter {
  readonly version: CspVersion;
  readonly encoding: CspEncoding;
  readonly userId: string;
  readonly clientId: string;
  readonly cookie: string;
  sessionId: string | undefined;
  keepAliveTime = 0;
  agreedFunctions: XmlElement | undefined;
  agreedCirMethods: string[] = [];
  serverPollMin = 0;
  private readonly http: CspHttpClient;
  private readonly clock: Clock;
  private readonly ids: IdSource;
  private readonly cir: CirListener;
  private keepAliveTimer: TimerHandle | undefined;
  private pollTimer: TimerHandle | undefined;
  private polling: Promise<void> | undefined;
  private pollAgain = false;
  private txCounter = 0;
  private closed = false;

  constructor(private readonly o: ImpsClientOptions) {
    super();
    this.version = o.version ?? '1.2';
    this.encoding = o.encoding ?? 'xml';
    this.userId = o.userId;
    this.clock = o.clock ?? systemClock;
    this.ids = o.ids ?? randomIds;
    this.clientId = o.clientId ?? `WV:terminal-${this.ids.token(8)}@lab`;
    this.cookie = `${this.ids.token(12)}`;
    const node = o.node ?? 'harry';
    this.http = new CspHttpClient({
      url: o.serverUrl,
      node,
      clock: this.clock,
      ...(o.localAddress === undefined ? {} : { localAddress: o.localAddress }),
    });
    this.cir = new CirListener({
      cookie: this.cookie,
      localAddress: o.localAddress ?? '127.0.0.1',
      node,
      clock: this.clock,
      onWake: () => {
        this.emit('cir');
        void this.poll();
      },
      ...(o.cirPingIntervalMs === undefined ? {} : { pingIntervalMs: o.cirPingIntervalMs }),
      // imps.md §8.2: if the channel drops, poll instead (and catch up at once).
      onDown: () => {
        if (this.sessionId === undefined) return;
        this.emit('cirDown');
        this.armPolling();
        void this.poll();
      },
    });
  }

  get loggedIn(): boolean {
    return this.sessionId !== undefined;
  }

  private nextTransactionId(): string {
    return `${this.userId.replace(/^wv:/, '')}#${++this.txCounter}`;
  }

  private envelope(transactions: CspTransaction[]): CspMessage {
    const sessionId = this.sessionId;
    return {
      version: this.version,
      encoding: this.encoding,
      envelope:
        sessionId === undefined
          ? { sessionType: 'Outband', transactions }
          : { sessionType: 'Inband', sessionId, transactions },
      primitive: transactions[0]!.primitive,
    };
  }

  /** One request transaction; server requests riding in the answer are handled too. */
  async request(p: CspPrimitive): Promise<CspPrimitive> {
    const transactionId = this.nextTransactionId();
    const answer = await this.http.post(
      this.envelope([{ mode: 'Request', transactionId, primitive: p }]),
      this.version,
      this.encoding,
    );
    if (answer === undefined) throw new Error(`${p.name}: empty answer`);
    const mine =
      answer.envelope.transactions.find((t) => t.mode === 'Response' && t.transactionId === transactionId) ??
      answer.envelope.transactions.find((t) => t.mode === 'Response');
    await this.absorb(answer);
    if (mine === undefined) throw new Error(`${p.name}: no response transaction`);
    const result = resultOf(mine.primitive);
    if (isSessionTerminating(result.code ?? 0) && p.name !== 'Login-Request') this.dropSession(result);
    return mine.primitive;
  }

  /** Like request(), but a non-2xx Result throws ImpsError. */
  async call(p: CspPrimitive): Promise<CspPrimitive> {
    const r = await this.request(p);
    const result = resultOf(r);
    if (result.code !== undefined && (result.code < 200 || result.code >= 300))
      throw new ImpsError(result, p.name);
    return r;
  }

  /** Handles the server-initiated transactions of an answer and acknowledges them in one POST. */
  private async absorb(answer: CspMessage): Promise<void> {
    const acks: CspTransaction[] = [];
    for (const t of answer.envelope.transactions) {
      if (t.mode !== 'Request') continue;
      const ack = this.onServerRequest(t.primitive);
      if (ack !== undefined) {
        const tx: CspTransaction = { mode: 'Response', primitive: ack };
        if (t.transactionId !== undefined) tx.transactionId = t.transactionId;
        acks.push(tx);
      }
    }
    if (acks.length > 0 && this.sessionId !== undefined) {
      const more = await this.http.post(this.envelope(acks), this.version, this.encoding);
      if (more !== undefined) await this.absorb(more);
    }
    const poll = answer.envelope.poll ?? answer.envelope.transactions.some((t) => t.poll === true);
    if (poll && this.sessionId !== undefined) void this.poll();
  }

  private onServerRequest(p: CspPrimitive): CspPrimitive | undefined {
    const okStatus = primitive('Status', { result: { code: 200 } });
    this.emit('serverRequest', p);
    if ('generic' in p) return okStatus;
    switch (p.name) {
      case 'PresenceNotification-Request':
        for (const pr of (p as TypedPrimitive<'PresenceNotification-Request'>).body.presences ?? []) {
          const lists = pr.presenceSubLists ?? [];
          // Every list goes out as 'presence', an empty one too (a raw client sees what PS1 sent).
          for (const psl of lists)
            this.emit('presence', { userId: pr.userId ?? '', presenceSubList: psl } satisfies PresenceEvent);
          // PS1 never notifies a local watcher of an empty change set; an empty PresenceSubList is
          // its (and the IWF's) mark for "nothing authorized any more" (docs/ps1.md, docs/ssp.md).
          if (lists.every(isEmptyPresenceSubList))
            this.emit('presenceWithdrawn', { userId: pr.userId ?? '' });
        }
        return okStatus;
      case 'NewMessage': {
        const b = (p as TypedPrimitive<'NewMessage'>).body;
        this.emit('message', { info: b.messageInfo ?? {}, content: b.contentData ?? '' });
        // imps.md §6.2: NewMessage is answered with MessageDelivered (TransactionMode Response).
        return primitive('MessageDelivered', { messageId: b.messageInfo?.messageId ?? '' });
      }
      case 'MessageNotification':
        this.emit('messageNotification', {
          info: (p as TypedPrimitive<'MessageNotification'>).body.messageInfo ?? {},
        });
        return okStatus;
      case 'PresenceAuth-Request': {
        const b = (p as TypedPrimitive<'PresenceAuth-Request'>).body;
        this.emit('authRequest', { watcher: b.userId ?? '', presenceSubList: b.presenceSubList ?? {} });
        return okStatus;
      }
      case 'Notification-Request': {
        const b = (p as TypedPrimitive<'Notification-Request'>).body;
        this.emit('notification', {
          type: b.notificationType ?? '',
          userId: b.userId,
          presenceSubList: b.presenceSubList,
        });
        if (b.notificationType === 'ANU')
          this.emit('authRequest', { watcher: b.userId ?? '', presenceSubList: b.presenceSubList ?? {} });
        return okStatus;
      }
      case 'DeliveryReport-Request': {
        const b = (p as TypedPrimitive<'DeliveryReport-Request'>).body;
        this.emit('deliveryReport', {
          info: b.messageInfo ?? {},
          result: b.result ?? { code: 200 },
          deliveryTime: b.deliveryTime,
        });
        return okStatus;
      }
      case 'Disconnect':
        this.dropSession((p as TypedPrimitive<'Disconnect'>).body.result ?? { code: 601 });
        return undefined;
      default:
        return okStatus;
    }
  }

  /** Polling-Request (imps.md §8.1); concurrent calls coalesce into one more round. */
  poll(): Promise<void> {
    if (this.polling !== undefined) {
      this.pollAgain = true;
      return this.polling;
    }
    const run = async () => {
      do {
        this.pollAgain = false;
        if (this.sessionId === undefined) return;
        const answer = await this.http.post(
          this.envelope([
            {
              mode: 'Request',
              transactionId: this.nextTransactionId(),
              primitive: primitive('Polling-Request', {}),
            },
          ]),
          this.version,
          this.encoding,
        );
        if (answer !== undefined) await this.absorb(answer);
      } while (this.pollAgain);
    };
    this.polling = run()
      .catch((e) => this.fault(e))
      .finally(() => {
        this.polling = undefined;
      });
    return this.polling;
  }

  // ---- session ----

  async login(): Promise<Result> {
    const base = {
      userId: this.userId,
      clientId: { url: this.clientId },
      sessionCookie: this.cookie,
      ...(this.o.timeToLive === undefined ? {} : { timeToLive: this.o.timeToLive }),
    };
    let r: CspPrimitive;
    if ((this.o.login ?? 'plain') === 'plain')
      r = await this.request(primitive('Login-Request', { ...base, password: this.o.password }));
    else {
      const challenge = await this.request(
        primitive('Login-Request', {
          userId: this.userId,
          clientId: { url: this.clientId },
          digestSchemas: this.o.digestSchemas ?? ['SHA', 'MD5'],
          sessionCookie: this.cookie,
        }),
      );
      const c = (challenge as TypedPrimitive<'Login-Response'>).body;
      if (c.nonce === undefined || c.sessionId !== undefined) r = challenge;
      else {
        const digest = digestBytes(c.digestSchema ?? 'MD5', c.nonce, this.o.password);
        if (digest === undefined)
          return { code: 543, description: `unsupported DigestSchema ${c.digestSchema ?? ''}` };
        r = await this.request(primitive('Login-Request', { ...base, digestBytes: digest }));
      }
    }
    const b = (r as TypedPrimitive<'Login-Response'>).body;
    const result = b.result ?? { code: 500 };
    if (result.code !== 200 || b.sessionId === undefined) return result;
    this.sessionId = b.sessionId;
    this.keepAliveTime = b.keepAliveTime ?? 600;
    this.armKeepAlive();
    await this.negotiate();
    return result;
  }

  private async negotiate(): Promise<void> {
    const want = this.o.cir ?? 'STCP';
    const udpPort = want === 'SUDP' ? await this.cir.bindUdp() : undefined;
    const capabilityList = {
      clientType: 'MOBILE_PHONE',
      initialDeliveryMethod: this.o.deliveryMethod ?? 'P',
      acceptedContentTypes: ['text/plain'],
      acceptedTransferEncodings: ['BASE64'],
      acceptedContentLength: 100_000,
      supportedBearers: ['HTTP'],
      multiTrans: 1,
      parserSize: 100_000,
      supportedCirMethods: want === 'none' ? [] : [want],
      ...(udpPort === undefined ? {} : { udpPort }),
    };
    const body =
      this.version === '1.1' ? { clientId: { url: this.clientId }, capabilityList } : { capabilityList };
    const cap = (await this.call(
      primitive('ClientCapability-Request', body),
    )) as TypedPrimitive<'ClientCapability-Response'>;
    const agreed = cap.body.agreedCapabilityList ?? cap.body.capabilityList ?? {};
    this.agreedCirMethods = agreed.supportedCirMethods ?? [];
    this.serverPollMin = agreed.serverPollMin ?? 0;
    const trc = CSP_NAMESPACES[this.version].trc;
    const functions: XmlElement = this.o.functions ?? {
      name: 'Functions',
      local: 'Functions',
      ns: trc,
      attributes: [],
      children: [{ name: 'WVCSPFeat', local: 'WVCSPFeat', ns: trc, attributes: [], children: [] }],
    };
    const svcBody =
      this.version === '1.1'
        ? { clientId: { url: this.clientId }, functions, allFunctionsRequest: false }
        : { functions, allFunctionsRequest: false };
    const svc = (await this.call(
      primitive('Service-Request', svcBody),
    )) as TypedPrimitive<'Service-Response'>;
    this.agreedFunctions = svc.body.functions;
    if (
      this.agreedCirMethods.includes('STCP') &&
      'tcpAddress' in agreed &&
      agreed.tcpAddress !== undefined &&
      agreed.tcpPort !== undefined
    )
      await this.cir.connectTcp(agreed.tcpAddress, agreed.tcpPort, this.sessionId!);
    else if (this.agreedCirMethods.includes('SHTTP')) {
      const url =
        (agreed as { cirUrl?: { url?: string }; cirHttpAddress?: { url?: string } }).cirUrl?.url ??
        (agreed as { cirHttpAddress?: { url?: string } }).cirHttpAddress?.url;
      if (url !== undefined) this.cir.startShttp(url, this.o.shttpIntervalMs ?? 1000);
    } else if (!this.agreedCirMethods.includes('SUDP')) this.armPolling();
    // Anything queued during negotiation (offline messages, auth requests).
    await this.poll();
  }

  /** Whether the agreed Functions tree holds this function code (e.g. REACT). */
  agreed(code: string): boolean {
    const walk = (e: XmlElement): boolean =>
      e.local === code || e.children.some((c) => typeof c !== 'string' && walk(c));
    return this.agreedFunctions !== undefined && walk(this.agreedFunctions);
  }

  private armKeepAlive(): void {
    this.keepAliveTimer?.cancel();
    // imps.md §2.1: keep-alives a little before KeepAliveTime (Android: 5 s early).
    const ms = Math.max(1, this.keepAliveTime - 5) * 1000;
    this.keepAliveTimer = this.clock.setTimer(ms, () => {
      if (this.sessionId === undefined) return;
      this.request(primitive('KeepAlive-Request', {}))
        .catch((e) => this.fault(e))
        .finally(() => this.armKeepAlive());
    });
  }

  /** Background failures (polls, keep-alives): an 'error' event only when someone listens. */
  private fault(e: unknown): void {
    if (this.closed || this.listenerCount('error') === 0) return;
    this.emit('error', e);
  }

  private armPolling(): void {
    this.pollTimer?.cancel();
    const ms = this.o.pollIntervalMs ?? Math.max(1, this.serverPollMin) * 1000;
    this.pollTimer = this.clock.setTimer(ms, () => {
      if (this.sessionId === undefined) return;
      void this.poll().finally(() => this.armPolling());
    });
  }

  private dropSession(result: Result): void {
    if (this.sessionId === undefined) return;
    this.sessionId = undefined;
    this.keepAliveTimer?.cancel();
    this.pollTimer?.cancel();
    this.cir.close();
    this.emit('disconnect', result);
  }

  async logout(): Promise<void> {
    if (this.sessionId === undefined) return;
    try {
      await this.request(primitive('Logout-Request', {}));
    } finally {
      this.dropSession({ code: 200, description: 'Logged out' });
    }
  }

  /** Drops everything without telling the server (tests: a client that vanished). */
  close(): void {
    this.closed = true;
    this.keepAliveTimer?.cancel();
    this.pollTimer?.cancel();
    this.cir.close();
    this.http.close();
    this.sessionId = undefined;
  }
}
