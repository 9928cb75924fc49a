// One loopback address from which a suite runs SIPp: UAC scenarios against the suite's peer and
// UAS scenarios waiting for it, each run on the next local port (a finished SIPp's TCP socket may
// linger in TIME_WAIT, and a UAS run must be bound before the test sends to it), with the suite's
// hard timeout unless a run asks for another.
import { runSipp, type SippProcess, type SippResult, startSipp } from '../../support/sipp.ts';

export type SippTransport = 'udp' | 'tcp';

export interface SippRun {
  /** -s: user part of the Request-URI ([service]). */
  service?: string;
  /** -key name value: [name] in the scenario. */
  keys?: Record<string, string>;
  extraArgs?: string[];
  hardTimeoutMs?: number;
  keepLogs?: boolean;
  /** -m: calls to process before exiting (default 1). */
  calls?: number;
}

export interface SippHostOptions {
  /** Where UAC runs send their requests. */
  remote?: { address: string; port: number };
  /** The hard timeout of a run that does not set its own (default: runSipp's 30 s). */
  hardTimeoutMs?: number;
}

export class SippHost {
  private next: number;
  private last = 0;

  constructor(
    readonly address: string,
    firstPort: number,
    private readonly options: SippHostOptions = {},
  ) {
    this.next = firstPort;
  }

  /** The local port of the latest run (a NOTIFY's Request-URI names it). */
  get lastPort(): number {
    return this.last;
  }

  /** The next local port, for a peer that must know it before the run starts. */
  takePort(): number {
    this.last = this.next++;
    return this.last;
  }

  /** Runs a UAC scenario to completion against the suite's peer. */
  call(scenario: string, transport: SippTransport, run: SippRun = {}): Promise<SippResult> {
    const { remote, hardTimeoutMs } = this.options;
    return runSipp({
      scenario,
      local: { address: this.address, port: this.takePort() },
      ...(remote ? { remote } : {}),
      transport,
      ...(hardTimeoutMs === undefined ? {} : { hardTimeoutMs }),
      ...run,
    });
  }

  /** Starts a UAS scenario on `port` (default: the next one); resolves once SIPp is bound. */
  serve(
    scenario: string,
    transport: SippTransport,
    run: SippRun = {},
    port = this.takePort(),
  ): Promise<SippProcess> {
    const { hardTimeoutMs } = this.options;
    return startSipp({
      scenario,
      local: { address: this.address, port },
      transport,
      ...(hardTimeoutMs === undefined ? {} : { hardTimeoutMs }),
      ...run,
    });
  }
}
