// The visited network: the roaming path for either user (SIP edge proxy + HTTP relay), with
// configurable delay and loss. See docs/architecture.md.
import type { DomainRoute } from '../../domains/simple/sip/core/index.ts';
import { HttpRelay } from './http-relay.ts';
import { SipRelay } from './sip-relay.ts';

export interface VisitedNetworkConfig {
  address: string;
  sipPort: number;
  httpPort: number;
  /** SIP home networks by domain. */
  sipHomes: Record<string, DomainRoute>;
  /** The IMPS home server for the HTTP relay. */
  httpHome: { address: string; port: number };
  delayMs?: number;
  lossRate?: number;
  network?: string;
}

export class VisitedNetwork {
  readonly sip: SipRelay;
  readonly http: HttpRelay;

  constructor(config: VisitedNetworkConfig) {
    this.sip = new SipRelay({
      address: config.address,
      port: config.sipPort,
      homes: config.sipHomes,
      ...(config.delayMs !== undefined ? { delayMs: config.delayMs } : {}),
      ...(config.lossRate !== undefined ? { lossRate: config.lossRate } : {}),
    });
    this.http = new HttpRelay({
      address: config.address,
      port: config.httpPort,
      home: config.httpHome,
      ...(config.delayMs !== undefined ? { delayMs: config.delayMs } : {}),
      ...(config.network !== undefined ? { network: config.network } : {}),
    });
  }

  async start(): Promise<void> {
    await this.sip.start();
    await this.http.start();
  }

  async stop(): Promise<void> {
    await this.http.stop();
    await this.sip.stop();
  }
}

export { HttpRelay, SipRelay };
