// The IWF's two peers for bench:iwf, in the bench's own process (the IWF runs in a child):
// a PS1 that is only an SSP endpoint (domain1.lab) and a PS2 that is only a SIP presence
// notifier + MESSAGE sink (simple.bench). Real sockets on loopback, real codecs. Each arrival is
// reported to a callback with the time it arrived, so the bench measures PS2-send → PS1-arrival
// on one clock. A plain HTTP sink on the PS1 address is the end of the same-run baseline relay.
import http from 'node:http';
import { SspEndpoint } from '../../domains/imps/ssp/ssp-endpoint.ts';
import type {
  DeliveryStatusReport,
  PresenceNotification,
  SendMessageRequest,
} from '../../domains/imps/ssp/ssp-model.ts';
import { parseCpim } from '../../domains/simple/payloads/cpim.ts';
import { parseImdn } from '../../domains/simple/payloads/imdn.ts';
import {
  type IncomingRequest,
  Notifier,
  type NotifierSubscription,
  SipUserAgent,
  StaticRouter,
} from '../../domains/simple/sip/core/index.ts';
import { formatUri } from '../../domains/simple/sip/message/uri-codec.ts';

export const IMPS_DOMAIN = 'domain1.lab';
export const SIMPLE_DOMAIN = 'simple.bench';
export const SECRET = 'bench-iwf-secret';
export const now = (): number => performance.now();

export function pidf(user: string, seq: number): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="pres:${user}@${SIMPLE_DOMAIN}">` +
    `<tuple id="t1"><status><basic>${seq % 2 ? 'closed' : 'open'}</basic></status><note>n${seq}</note></tuple></presence>`
  );
}

/** The user part of a sip:/wv: address (`wv:w3@domain1.lab` → `w3`). */
export function userOf(address: string): string {
  const m = /(?:sip|wv|pres):([^@;>]+)@/i.exec(address);
  return (m?.[1] ?? '').toLowerCase();
}

export interface Ps1Events {
  onNotification(watcher: string, presentity: string, at: number, n: PresenceNotification): void;
  onMessage(r: SendMessageRequest): void;
  onReport(r: DeliveryStatusReport): void;
  onSinkPost(key: string, at: number): void;
}

export class BenchPs1 {
  readonly endpoint: SspEndpoint;
  private sink: http.Server | undefined;

  constructor(iwfSspUrl: string, events: Ps1Events) {
    this.endpoint = new SspEndpoint({
      domain: IMPS_DOMAIN,
      peers: { [SIMPLE_DOMAIN]: { url: iwfSspUrl, secret: SECRET } },
      node: 'bench-ps1',
      timeoutMs: 10_000,
      delegate: {
        handleSspPresenceNotification: async (_c, r) => {
          const at = now();
          const p = r.presences[0];
          for (const w of r.recipients) events.onNotification(userOf(w), userOf(p?.userId ?? ''), at, r);
          return { code: 200 };
        },
        handleSspSendMessage: async (_c, r) => {
          events.onMessage(r);
          return { status: { code: 200 }, messageId: r.message.messageId ?? 'm' };
        },
        handleSspDeliveryStatusReport: async (_c, r) => {
          events.onReport(r);
          return { code: 200 };
        },
        handleSspSubscribe: async () => ({ code: 200 }),
        handleSspUnsubscribe: async () => ({ code: 200 }),
      },
    });
    this.events = events;
  }

  private readonly events: Ps1Events;

  async listen(address: string, sspPort: number, sinkPort: number): Promise<void> {
    await this.endpoint.listen(address, sspPort);
    this.sink = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        this.events.onSinkPost(String(req.headers['x-key'] ?? ''), now());
        res.writeHead(200, { 'content-length': '0' }).end();
      });
    });
    this.sink.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.sink?.listen(sinkPort, address, resolve));
  }

  async close(): Promise<void> {
    this.sink?.closeAllConnections();
    await new Promise<void>((resolve) => (this.sink ? this.sink.close(() => resolve()) : resolve()));
    await this.endpoint.close();
  }
}

export interface Ps2Events {
  /** A MESSAGE that is an IM from the IWF (not an IMDN): its text. */
  onIm(text: string): void;
  /** An IMDN from the IWF: the Message-ID it reports on. */
  onImdn(messageId: string): void;
}

/** PS2 stand-in: serves `presence` for every simple.bench user; one subscription per watcher|presentity. */
export class BenchPs2 {
  readonly ua: SipUserAgent;
  readonly subs = new Map<string, NotifierSubscription>();
  private seq = 0;

  constructor(address: string, port: number, iwf: { address: string; port: number }, events: Ps2Events) {
    this.ua = new SipUserAgent({
      node: 'bench-ps2',
      address,
      port,
      router: new StaticRouter({ [IMPS_DOMAIN]: { address: iwf.address, port: iwf.port, protocol: 'tcp' } }),
    });
    new Notifier(
      this.ua,
      { events: ['presence'], maxExpires: 3600 },
      {
        onSubscribe: (sub, req) => {
          const watcher = userOf(req.request.headers.get('From') ?? '');
          const presentity = userOf(formatUri(req.request.uri));
          this.subs.set(`${watcher}|${presentity}`, sub);
          return { state: 'active', body: pidf(presentity, this.seq++), contentType: 'application/pidf+xml' };
        },
        currentContent: () => ({ body: pidf('x', this.seq++), contentType: 'application/pidf+xml' }),
      },
    );
    this.ua.on('MESSAGE', (req) => this.onMessage(req, events));
  }

  private onMessage(req: IncomingRequest, events: Ps2Events): void {
    req.reply(200);
    const body = req.request.body;
    const text = body.toString('utf8');
    if (/message\/imdn\+xml/i.test(text)) {
      const cpim = parseCpim(body);
      const imdn = cpim.ok ? parseImdn(cpim.value.body) : undefined;
      events.onImdn(imdn?.ok ? imdn.value.messageId : '(unparsed)');
      return;
    }
    const m = /i2s-\d+/.exec(text);
    events.onIm(m ? m[0] : '(unknown)');
  }

  /** The next NOTIFY on one subscription: a state that differs from the last one, so it crosses. */
  notify(key: string): boolean {
    const sub = this.subs.get(key);
    if (!sub) return false;
    const presentity = key.slice(key.indexOf('|') + 1);
    void sub.notify({
      state: 'active',
      body: pidf(presentity, this.seq++),
      contentType: 'application/pidf+xml',
    });
    return true;
  }

  start(): Promise<void> {
    return this.ua.start();
  }

  stop(): Promise<void> {
    return this.ua.stop();
  }
}
