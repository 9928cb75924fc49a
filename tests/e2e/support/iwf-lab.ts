// The IWF under test between its two stand-in peers, in one process on one loopback block
// (`${net}.1` IWF, `.2` PS1, `.3` PS2): the IWF's SSP face on :8083 peering with PS1 on :8081,
// its SIP face on :5060 routing domain2.lab to PS2 on :5060, as in lab/topology.yaml. Shared by
// the IWF suites so each states only what it varies: whether the peers are up at the start,
// the IWF's deadlines, and the SIMPLE-side user agents it drives.
import { SipUserAgent, type SipUserAgentOptions } from '../../../domains/simple/sip/core/index.ts';
import type { RequestTarget } from '../../../domains/simple/sip/transaction/index.ts';
import { type IwfConfig, type RunningIwf, startIwf } from '../../../interworking/iwf.ts';
import { FakePs1, FakePs2, SECRET } from '../iwf/peers.ts';

export interface IwfLabOptions {
  /** Start PS1 and PS2 with the IWF (default true); false = a suite brings them up itself. */
  peersUp?: boolean;
  /** IWF settings beyond the addresses (deadlines …). */
  iwf?: Partial<IwfConfig>;
}

export class IwfLab {
  readonly iwfAddress: string;
  readonly ps1Address: string;
  readonly ps2Address: string;
  readonly ps1: FakePs1;
  readonly ps2: FakePs2;
  /** Where a SIMPLE-side request goes to reach the IWF directly (UDP). */
  readonly toIwf: RequestTarget;
  private running: RunningIwf | undefined;
  private readonly agents: SipUserAgent[] = [];

  constructor(
    net: string,
    private readonly options: IwfLabOptions = {},
  ) {
    this.iwfAddress = `${net}.1`;
    this.ps1Address = `${net}.2`;
    this.ps2Address = `${net}.3`;
    this.ps1 = new FakePs1(`http://${this.iwfAddress}:8083/ssp`);
    this.ps2 = new FakePs2(this.ps2Address, 5060);
    this.toIwf = { protocol: 'udp', address: this.iwfAddress, port: 5060 };
  }

  get iwf(): RunningIwf {
    if (!this.running) throw new Error('IwfLab: start() first');
    return this.running;
  }

  /** Starts the IWF, then (unless `peersUp: false`) PS1 and PS2, then the agents. */
  async start(): Promise<void> {
    this.running = await startIwf({
      simpleDomain: 'domain2.lab',
      address: this.iwfAddress,
      sipPort: 5060,
      sspPort: 8083,
      impsPeers: { 'domain1.lab': { url: `http://${this.ps1Address}:8081/ssp`, secret: SECRET } },
      sipRoutes: { 'domain2.lab': { address: this.ps2Address, port: 5060 } },
      node: 'iwf',
      ...this.options.iwf,
    });
    if (this.options.peersUp !== false) {
      await this.startPs1();
      await this.startPs2();
    }
    for (const ua of this.agents) await ua.start();
  }

  startPs1(): Promise<void> {
    return this.ps1.listen(this.ps1Address, 8081);
  }

  startPs2(): Promise<void> {
    return this.ps2.start();
  }

  /**
   * A SIMPLE-side user agent (port 5060 unless given), started by start() and stopped by stop().
   * Declared with the suite, so describe blocks can build subscriptions on it before it runs.
   */
  agent(options: SipUserAgentOptions): SipUserAgent {
    const ua = new SipUserAgent({ port: 5060, ...options });
    this.agents.push(ua);
    return ua;
  }

  /** Stops the IWF, the agents, then whichever peers are up. */
  async stop(): Promise<void> {
    await this.running?.stop();
    for (const ua of this.agents.splice(0)) await ua.stop();
    await this.ps1.close();
    await this.ps2.stop();
  }
}
