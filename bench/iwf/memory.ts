// bench:iwf memory phase — resident memory (RSS) per cross-domain subscription in the IWF process,
// every subscription made over the wire (SSP SubscribeRequest → SIP SUBSCRIBE → NOTIFY → SSP
// PresenceNotification): 10,000, then 90,000 more for the 100,000 figure. Called by
// bench/iwf/run.ts before any load phase; its watchers are `wv:m…`, so their notifications are
// counted here and not by the load phases. The 90,000 are unsubscribed again afterwards, so the
// load phases run with the 10,200 subscriptions they always had.
//
// Figures are (RSS after − RSS before) / N, each RSS read after GC at a steady point: V8 gives
// back what a burst of work grew only once the process is idle (its memory reducer, some 8 s after
// the burst), so a reading is taken every 5 s until two agree within 1 % (at least 10 s, at most
// 60 s). The target is judged on RSS; the heap figure beside it is what the objects themselves
// take. With the IWF's Contact on TCP (the route to PS2 is TCP), in-dialog NOTIFYs leave no UDP
// server transactions in Timer J; the live SIP transaction count is printed to show it.
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
  impsWatches?: number;
  sipTransactions?: number;
}

const PER_WATCHER = 100;
const FIRST = 10_000;
const TOTAL = 100_000;
/** Bounds for making the first 10,000 and the 90,000 more. */
const MAKE_FIRST_MS = 60_000;
const MAKE_REST_MS = 90_000;
const CONCURRENT = 10;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Step {
  reading: GcReading;
  /** Subscriptions held by the IWF's route at the reading. */
  held: number;
  made: number;
  ms: number;
  settleMs: number;
}

export class MemoryPhase {
  private notifications = 0;
  private result:
    | { m0: Step; m1: Step; m2: Step; unsubscribed: number; unsubscribeMs: number; heldAfter: number }
    | undefined;

  /** Counts a notification to one of this phase's watchers; false for any other watcher. */
  onNotification(watcher: string): boolean {
    if (!watcher.startsWith('m')) return false;
    this.notifications++;
    return true;
  }

  async measure({ rpc, ps1, fail }: MemoryPhaseDeps): Promise<void> {
    const gcReading = () => rpc<GcReading & Record<string, unknown>>('gc');
    /** A reading after GC once RSS has stopped moving (two readings 5 s apart within 1 %). */
    const settled = async (): Promise<{ reading: GcReading; settleMs: number }> => {
      const t0 = now();
      let last = await gcReading();
      for (;;) {
        await sleep(5000);
        const r = await gcReading();
        const waited = now() - t0;
        if ((Math.abs(r.rss - last.rss) <= 0.01 * last.rss && waited >= 10_000) || waited >= 60_000)
          return { reading: r, settleMs: waited };
        last = r;
      }
    };
    const subscribeWatchers = async (from: number, to: number, deadlineMs: number) => {
      const t0 = now();
      let refused = 0;
      let w = from;
      for (; w < to && now() - t0 < deadlineMs; w += CONCURRENT) {
        const statuses = await Promise.all(
          Array.from({ length: Math.min(CONCURRENT, to - w) }, (_, j) =>
            ps1.endpoint
              .request(SIMPLE_DOMAIN, {
                kind: 'SubscribeRequest',
                meta: { serviceId: `wv:@${IMPS_DOMAIN}`, userId: `wv:m${w + j}@${IMPS_DOMAIN}` },
                userIds: Array.from({ length: PER_WATCHER }, (_, p) => `wv:q${p}@${SIMPLE_DOMAIN}`),
              })
              .then((s) => s.kind === 'Status' && s.status.code === 200)
              .catch(() => false),
          ),
        );
        refused += statuses.filter((ok) => !ok).length;
      }
      const made = (Math.min(w, to) - from) * PER_WATCHER;
      return { made, refused, ms: now() - t0 };
    };
    const step = async (made: number, ms: number): Promise<Step> => {
      const { reading, settleMs } = await settled();
      return { reading, held: reading.impsWatches ?? 0, made, ms, settleMs };
    };

    const m0 = await step(0, 0);
    const first = await subscribeWatchers(0, FIRST / PER_WATCHER, MAKE_FIRST_MS);
    const firstDone = await until(() => this.notifications >= first.made, 30_000);
    if (first.made < FIRST || first.refused > 0 || !firstDone)
      fail(
        `memory: ${first.made}/${FIRST} made in time, ${first.refused} SubscribeRequests refused, ${this.notifications}/${first.made} first notifications`,
      );
    const m1 = await step(first.made, first.ms);
    const rest = await subscribeWatchers(FIRST / PER_WATCHER, TOTAL / PER_WATCHER, MAKE_REST_MS);
    const restDone = await until(() => this.notifications >= first.made + rest.made, 30_000);
    if (first.made + rest.made < TOTAL || rest.refused > 0 || !restDone)
      fail(
        `memory: ${first.made + rest.made}/${TOTAL} made in time, ${rest.refused} SubscribeRequests refused, ${this.notifications}/${first.made + rest.made} first notifications`,
      );
    const m2 = await step(first.made + rest.made, rest.ms);

    // Back to the 10,000 (plus the 200 of the load phases) the load phases always ran with.
    const t0 = now();
    const extra = Array.from({ length: (TOTAL - FIRST) / PER_WATCHER }, (_, i) => FIRST / PER_WATCHER + i);
    let unsubscribed = 0; // answered UnsubscribeRequests × their targets
    for (let i = 0; i < extra.length && now() - t0 < 90_000; i += CONCURRENT * 2) {
      await Promise.all(
        extra.slice(i, i + CONCURRENT * 2).map((w) =>
          ps1.endpoint
            .request(SIMPLE_DOMAIN, {
              kind: 'UnsubscribeRequest',
              meta: { serviceId: `wv:@${IMPS_DOMAIN}`, userId: `wv:m${w}@${IMPS_DOMAIN}` },
              userIds: Array.from({ length: PER_WATCHER }, (_, p) => `wv:q${p}@${SIMPLE_DOMAIN}`),
            })
            .then(() => {
              unsubscribed += PER_WATCHER;
            })
            .catch(() => undefined),
        ),
      );
    }
    const after = await gcReading();
    this.result = { m0, m1, m2, unsubscribed, unsubscribeMs: now() - t0, heldAfter: after.impsWatches ?? 0 };
  }

  /** The report lines; nothing when the phase did not run (--journal, --no-memory). */
  report(): void {
    if (!this.result) return;
    const { m0, m1, m2, unsubscribed, unsubscribeMs, heldAfter } = this.result;
    const kb = (a: Step, b: Step, pick: (r: GcReading) => number) =>
      (pick(b.reading) - pick(a.reading)) / Math.max(1, b.held - a.held) / 1024;
    const line = (a: Step, b: Step) =>
      `${kb(a, b, (r) => r.rss).toFixed(2)} KB RSS (${kb(a, b, (r) => r.heapUsed).toFixed(2)} KB heap)`;
    const mb = (s: Step) => `${(s.reading.rss / 2 ** 20).toFixed(0)} MB`;
    const rssFirst = kb(m0, m1, (r) => r.rss);
    const rssAll = kb(m0, m2, (r) => r.rss);
    const n = (v: number) => v.toLocaleString('en-US');
    console.log(
      `memory per subscription, all made over the wire (RSS after GC at a steady point${m0.reading.gc ? '' : ' — gc NOT exposed'}): ` +
        `${n(m1.held - m0.held)} ${line(m0, m1)} (made in ${(m1.ms / 1000).toFixed(1)} s); ` +
        `${n(m2.held - m0.held)} ${line(m0, m2)} (the last ${n(m2.held - m1.held)}: ${line(m1, m2)}, made in ${(m2.ms / 1000).toFixed(1)} s); ` +
        `IWF RSS ${mb(m0)} → ${mb(m1)} → ${mb(m2)}; settled after ${[m0, m1, m2].map((s) => (s.settleMs / 1000).toFixed(0)).join('/')} s; ` +
        `SIP transactions alive at the readings ${[m0, m1, m2].map((s) => s.reading.sipTransactions ?? '?').join('/')} ` +
        `(target ≤ 4 KB RSS at 10,000 and 100,000: ${Math.max(rssFirst, rssAll) <= 4 ? 'met' : 'NOT met'})`,
    );
    console.log(
      `memory phase: the ${n(m2.held - m1.held)} extra subscriptions unsubscribed again (${n(unsubscribed)} answered) in ${(unsubscribeMs / 1000).toFixed(1)} s; the load phases run with the IWF holding ${n(heldAfter)}`,
    );
  }
}
