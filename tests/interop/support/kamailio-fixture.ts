// A real Kamailio for one interop suite, with the lab's SIP stack as its users: the suite calls
// start() in `before` and stop() last in `after`. Each user is a SipUserAgent on its own loopback
// address and port 5060, optionally routing domains to Kamailio (Domain2 mode serves
// `domain2.lab`, which no resolver knows: the lab has no DNS). Users are stopped before Kamailio,
// so whatever they still send on the way out finds it running.
import { SipUserAgent, StaticRouter } from '../../../domains/simple/sip/core/index.ts';
import { type KamailioInstance, type KamailioOptions, startKamailio } from '../../support/kamailio.ts';

export interface KamailioUserOptions {
  /** Route requests for these domains to Kamailio (Domain2 mode: `domain2.lab`). */
  routeDomains?: string[];
}

export class KamailioFixture {
  private instance: KamailioInstance | undefined;
  private readonly users: SipUserAgent[] = [];

  constructor(readonly options: KamailioOptions) {}

  /** The running Kamailio (throws before start(): a suite that forgot `before` fails loudly). */
  get kamailio(): KamailioInstance {
    if (!this.instance) throw new Error('KamailioFixture: start() first');
    return this.instance;
  }

  /** Kamailio's SIP address (UDP and TCP, port 5060). */
  get address(): string {
    return this.options.listenIp;
  }

  async start(): Promise<KamailioInstance> {
    this.instance = await startKamailio(this.options);
    return this.instance;
  }

  /** A started user agent for `node` on `address`:5060, stopped by stop(). */
  async user(node: string, address: string, options: KamailioUserOptions = {}): Promise<SipUserAgent> {
    const route = { address: this.address, port: 5060 };
    const routes = Object.fromEntries((options.routeDomains ?? []).map((d) => [d, route]));
    const ua = new SipUserAgent({
      node,
      address,
      port: 5060,
      ...(options.routeDomains ? { router: new StaticRouter(routes) } : {}),
    });
    this.users.push(ua);
    await ua.start();
    return ua;
  }

  /** Stops the users, then Kamailio; safe after a failed start. */
  async stop(): Promise<void> {
    for (const ua of this.users.splice(0)) await ua.stop();
    await this.instance?.stop();
  }
}
