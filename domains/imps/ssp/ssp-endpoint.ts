// Both ends of SSP (imps.md §10) over HTTP: the client end sends requests to a peer domain and
// awaits the asynchronous answer (a separate POST back, matched by transactionID); the serving
// end acknowledges each POST with HTTP 200 at once, verifies that the asserted sender belongs to
// the authenticated peer domain (baraza verify_ssp_sender), hands requests to an SspDelegate and
// POSTs the response transaction back. Session setup: ssp-session-setup.ts.
import http from 'node:http';
import type { Clock, TimerHandle } from '../../../common/clock.ts';
import { systemClock } from '../../../common/clock.ts';
import type { IdSource } from '../../../common/ids.ts';
import { randomIds } from '../../../common/ids.ts';
import { traceWire } from '../../../common/trace.ts';
import { decodeSsp, encodeSsp } from './ssp-codec.ts';
import type { SspDelegate, SspRequestContext } from './ssp-delegate.ts';
import {
  domainOfServiceId,
  SSP_CONTENT_TYPE,
  type SspContent,
  type SspMessage,
  type SspRequestContent,
  type SspStatus,
  type SspTransaction,
} from './ssp-model.ts';
import { SspOutbox, type SspOutboxOptions } from './ssp-outbox.ts';
import { digestMatches, passwordDigest, SspPeer } from './ssp-session-setup.ts';

export interface SspPeerConfig {
  /** The peer's SSP URL (loopback only), e.g. http://127.0.3.1:8090/ssp */
  url: string;
  /** Shared secret of the mutual login. */
  secret: string;
}

export interface SspEndpointOptions {
  /** Our domain, e.g. domain1.lab (serviceID wv:@domain1.lab). */
  domain: string;
  /** The static routing table: peer domain -> URL + secret. Other domains are never contacted. */
  peers: Record<string, SspPeerConfig>;
  delegate?: SspDelegate;
  /** Source address of outbound POSTs (127.x). */
  localAddress?: string;
  node?: string;
  clock?: Clock;
  ids?: IdSource;
  /** How long setup and each request may take before failing with a timeout. */
  timeoutMs?: number;
  maxBodyBytes?: number;
  /**
   * Several session transactions per POST once this many POSTs to a peer await their HTTP
   * acknowledgement (ssp-outbox.ts); default 4 in flight, 32 per POST. maxInFlight Infinity
   * sends every transaction in a POST of its own.
   */
  batching?: SspOutboxOptions;
}

export class SspTimeoutError extends Error {}
export class SspNoRouteError extends Error {}

interface Pending {
  resolve: (c: SspContent) => void;
  reject: (e: Error) => void;
  timer: TimerHandle;
  /** Called once, when the POST carrying the request is acknowledged (HTTP 200). */
  accepted: (() => void) | undefined;
}

function isLoopbackUrl(url: string): boolean {
  try {
    return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(new URL(url).hostname);
  } catch {
    return false;
  }
}

function domainOfUser(userId: string): string {
  const at = userId.lastIndexOf('@');
  return at < 0 ? '' : userId.slice(at + 1).toLowerCase();
}

export class SspEndpoint {
  delegate: SspDelegate | undefined;
  readonly domain: string;
  private readonly peers = new Map<string, SspPeer>();
  private readonly byInboundSession = new Map<string, SspPeer>();
  /** Messages already sent again after a 401 (each is resent at most once). */
  private readonly resent = new WeakSet<SspMessage>();
  private readonly pending = new Map<string, Pending>();
  /** Our LoginRequest transactions, so their LoginResponse finds the peer. */
  private readonly logins = new Map<string, SspPeer>();
  private readonly outboxes = new Map<SspPeer, SspOutbox>();
  private readonly clock: Clock;
  private readonly ids: IdSource;
  private readonly node: string;
  private readonly timeoutMs: number;
  private readonly maxBodyBytes: number;
  private server: http.Server | undefined;
  private stopped = false;

  constructor(private readonly options: SspEndpointOptions) {
    this.domain = options.domain.toLowerCase();
    this.delegate = options.delegate;
    this.clock = options.clock ?? systemClock;
    this.ids = options.ids ?? randomIds;
    this.node = options.node ?? this.domain;
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.maxBodyBytes = options.maxBodyBytes ?? 256 * 1024;
    for (const [domain, p] of Object.entries(options.peers)) {
      // DESIGN.md: only 127.0.0.0/8 is ever contacted, whatever the configuration says.
      if (!isLoopbackUrl(p.url)) throw new Error(`SSP peer ${domain}: ${p.url} is not a loopback URL`);
      this.peers.set(domain.toLowerCase(), new SspPeer(domain.toLowerCase(), p.url, p.secret));
    }
  }

  get serviceId(): string {
    return `wv:@${this.domain}`;
  }

  routes(domain: string): boolean {
    return this.peers.has(domain.toLowerCase());
  }

  isUp(domain: string): boolean {
    return this.peers.get(domain.toLowerCase())?.state === 'up';
  }

  /** Standalone serving end (the IWF uses this; PS1 mounts handleHttp on its own server). */
  async listen(address: string, port: number): Promise<{ address: string; port: number; url: string }> {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size <= this.maxBodyBytes) chunks.push(c);
      });
      req.on('end', () => {
        if (size > this.maxBodyBytes) {
          this.problem(res, 413, 'Payload Too Large', `SSP bodies are limited to ${this.maxBodyBytes} bytes`);
          return;
        }
        if (req.method !== 'POST') {
          this.problem(res, 405, 'Method Not Allowed', 'SSP is POSTed');
          return;
        }
        this.handleHttp(req, Buffer.concat(chunks), res);
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, address, () => resolve());
    });
    this.server = server;
    const a = server.address();
    if (a === null || typeof a === 'string') throw new Error('SSP: no TCP address');
    return { address: a.address, port: a.port, url: `http://${a.address}:${a.port}/ssp` };
  }

  async close(): Promise<void> {
    this.stop();
    const s = this.server;
    this.server = undefined;
    if (s === undefined) return;
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }

  stop(): void {
    this.stopped = true;
    for (const p of this.pending.values()) {
      p.timer.cancel();
      p.reject(new Error('SSP endpoint stopped'));
    }
    this.pending.clear();
    for (const outbox of this.outboxes.values()) outbox.drain();
    for (const peer of this.peers.values()) peer.fail('SSP endpoint stopped');
  }

  // ---- client end ----

  /**
   * Sends a request to `domain` (setting the session up first) and awaits the response content.
   * `onAccepted` is called when the POST carrying it was acknowledged: the peer has taken the
   * request in, after every request acknowledged before it — enough to keep the order of what
   * follows without waiting for the (asynchronous) answer.
   */
  async request(domain: string, content: SspRequestContent, onAccepted?: () => void): Promise<SspContent> {
    const peer = this.peers.get(domain.toLowerCase());
    if (peer === undefined) throw new SspNoRouteError(`no SSP route to ${domain}`);
    await this.ensureUp(peer);
    const transactionId = `ssp-${this.ids.token(12)}`;
    const answer = this.await(transactionId, onAccepted);
    this.outbox(peer).push({ mode: 'Request', transactionId, content });
    return answer;
  }

  private await(transactionId: string, accepted: (() => void) | undefined): Promise<SspContent> {
    return new Promise<SspContent>((resolve, reject) => {
      const timer = this.clock.setTimer(this.timeoutMs, () => {
        this.pending.delete(transactionId);
        reject(new SspTimeoutError(`no SSP answer to ${transactionId}`));
      });
      this.pending.set(transactionId, { resolve, reject, timer, accepted });
    });
  }

  private acknowledged(message: SspMessage): void {
    for (const t of message.transactions) {
      if (t.mode !== 'Request') continue;
      const p = this.pending.get(t.transactionId);
      if (p?.accepted === undefined) continue;
      const accepted = p.accepted;
      p.accepted = undefined;
      accepted();
    }
  }

  private ensureUp(peer: SspPeer): Promise<void> {
    if (peer.state === 'up') return Promise.resolve();
    const up = peer.whenUp();
    if (peer.state === 'idle') {
      peer.state = 'token-sent';
      peer.ownToken ??= this.ids.token(24);
      const timer = this.clock.setTimer(this.timeoutMs, () => {
        if (peer.state !== 'up') peer.fail(`SSP session setup with ${peer.domain} timed out`);
      });
      up.then(
        () => timer.cancel(),
        () => timer.cancel(),
      );
      this.postSetup(peer, 'Request', `setup-${this.ids.token(10)}`, {
        kind: 'SendSecretToken',
        serviceId: this.serviceId,
        secretToken: peer.ownToken,
      });
    }
    return up;
  }

  // ---- serving end ----

  private problem(res: http.ServerResponse, status: number, title: string, detail: string): void {
    const body = JSON.stringify({ type: 'about:blank', title, status, detail });
    res.writeHead(status, {
      'content-type': 'application/problem+json',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  }

  /** One SSP POST: checked, acknowledged with HTTP 200, then processed (answers go as new POSTs). */
  handleHttp(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): void {
    traceWire({
      node: this.node,
      protocol: 'ssp',
      direction: 'rx',
      transport: 'http',
      local: { address: req.socket.localAddress ?? '', port: req.socket.localPort ?? 0 },
      remote: { address: req.socket.remoteAddress ?? '', port: req.socket.remotePort ?? 0 },
      time: this.clock.wallNow(),
      bytes: body,
    });
    const decoded = decodeSsp(body);
    if (!decoded.ok) {
      // Without a readable envelope there is nobody to POST a Status to: answer in HTTP.
      this.problem(res, 400, 'Bad Request', `${decoded.error.code} ${decoded.error.description}`);
      return;
    }
    const m = decoded.message;
    let peer: SspPeer | undefined;
    if (m.setup) {
      const first = m.transactions[0]!.content;
      const serviceId = 'serviceId' in first ? first.serviceId : '';
      peer = this.peers.get(domainOfServiceId(serviceId));
      if (peer === undefined && first.kind !== 'LoginResponse') {
        // A domain outside the static table is refused, never looked up (DESIGN.md; CSP/SSP 516).
        this.problem(res, 403, 'Forbidden', `516 Domain not supported: ${serviceId}`);
        return;
      }
    } else {
      peer = this.byInboundSession.get(m.sessionId ?? '');
      if (peer === undefined) {
        this.problem(res, 401, 'Unauthorized', `604 Invalid SSP session ${m.sessionId ?? ''}`);
        return;
      }
    }
    res.writeHead(200, { 'content-length': 0 });
    res.end();
    for (const tx of m.transactions) {
      if (m.setup) this.onSetup(tx, peer);
      else void this.onSession(peer!, tx);
    }
  }

  private onSetup(tx: SspTransaction, peer: SspPeer | undefined): void {
    const c = tx.content;
    if (c.kind === 'LoginResponse') {
      // Our LoginRequest was answered: its sessionID is how we address the peer from now on.
      const target = this.logins.get(tx.transactionId);
      this.logins.delete(tx.transactionId);
      if (target === undefined) return;
      if (c.status.code === 200 && c.sessionId !== undefined) {
        target.outboundSessionId = c.sessionId;
        target.markUp();
      } else target.fail(`SSP login refused: ${c.status.code} ${c.status.description ?? ''}`);
      return;
    }
    if (peer === undefined) return;
    if (c.kind === 'SendSecretToken' && tx.mode === 'Request') {
      peer.peerToken = c.secretToken;
      peer.ownToken ??= this.ids.token(24);
      this.postSetup(peer, 'Response', tx.transactionId, {
        kind: 'SendSecretToken',
        serviceId: this.serviceId,
        secretToken: peer.ownToken,
      });
    } else if (c.kind === 'SendSecretToken' && tx.mode === 'Response') {
      peer.peerToken = c.secretToken;
      if (peer.state === 'token-sent') this.sendLogin(peer);
    } else if (c.kind === 'LoginRequest') {
      const ok =
        peer.ownToken !== undefined &&
        digestMatches(passwordDigest(peer.ownToken, peer.secret), c.passwordDigest);
      if (!ok) {
        this.postSetup(peer, 'Response', tx.transactionId, {
          kind: 'LoginResponse',
          status: { code: 409, description: 'Invalid password: shared-secret digest mismatch' },
        });
        return;
      }
      peer.peerAuthenticated = true;
      if (peer.inboundSessionId !== undefined) this.byInboundSession.delete(peer.inboundSessionId);
      peer.inboundSessionId = `${this.ids.token(16)}@${this.domain}`;
      this.byInboundSession.set(peer.inboundSessionId, peer);
      this.postSetup(peer, 'Response', tx.transactionId, {
        kind: 'LoginResponse',
        sessionId: peer.inboundSessionId,
        timeToLive: 3600,
        status: { code: 200, description: 'Successful' },
      });
      // Mutual login: prove ourselves too unless we already did.
      if (peer.state === 'idle' || peer.state === 'token-sent') {
        if (peer.peerToken !== undefined) this.sendLogin(peer);
      }
    }
  }

  private sendLogin(peer: SspPeer): void {
    peer.state = 'login-sent';
    const transactionId = `setup-${this.ids.token(10)}`;
    this.logins.set(transactionId, peer);
    this.postSetup(peer, 'Request', transactionId, {
      kind: 'LoginRequest',
      serviceId: this.serviceId,
      timeToLive: 3600,
      passwordDigest: passwordDigest(peer.peerToken ?? '', peer.secret),
    });
  }

  private async onSession(peer: SspPeer, tx: SspTransaction): Promise<void> {
    if (tx.mode === 'Response') {
      const p = this.pending.get(tx.transactionId);
      if (p === undefined) return;
      this.pending.delete(tx.transactionId);
      p.timer.cancel();
      p.resolve(tx.content);
      return;
    }
    const answer = await this.serve(peer, tx);
    // The peer may talk before our half of the mutual login is done: answer once it is.
    if (peer.state !== 'up') await peer.whenUp().catch(() => undefined);
    if (peer.outboundSessionId === undefined) return;
    this.outbox(peer).push({ mode: 'Response', transactionId: tx.transactionId, content: answer });
  }

  private outbox(peer: SspPeer): SspOutbox {
    let outbox = this.outboxes.get(peer);
    if (outbox === undefined) {
      outbox = new SspOutbox((transactions, done) => {
        const sessionId = peer.outboundSessionId;
        if (this.stopped || sessionId === undefined) {
          // The session was lost while these waited: requests fail now rather than time out.
          this.rejectRequests(peer, { setup: false, transactions }, 'no SSP session');
          done();
          return;
        }
        this.post(peer, { setup: false, sessionId, transactions }, done);
      }, this.options.batching ?? { maxInFlight: 4, maxBatch: 32 });
      this.outboxes.set(peer, outbox);
    }
    return outbox;
  }

  /** imps.md §10 "Server duties": sender verification, 405/501, delegate dispatch. */
  private async serve(peer: SspPeer, tx: SspTransaction): Promise<SspContent> {
    const status = (code: number, description: string): SspContent => ({
      kind: 'Status',
      status: { code, description },
    });
    if (!peer.peerAuthenticated) return status(604, 'Invalid session: peer not logged in');
    const c = tx.content;
    if (!('meta' in c)) return status(405, `Service not supported: ${c.kind} is not a request`);
    const claimed = [domainOfServiceId(c.meta.serviceId)];
    if (c.meta.userId !== undefined) claimed.push(domainOfUser(c.meta.userId));
    if (c.kind === 'SendMessageRequest') claimed.push(domainOfUser(c.message.sender));
    const foreign = claimed.find((d) => d !== peer.domain);
    if (foreign !== undefined)
      return status(403, `Forbidden: sender domain ${foreign} does not match SSP peer ${peer.domain}`);
    const ctx: SspRequestContext = { peerDomain: peer.domain, transactionId: tx.transactionId };
    const d = this.delegate;
    const notImplemented = status(501, `Not implemented: ${c.kind}`);
    try {
      switch (c.kind) {
        case 'SubscribeRequest':
          return d?.handleSspSubscribe
            ? { kind: 'Status', status: await d.handleSspSubscribe(ctx, c) }
            : notImplemented;
        case 'UnsubscribeRequest':
          return d?.handleSspUnsubscribe
            ? { kind: 'Status', status: await d.handleSspUnsubscribe(ctx, c) }
            : notImplemented;
        case 'PresenceNotification':
          return d?.handleSspPresenceNotification
            ? { kind: 'Status', status: await d.handleSspPresenceNotification(ctx, c) }
            : notImplemented;
        case 'GetPresenceRequest': {
          if (!d?.handleSspGetPresence) return notImplemented;
          const r = await d.handleSspGetPresence(ctx, c);
          return { kind: 'GetPresenceResponse', status: r.status, presences: r.presences };
        }
        case 'SendMessageRequest': {
          if (!d?.handleSspSendMessage) return notImplemented;
          const r = await d.handleSspSendMessage(ctx, c);
          return r.messageId === undefined
            ? { kind: 'SendMessageResponse', status: r.status }
            : { kind: 'SendMessageResponse', status: r.status, messageId: r.messageId };
        }
        case 'DeliveryStatusReport':
          return d?.handleSspDeliveryStatusReport
            ? { kind: 'Status', status: await d.handleSspDeliveryStatusReport(ctx, c) }
            : notImplemented;
      }
    } catch (e) {
      return status(500, `Internal server error: ${String((e as Error)?.message ?? e)}`);
    }
  }

  private postSetup(
    peer: SspPeer,
    mode: 'Request' | 'Response',
    transactionId: string,
    content: SspContent,
  ): void {
    this.post(peer, { setup: true, transactions: [{ mode, transactionId, content }] });
  }

  /** One POST; `ended` is called once its HTTP exchange is over (acknowledged or failed). */
  private post(peer: SspPeer, message: SspMessage, ended?: () => void): void {
    if (this.stopped) {
      ended?.();
      return;
    }
    const body = encodeSsp(message);
    if (body.length > this.maxBodyBytes && message.transactions.length > 1) {
      // A batch over the size limit goes as two halves (the peer's limit is taken to be ours).
      const half = Math.ceil(message.transactions.length / 2);
      let left = 2;
      const halfEnded = () => {
        if (--left === 0) ended?.();
      };
      this.post(peer, { ...message, transactions: message.transactions.slice(0, half) }, halfEnded);
      this.post(peer, { ...message, transactions: message.transactions.slice(half) }, halfEnded);
      return;
    }
    const url = new URL(peer.url);
    const headers: Record<string, string | number> = {
      'content-type': SSP_CONTENT_TYPE,
      'content-length': body.length,
      'x-wv-transactionid': message.transactions[0]!.transactionId,
    };
    if (message.sessionId !== undefined) headers['x-wv-sessionid'] = message.sessionId;
    const req = http.request({
      host: url.hostname,
      port: url.port === '' ? 80 : Number(url.port),
      path: url.pathname,
      method: 'POST',
      headers,
      ...(this.options.localAddress === undefined ? {} : { localAddress: this.options.localAddress }),
    });
    req.on('socket', (socket) => {
      const report = () =>
        traceWire({
          node: this.node,
          protocol: 'ssp',
          direction: 'tx',
          transport: 'http',
          local: { address: socket.localAddress ?? '', port: socket.localPort ?? 0 },
          remote: { address: socket.remoteAddress ?? url.hostname, port: socket.remotePort ?? 0 },
          time: this.clock.wallNow(),
          bytes: body,
        });
      // Keep-alive sockets are already connected: report at once.
      if (socket.connecting) socket.once('connect', report);
      else report();
    });
    let over = false;
    const end = () => {
      if (over) return;
      over = true;
      ended?.();
    };
    // A peer that takes the POST but never acknowledges it must not hold an outbox slot forever.
    req.setTimeout(this.timeoutMs, () => req.destroy(new Error('no HTTP acknowledgement in time')));
    req.on('response', (res) => {
      res.resume();
      end();
      if (res.statusCode === 200) this.acknowledged(message);
      else this.failPost(peer, message, `HTTP ${res.statusCode}`);
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      end();
      // A kept-alive connection the peer closed (it restarted, or timed the idle socket out)
      // fails on reuse; Node's guidance is to retry such a request once on a fresh connection.
      if (req.reusedSocket && e.code === 'ECONNRESET' && !this.resent.has(message)) {
        const again: SspMessage = { ...message };
        this.resent.add(again);
        this.post(peer, again);
        return;
      }
      this.failPost(peer, message, e.message);
    });
    req.end(body);
  }

  private failPost(peer: SspPeer, message: SspMessage, reason: string): void {
    if (!message.setup && reason === 'HTTP 401' && !this.resent.has(message)) {
      // The peer forgot our session (it restarted): set the session up again and send the same
      // transactions once more — answers included, which would otherwise be lost (the peer's
      // pending requests keep waiting on their transaction ids and timers).
      peer.state = 'idle';
      peer.outboundSessionId = undefined;
      this.ensureUp(peer).then(
        () => {
          const again: SspMessage = { ...message, sessionId: peer.outboundSessionId! };
          this.resent.add(again);
          this.post(peer, again);
        },
        (error: unknown) =>
          this.rejectRequests(peer, message, `session setup failed: ${(error as Error).message}`),
      );
      return;
    }
    this.rejectRequests(peer, message, reason);
    if (message.setup) peer.fail(`SSP setup POST to ${peer.domain} failed: ${reason}`);
    else if (reason === 'HTTP 401') {
      peer.state = 'idle';
      peer.outboundSessionId = undefined;
    }
  }

  private rejectRequests(peer: SspPeer, message: SspMessage, reason: string): void {
    for (const t of message.transactions) {
      if (t.mode !== 'Request') continue;
      const p = this.pending.get(t.transactionId);
      if (p !== undefined) {
        this.pending.delete(t.transactionId);
        p.timer.cancel();
        p.reject(new Error(`SSP POST to ${peer.domain} failed: ${reason}`));
      }
    }
  }
}

export function statusContent(status: SspStatus): SspContent {
  return { kind: 'Status', status };
}
