import { type Clock, systemClock } from '../../../../common/clock.ts';
import { type IdSource, randomIds } from '../../../../common/ids.ts';
import {
  answerChallenge,
  applyAuthorization,
  DigestClientState,
  type DigestUserCredentials,
} from '../auth/index.ts';
import { formatNameAddr, parseNameAddr } from '../message/header-values.ts';
import { isKnownMethod } from '../message/methods.ts';
import type { NameAddr } from '../message/name-addr.ts';
import { SipHeaders, SipRequest, SipResponse } from '../message/sip-message.ts';
import type { Uri } from '../message/uri.ts';
import { parseUri } from '../message/uri-codec.ts';
import type { TimerValues } from '../transaction/timer-values.ts';
import { TransactionLayer } from '../transaction/transaction-layer.ts';
import type { RequestTarget, ServerTransaction, TransactionUser } from '../transaction/transaction-user.ts';
import { TcpTransport, UdpTransport } from '../transport/index.ts';
import type { InboundMessage, Transport, TransportProtocol } from '../transport/transport.ts';
import { dialogId } from './dialog.ts';
import { defaultReason, IncomingRequest } from './incoming-request.ts';
import { StaticRouter } from './routing.ts';

// The user-agent core: the TransactionUser above the transaction layer, and the API every SIP
// node of the lab (PS2, Jane's terminal, the IWF's SIP face) builds on. In the manner of a
// request router: handlers per method for requests outside dialogs, dialog usages (subscriber,
// notifier) for requests inside them, and `request()` for sending with Digest retries.

// A handler may return a promise; a rejection becomes a 500 (if not answered yet).
export type RequestHandler = (request: IncomingRequest) => unknown;

/** A dialog usage (RFC 5057) that wants the in-dialog requests of its dialog. */
export interface DialogUsage {
  onDialogRequest(request: IncomingRequest): void;
}

/** Claims NOTIFYs that arrive before the SUBSCRIBE's 2xx (RFC 6665 §4.1.2.4). */
export interface EarlyNotifyClaimer {
  claimEarlyNotify(request: IncomingRequest): boolean;
}

export interface SipUserAgentOptions {
  /** Node name reported with every trace event. */
  node: string;
  /** The 127.x.y.z address to bind. */
  address: string;
  /** Port for UDP and TCP (0 = any; both then get their own). Default 5060. */
  port?: number;
  protocols?: TransportProtocol[];
  /** Next-hop table for domains (the stand-in for DNS). */
  router?: StaticRouter;
  /** Every out-of-dialog request goes here first (a visited network's proxy, a home proxy). */
  outboundProxy?: RequestTarget;
  clock?: Clock;
  ids?: IdSource;
  timers?: Partial<TimerValues>;
  /** User-Agent / Server header value. */
  product?: string;
  /** Digest credentials for 401/407 challenges. */
  credentials?: DigestUserCredentials;
  /** Maximum message size accepted by the transports. */
  maxMessageBytes?: number;
}

export interface OutgoingRequestOptions {
  method: string;
  uri: Uri | string;
  /** Our identity: `sip:jane@domain2.lab` or a name-addr. */
  from: string | NameAddr;
  /** Defaults to the Request-URI. */
  to?: string | NameAddr;
  fromTag?: string;
  callId?: string;
  cseq?: number;
  headers?: Array<[string, string]>;
  body?: Buffer | string;
  contentType?: string;
  /** Add our Contact (default: true for SUBSCRIBE, REGISTER, NOTIFY). */
  contact?: boolean | string;
  /** Explicit next hop (overrides outbound proxy and routing). */
  target?: RequestTarget;
  /** Transport to prefer when the routing does not say. */
  protocol?: TransportProtocol;
  /** Credentials for this request (else the agent's). Set to null to never authenticate. */
  credentials?: DigestUserCredentials | null;
}

const CONTACT_METHODS = new Set(['SUBSCRIBE', 'REGISTER', 'NOTIFY', 'INVITE', 'REFER']);

export class SipUserAgent implements TransactionUser {
  readonly node: string;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly router: StaticRouter;
  readonly product: string;
  outboundProxy: RequestTarget | undefined;
  private readonly options: SipUserAgentOptions;
  private readonly transports: Transport[] = [];
  private layer: TransactionLayer | undefined;
  private readonly handlers = new Map<string, RequestHandler>();
  private readonly usages = new Map<string, DialogUsage>();
  private readonly earlyClaimers = new Set<EarlyNotifyClaimer>();
  private fallback: RequestHandler | undefined;
  private readonly digest: DigestClientState;

  constructor(options: SipUserAgentOptions) {
    this.options = options;
    this.node = options.node;
    this.clock = options.clock ?? systemClock;
    this.ids = options.ids ?? randomIds;
    this.router = options.router ?? new StaticRouter();
    this.product = options.product ?? 'imps-simple-lab/0.1';
    this.outboundProxy = options.outboundProxy;
    this.digest = new DigestClientState(this.ids);
  }

  /** Methods with a handler (plus what every UA answers), for Allow. */
  get allow(): readonly string[] {
    return [...new Set(['OPTIONS', ...this.handlers.keys()])];
  }

  async start(): Promise<void> {
    const protocols = this.options.protocols ?? ['udp', 'tcp'];
    const wanted = this.options.port ?? 5060;
    // With port 0 every transport still shares one port number: RFC 3261 §18.1.1 switches a
    // large request to TCP toward the same port a Contact gave for UDP, so UDP and TCP of one
    // node must listen on the same number. The first transport picks it; the others follow, and
    // a clash (another process took it for the other protocol) starts over.
    for (let attempt = 0; ; attempt++) {
      let port = wanted;
      this.transports.length = 0;
      try {
        for (const protocol of protocols) {
          const transport = this.createTransport(protocol, port);
          this.transports.push(transport);
          port = (await transport.listen()).port;
        }
        break;
      } catch (error) {
        await Promise.all(this.transports.map((t) => t.close().catch(() => undefined)));
        if (wanted !== 0 || attempt >= 20) throw error;
      }
    }
    this.layer = new TransactionLayer({
      transports: this.transports,
      tu: this,
      clock: this.clock,
      ids: this.ids,
      timers: this.options.timers,
    });
  }

  private createTransport(protocol: TransportProtocol, port: number): Transport {
    const common = {
      node: this.node,
      address: this.options.address,
      port,
      maxMessageBytes: this.options.maxMessageBytes,
    };
    return protocol === 'udp' ? new UdpTransport(common) : new TcpTransport(common);
  }

  async stop(): Promise<void> {
    this.layer?.close();
    await Promise.all(this.transports.map((t) => t.close()));
    this.transports.length = 0;
  }

  /** Where a transport listens (after start). */
  local(protocol: TransportProtocol = 'udp'): { address: string; port: number } {
    const t = this.transports.find((x) => x.protocol === protocol) ?? this.transports[0];
    if (!t) throw new Error('user agent not started');
    return t.local;
  }

  /** Our Contact URI for a transport, optionally with a user part. */
  contactUri(protocol: TransportProtocol = 'udp', user?: string): string {
    const { address, port } = this.local(protocol);
    return `sip:${user ? `${user}@` : ''}${address}:${port}${protocol === 'tcp' ? ';transport=tcp' : ''}`;
  }

  get transactions(): TransactionLayer {
    if (!this.layer) throw new Error('user agent not started');
    return this.layer;
  }

  // ——— inbound ———

  /** Handles out-of-dialog requests of `method`. */
  on(method: string, handler: RequestHandler): this {
    this.handlers.set(method.toUpperCase(), handler);
    return this;
  }

  off(method: string): this {
    this.handlers.delete(method.toUpperCase());
    return this;
  }

  /**
   * Takes every request no dialog usage and no method handler claims (instead of 481/405/501):
   * the hook a proxy uses to relay in-dialog requests of dialogs it only record-routes.
   */
  setFallbackHandler(handler: RequestHandler | undefined): this {
    this.fallback = handler;
    return this;
  }

  addDialogUsage(id: string, usage: DialogUsage): void {
    this.usages.set(id, usage);
  }

  removeDialogUsage(id: string): void {
    this.usages.delete(id);
  }

  addEarlyNotifyClaimer(claimer: EarlyNotifyClaimer): void {
    this.earlyClaimers.add(claimer);
  }

  removeEarlyNotifyClaimer(claimer: EarlyNotifyClaimer): void {
    this.earlyClaimers.delete(claimer);
  }

  onRequest(tx: ServerTransaction, request: SipRequest, inbound: InboundMessage): void {
    const incoming = new IncomingRequest(request, inbound, tx, this.ids, this.product);
    try {
      this.dispatch(incoming);
    } catch (error) {
      this.failed(incoming, error);
    }
  }

  private dispatch(incoming: IncomingRequest): void {
    const { request } = incoming;
    const toTag = request.toTag;
    if (toTag !== undefined) {
      // §12.2.2: a request with a To tag belongs to a dialog, or to none we know (481).
      const usage = this.usages.get(dialogId(request.callId, toTag, request.fromTag ?? ''));
      if (usage) {
        usage.onDialogRequest(incoming);
        return;
      }
      if (request.method === 'NOTIFY') {
        for (const claimer of this.earlyClaimers) if (claimer.claimEarlyNotify(incoming)) return;
      }
      if (this.fallback) {
        this.run(this.fallback, incoming);
        return;
      }
      if (request.method !== 'ACK') incoming.reply(481, 'Call/Transaction Does Not Exist');
      return;
    }
    const handler = this.handlers.get(request.method) ?? this.fallback;
    if (handler) {
      this.run(handler, incoming);
      return;
    }
    this.answerUnserved(incoming);
  }

  /**
   * What the agent answers an out-of-dialog request nobody serves — also for a fallback handler
   * that declines one: OPTIONS → 200 with Allow; RFC 3261 §8.2.1: a method we know but do not
   * serve → 405, one we do not know → 501 (both with Allow); ACK gets nothing.
   */
  answerUnserved(incoming: IncomingRequest): void {
    const method = incoming.request.method;
    if (method === 'ACK') return;
    const allow: [string, string] = ['Allow', this.allow.join(', ')];
    if (method === 'OPTIONS') {
      incoming.reply(200, 'OK', { headers: [allow] });
      return;
    }
    const known = isKnownMethod(method);
    incoming.reply(known ? 405 : 501, known ? 'Method Not Allowed' : 'Not Implemented', { headers: [allow] });
  }

  private run(handler: RequestHandler, incoming: IncomingRequest): void {
    const result = handler(incoming);
    if (result && typeof (result as Promise<void>).catch === 'function') {
      (result as Promise<void>).catch((error: unknown) => this.failed(incoming, error));
    }
  }

  private failed(incoming: IncomingRequest, error: unknown): void {
    const detail = error instanceof Error ? error.message : String(error);
    if (!incoming.isAnswered) incoming.reply(500, `Server Internal Error - ${detail.slice(0, 80)}`);
  }

  // ——— outbound ———

  /** Builds an out-of-dialog request (RFC 3261 §8.1.1); Via is added by the transaction layer. */
  createRequest(options: OutgoingRequestOptions): SipRequest {
    const uri = typeof options.uri === 'string' ? parseUri(options.uri) : options.uri;
    const from = typeof options.from === 'string' ? parseNameAddr(options.from) : options.from;
    const to =
      options.to === undefined
        ? { uri, params: from.params.clone() }
        : typeof options.to === 'string'
          ? parseNameAddr(options.to)
          : options.to;
    if (options.to === undefined) for (const [n] of [...to.params]) to.params.delete(n);
    const headers = new SipHeaders();
    headers.append('Max-Forwards', '70');
    headers.append(
      'From',
      `${formatNameAddr(withoutTag(from))};tag=${options.fromTag ?? this.ids.token(10)}`,
    );
    headers.append('To', formatNameAddr(to));
    headers.append('Call-ID', options.callId ?? `${this.ids.token(20)}@${this.options.address}`);
    headers.append('CSeq', `${options.cseq ?? 1} ${options.method}`);
    const wantsContact = options.contact ?? CONTACT_METHODS.has(options.method);
    if (wantsContact) {
      const protocol = options.protocol ?? options.target?.protocol ?? this.routeProtocol(uri) ?? 'udp';
      headers.append(
        'Contact',
        typeof wantsContact === 'string' ? wantsContact : `<${this.contactUri(protocol)}>`,
      );
    }
    headers.append('User-Agent', this.product);
    for (const [name, value] of options.headers ?? []) headers.append(name, value);
    let body: Buffer = Buffer.alloc(0);
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? Buffer.from(options.body, 'utf8') : options.body;
      if (options.contentType) headers.append('Content-Type', options.contentType);
    }
    return new SipRequest(options.method, uri, headers, body);
  }

  /** Sends an out-of-dialog request; resolves with the final response (408/503 synthesized). */
  request(options: OutgoingRequestOptions): Promise<SipResponse> {
    const request = this.createRequest(options);
    return this.send(request, {
      target: options.target,
      protocol: options.protocol,
      ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
    });
  }

  /**
   * Sends a request built elsewhere (in a dialog, or by `createRequest`) through a client
   * transaction, answering one round of Digest challenges (§22.2/§22.3: same Call-ID, CSeq + 1).
   */
  async send(
    request: SipRequest,
    options: {
      target?: RequestTarget;
      protocol?: TransportProtocol;
      /** Defaults to the agent's credentials; null never answers a challenge. */
      credentials?: DigestUserCredentials | null;
    } = {},
  ): Promise<SipResponse> {
    const target = options.target ?? this.resolveTarget(request, options.protocol);
    if ('status' in target) return synthesize(request, target.status, target.reason, this.ids);
    let response = await this.transactions.request(request, target);
    const credentials =
      options.credentials === null ? undefined : (options.credentials ?? this.options.credentials);
    if ((response.status === 401 || response.status === 407) && credentials) {
      const retry = cloneForRetry(request);
      const fields = answerChallenge(retry, response, credentials, this.digest);
      if (fields) {
        applyAuthorization(retry, fields);
        response = await this.transactions.request(retry, target);
        // Later requests of a dialog continue from the retried CSeq.
        request.headers.set('CSeq', retry.headers.get('CSeq')!);
      }
    }
    return response;
  }

  /**
   * The transport the next hop of `uri` is reached over, so our Contact names it too: the peer's
   * in-dialog requests (NOTIFYs) then come back over the same kind of transport — over TCP no
   * server transaction lingers for Timer J (RFC 3261 §17.2.2: 0 s for reliable transports).
   */
  private routeProtocol(uri: Uri): TransportProtocol | undefined {
    if (this.outboundProxy) return this.outboundProxy.protocol;
    const r = this.router.resolve(uri);
    return r.ok ? r.target.protocol : undefined;
  }

  /** Next hop: the first Route (loose routing), else the outbound proxy, else the Request-URI. */
  resolveTarget(
    request: SipRequest,
    protocol?: TransportProtocol,
  ): RequestTarget | { status: number; reason: string } {
    const firstRoute = request.routes[0];
    const r = firstRoute
      ? this.router.resolve(firstRoute.uri, protocol)
      : this.outboundProxy
        ? { ok: true as const, target: this.outboundProxy }
        : this.router.resolve(request.uri, protocol);
    return r.ok ? r.target : { status: r.status, reason: r.reason };
  }
}

function withoutTag(na: NameAddr): NameAddr {
  const params = na.params.clone();
  params.delete('tag');
  return { ...na, params };
}

function cloneForRetry(request: SipRequest): SipRequest {
  const headers = request.headers.clone();
  headers.delete('Via');
  headers.set('CSeq', `${request.cseq.seq + 1} ${request.method}`);
  return new SipRequest(request.method, request.uri, headers, request.body);
}

function synthesize(request: SipRequest, status: number, reason: string, ids: IdSource): SipResponse {
  // No Via yet on an unsent request; the response is for the caller only.
  const headers = new SipHeaders();
  for (const name of ['From', 'To', 'Call-ID', 'CSeq']) {
    const v = request.headers.get(name);
    if (v !== undefined)
      headers.append(name, name === 'To' && !/;\s*tag=/i.test(v) ? `${v};tag=${ids.token(8)}` : v);
  }
  return new SipResponse(status, reason || defaultReason(status), headers);
}
