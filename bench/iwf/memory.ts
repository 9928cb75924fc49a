// bench:iwf memory phase — resident memory per cross-domain subscription in the IWF process,
// read after GC: 10,000 made over the wire (SSP SubscribeRequest → SIP SUBSCRIBE → NOTIFY →
// PresenceNotification), then 10,000 and 100,000 made in the IWF process (bench/iwf/iwf-worker.ts
// `fill`). Called by bench/iwf/run.ts before any load phase; its watchers are `wv:m…`, so their
// notifications are counted here and not by the load phases.
import { until } from './loops.ts';
import { type BenchPs1, type BenchPs2, IMPS_DOMAIN, now, SIMPLE_DOMAIN } from './peers.ts';

export type WorkerRpc = <T extends Record<string, unknown>>(
  type: string,
  extra?: Record<string, unknown>,
) => Promise<T>;

export interface MemoryPhaseDeps {
  /** A command to the IWF process (bench/iwf/iwf-worker.ts), answered over IPC. */
  rpc: WorkerRpc;
  ps1: BenchPs1;
  ps2: BenchPs2;
  fail(what: string): void;
}

interface GcReading {
  rss: number;
  heapUsed: number;
  gc: boolean;
}

const MEM_WIRE = 10_000;
// In-dialog NOTIFYs reach the IWF over UDP (its SUBSCRIBE Contact is a UDP URI), where each
// answered NOTIFY's server transaction lives on for Timer J (64·T1 = 32 s, RFC 3261 §17.2.2):
// both readings around the wire-made subscriptions wait that out, so only subscription state counts.
const TIMER_J_MS = 33_000;

export class MemoryPhase {
  private notifications = 0;
  private result:
    | {
        m0: GcReading;
        m1: GcReading;
        m2: GcReading;
        m3: GcReading;
        f10: { ms: number };
        f100: { ms: number };
      }
    | undefined;

  /** Counts a notification to one of this phase's watchers; false for any other watcher. */
  onNotification(watcher: string): boolean {
    if (!watcher.startsWith('m')) return false;
    this.notifications++;
    return true;
  }

  async measure({ rpc, ps1, fail }: MemoryPhaseDeps): Promise<void> {
    const gcReading = () => rpc<GcReading & Record<string, unknown>>('gc');
    await new Promise((r) => setTimeout(r, TIMER_J_MS));
    const m0 = await gcReading();
    const wireStatus: boolean[] = [];
    const WIRE_WATCHERS = MEM_WIRE / 100;
    const wireDeadline = now() + 60_000;
    for (let batch = 0; batch < WIRE_WATCHERS && now() < wireDeadline; batch += 10) {
      const statuses = await Promise.all(
        Array.from({ length: 10 }, (_, j) =>
          ps1.endpoint
            .request(SIMPLE_DOMAIN, {
              kind: 'SubscribeRequest',
              meta: { serviceId: `wv:@${IMPS_DOMAIN}`, userId: `wv:m${batch + j}@${IMPS_DOMAIN}` },
              userIds: Array.from({ length: 100 }, (_, p) => `wv:q${p}@${SIMPLE_DOMAIN}`),
            })
            .then((s) => s.kind === 'Status' && s.status.code === 200)
            .catch(() => false),
        ),
      );
      wireStatus.push(...statuses);
    }
    const wireDone = await until(() => this.notifications >= MEM_WIRE, 30_000);
    if (!wireDone || wireStatus.some((ok) => !ok))
      fail(
        `memory: ${wireStatus.filter((ok) => !ok).length} SubscribeRequests refused, ${this.notifications}/${MEM_WIRE} first notifications`,
      );
    await new Promise((r) => setTimeout(r, TIMER_J_MS));
    const m1 = await gcReading();
    const f10 = await rpc<{ ms: number }>('fill', { n: 10_000, prefix: 'a' });
    const m2 = await gcReading();
    const f100 = await rpc<{ ms: number }>('fill', { n: 100_000, prefix: 'b' });
    const m3 = await gcReading();
    await rpc('unfill');
    this.result = { m0, m1, m2, m3, f10, f100 };
  }

  /** The report line; nothing when the phase did not run (--journal). */
  report(): void {
    if (!this.result) return;
    const { m0, m1, m2, m3, f10, f100 } = this.result;
    const perSub = (a: GcReading, b: GcReading, n: number) =>
      `${((b.rss - a.rss) / n / 1024).toFixed(2)} KB RSS (${((b.heapUsed - a.heapUsed) / n / 1024).toFixed(2)} KB heap)`;
    const wireKb = (m1.rss - m0.rss) / MEM_WIRE / 1024;
    const fill100Kb = (m3.rss - m2.rss) / 100_000 / 1024;
    console.log(
      `memory per subscription (after GC${m0.gc ? '' : ' — gc NOT exposed'}): ${MEM_WIRE.toLocaleString('en-US')} over the wire ${perSub(m0, m1, MEM_WIRE)}; ` +
        `10,000 in-process ${perSub(m1, m2, 10_000)} (${f10.ms.toFixed(0)} ms); 100,000 in-process ${perSub(m2, m3, 100_000)} (${f100.ms.toFixed(0)} ms); ` +
        `IWF RSS ${[m0, m1, m2, m3].map((m) => (m.rss / 2 ** 20).toFixed(0)).join(' → ')} MB (target ≤ 4 KB: ${Math.max(wireKb, fill100Kb) <= 4 ? 'met' : 'NOT met'})`,
    );
  }
}
