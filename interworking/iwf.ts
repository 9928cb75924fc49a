// The Interworking Function as a library: `startIwf(config)` binds the SSP face (toward the
// IMPS domains' PS1) and the SIP face (toward the SIMPLE domains' PS2), opens the link store,
// resumes what it holds, and returns a handle with `stop()`. See docs/iwf.md.
import type { Clock } from '../common/clock.ts';
import { systemClock } from '../common/clock.ts';
import { type IdSource, randomIds } from '../common/ids.ts';
import type { CoreContext } from './core/context.ts';
import { IwfCore } from './core/iwf-core.ts';
import { KeyQueue } from './core/key-queue.ts';
import { SipFace } from './faces/sip-face.ts';
import { SspFace } from './faces/ssp-face.ts';
import { LinkStore } from './subscriptions/link-store.ts';

export interface IwfConfig {
  /** The SIMPLE domain the IWF is SSP peer for (its SSP service id is wv:@simpleDomain). */
  simpleDomain: string;
  address: string;
  sipPort: number;
  sspPort: number;
  /** IMPS domains → their SSP URL and shared secret. */
  impsPeers: Record<string, { url: string; secret: string }>;
  /** SIMPLE domains → the next SIP hop (PS2). */
  sipRoutes: Record<string, { address: string; port: number }>;
  /** The journal file; absent = nothing survives a restart. */
  stateFile?: string;
  /** fsync each journal write (default true; a benchmark may trade durability for speed). */
  syncJournal?: boolean;
  /** Seconds asked for in the IWF's own SUBSCRIBEs (default 3600; refreshed before expiry). */
  subscribeExpires?: number;
  /** Deadline for a SIP request toward the SIMPLE side (default 4 s → 408). */
  sipTimeoutMs?: number;
  /** Deadline for an SSP request toward PS1 (default 5 s → 504). */
  sspTimeoutMs?: number;
  node?: string;
  clock?: Clock;
  ids?: IdSource;
  log?: (line: string) => void;
}

export interface RunningIwf {
  sspUrl: string;
  sip: { address: string; port: number };
  core: IwfCore;
  store: LinkStore;
  /** The two faces, for inspection (live SIP transactions, SSP peers) — the core drives them. */
  faces: { sip: SipFace; ssp: SspFace };
  stop(): Promise<void>;
}

export async function startIwf(config: IwfConfig): Promise<RunningIwf> {
  const node = config.node ?? 'iwf';
  const clock = config.clock ?? systemClock;
  const ids = config.ids ?? randomIds;
  const core = new IwfCore();
  const ssp = new SspFace(
    {
      domain: config.simpleDomain,
      address: config.address,
      port: config.sspPort,
      peers: config.impsPeers,
      node,
      clock,
      ids,
      ...(config.sspTimeoutMs ? { timeoutMs: config.sspTimeoutMs } : {}),
    },
    core,
  );
  const sip = new SipFace(
    {
      node,
      address: config.address,
      port: config.sipPort,
      routes: config.sipRoutes,
      clock,
      ids,
      ...(config.sipTimeoutMs ? { requestTimeoutMs: config.sipTimeoutMs } : {}),
    },
    core,
  );
  const store = new LinkStore(
    config.stateFile,
    config.syncJournal === undefined ? {} : { sync: config.syncJournal },
  );
  store.open();
  const ctx: CoreContext = {
    node,
    clock,
    ids,
    store,
    queue: new KeyQueue<string>(),
    ssp,
    sip,
    subscribeExpires: config.subscribeExpires ?? 3600,
    log: config.log ?? (() => {}),
  };
  core.attach(ctx);
  await sip.start();
  try {
    await ssp.start();
  } catch (error) {
    await sip.stop();
    store.close();
    throw error;
  }
  core.resume();
  let stopped = false;
  return {
    sspUrl: ssp.url,
    sip: { address: config.address, port: config.sipPort },
    core,
    store,
    faces: { sip, ssp },
    async stop() {
      if (stopped) return;
      stopped = true;
      core.detach();
      await Promise.allSettled([ssp.stop(), sip.stop()]);
      store.close();
    },
  };
}
