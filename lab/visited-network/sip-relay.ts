import type { Clock } from '../../common/clock.ts';
import type { DomainRoute, IncomingRequest } from '../../domains/simple/sip/core/index.ts';
import { forwardRequest, SipUserAgent, StaticRouter } from '../../domains/simple/sip/core/index.ts';

// The visited network's SIP edge (a P-CSCF in 3GPP terms): a roaming UA uses it as its outbound
// proxy. It record-routes dialogs, adds Path to REGISTER (RFC 3327) so the home network routes
// terminating requests back through it, and adds the configured delay (and, on UDP, loss — SIP
// retransmission must recover it) to what it relays.

export interface SipRelayOptions {
  address: string;
  port: number;
  /** Home networks by domain, e.g. { 'domain2.lab': { address: '127.0.2.1', port: 5060 } }. */
  homes: Record<string, DomainRoute>;
  delayMs?: number;
  /** Probability 0..1 of dropping a request that arrived over UDP (bounded; tests use 0). */
  lossRate?: number;
  clock?: Clock;
  random?: () => number;
}

export class SipRelay {
  readonly ua: SipUserAgent;
  relayed = 0;
  dropped = 0;

  constructor(private readonly options: SipRelayOptions) {
    this.ua = new SipUserAgent({
      node: 'visited',
      address: options.address,
      port: options.port,
      router: new StaticRouter(options.homes),
      ...(options.clock ? { clock: options.clock } : {}),
    });
    this.ua.setFallbackHandler((incoming) => this.relay(incoming));
  }

  async start(): Promise<void> {
    await this.ua.start();
  }

  async stop(): Promise<void> {
    await this.ua.stop();
  }

  private async relay(incoming: IncomingRequest): Promise<void> {
    const o = this.options;
    if (
      incoming.inbound.protocol === 'udp' &&
      (o.lossRate ?? 0) > 0 &&
      (o.random ?? Math.random)() < o.lossRate!
    ) {
      // Dropped on purpose: the sender's Timer E retransmits. Answering nothing is the point.
      this.dropped++;
      return;
    }
    if (o.delayMs)
      await new Promise((resolve) => this.ua.clock.setTimer(o.delayMs!, () => resolve(undefined)));
    const request = incoming.request;
    const headers: Array<[string, string]> = [];
    if (request.method === 'REGISTER') {
      const { address, port } = this.ua.local(incoming.inbound.protocol);
      headers.push([
        'Path',
        `<sip:${address}:${port};lr${incoming.inbound.protocol === 'tcp' ? ';transport=tcp' : ''}>`,
      ]);
    }
    // forwardRequest strips our own Route entries; what is left (or the Request-URI) says where
    // to go: a home domain for the roaming UA's requests, the UA's contact for the home's.
    this.relayed++;
    await forwardRequest(this.ua, incoming, {
      recordRoute: request.toTag === undefined && request.method === 'SUBSCRIBE',
      headers,
    });
  }
}
