// bench:iwf — the IWF under cross-domain load, on loopback, in its own process
// (bench/iwf/iwf-worker.ts); PS1 (SSP) and PS2 (SIP) stand-ins run here (bench/iwf/peers.ts).
//   1. notifications/s, NOTIFY in from PS2 → SSP PresenceNotification out to PS1 (closed loop,
//      one in flight per subscription), beside a bare relay in the IWF's process (NOTIFY → 200 →
//      HTTP POST of the body to the PS1 host: the same hops, no mapping);
//   2. PS2-send → PS1-arrival p50/p99 at half the IWF's peak, the relay at the same offered rate;
//   3. IMs both ways, every IM and delivery report counted;
//   4. RSS per subscription after a GC: 10,000 made over the wire (SSP SubscribeRequest → SIP
//      SUBSCRIBE → NOTIFY → PresenceNotification), 10,000 and 100,000 made in the IWF process.
// Every phase is bounded in count and time; the run stops by itself (~1-2 min).
// Run: npm run bench:iwf [-- --journal] [-- --no-memory]
//   (--journal: the IWF with an fsync'ed state file; --no-memory: skip phase 4)
import { fork } from 'node:child_process';
import diagnostics_channel from 'node:diagnostics_channel';
import type { WireTraceEvent } from '../../common/trace.ts';
import { type BenchRow, header, printRows } from '../report.ts';
import { ImLedger, lossOf, runIms } from './ims.ts';
import { Arrivals, closedLoop, type LoopResult, pacedLoop, percentile } from './loops.ts';
import { MemoryPhase } from './memory.ts';
import { BenchPs1, BenchPs2, IMPS_DOMAIN, now, pidf, SIMPLE_DOMAIN } from './peers.ts';

const IWF = '127.0.197.1';
const PS1 = '127.0.197.2';
const PS2 = '127.0.197.3';
const WATCHERS = 20;
const PRESENTITIES = 10;
const PEAK_MS = 5000;
const HALF_MS = 5000;
const IMS = 2000;
const JOURNAL = process.argv.includes('--journal');

header('bench:iwf');
const worker = fork(new URL('./iwf-worker.ts', import.meta.url), {
  // BENCH_IWF_CPU_PROF=<dir>: a V8 CPU profile of the IWF process, written when it stops.
  execArgv: [
    '--import',
    'tsx',
    '--expose-gc',
    ...(process.env.BENCH_IWF_CPU_PROF
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_IWF_CPU_PROF}`]
      : []),
    // BENCH_IWF_TRACE_GC=1: V8 prints each of the IWF process's collections and its pause.
    ...(process.env.BENCH_IWF_TRACE_GC ? ['--trace-gc'] : []),
    // BENCH_IWF_LOOP_DELAY=1: the IWF process's event-loop delay and GC pauses, each second.
    ...(process.env.BENCH_IWF_LOOP_DELAY
      ? ['--import', new URL('./loop-delay.ts', import.meta.url).href]
      : []),
  ],
});
function rpc<T extends Record<string, unknown>>(
  type: string,
  extra: Record<string, unknown> = {},
): Promise<T> {
  return new Promise((resolve, reject) => {
    const on = (m: Record<string, unknown>) => {
      if (m.type === 'error') reject(new Error(String(m.message)));
      else if (m.type !== (type === 'start' ? 'ready' : type === 'stop' ? 'stopped' : type)) return;
      else resolve(m as T);
      worker.off('message', on);
    };
    worker.on('message', on);
    worker.send({ type, ...extra });
  });
}
const usage = () => rpc<{ cpuMicros: number; rss: number }>('usage');

const { sspUrl } = await rpc<{ sspUrl: string }>('start', { iwf: IWF, ps1: PS1, ps2: PS2, journal: JOURNAL });
const notified = new Arrivals();
const relayed = new Arrivals();
const ims = new ImLedger();
const memory = new MemoryPhase();
const ps1 = new BenchPs1(sspUrl as string, {
  onNotification: (watcher, presentity, at) => {
    if (!memory.onNotification(watcher)) notified.arrived(`${watcher}|${presentity}`, at);
  },
  onMessage: (r) => ims.onMessage(r),
  onReport: (r) => ims.onReport(r),
  onSinkPost: (key, at) => relayed.arrived(key, at),
});
await ps1.listen(PS1, 8081, 8082);
const ps2 = new BenchPs2(
  PS2,
  5060,
  { address: IWF, port: 5060 },
  {
    onIm: (t) => ims.onIm(t),
    onImdn: (id) => ims.onImdn(id),
  },
);
await ps2.start();
let failed = false;
const fail = (what: string) => {
  failed = true;
  console.log(`FAILURE: ${what}`);
};

// ---- setup: WATCHERS × PRESENTITIES cross-domain subscriptions over the wire ----
const keys: string[] = [];
for (let w = 0; w < WATCHERS; w++) for (let p = 0; p < PRESENTITIES; p++) keys.push(`w${w}|p${p}`);
const initial = new Set<string>();
const firstArrivals = keys.map((k) => notified.expect(k, 20_000).then((at) => at && initial.add(k)));
const subscribeStatus = await Promise.all(
  Array.from({ length: WATCHERS }, (_, w) =>
    ps1.endpoint.request(SIMPLE_DOMAIN, {
      kind: 'SubscribeRequest',
      meta: { serviceId: `wv:@${IMPS_DOMAIN}`, userId: `wv:w${w}@${IMPS_DOMAIN}` },
      userIds: Array.from({ length: PRESENTITIES }, (_, p) => `wv:p${p}@${SIMPLE_DOMAIN}`),
    }),
  ),
);
await Promise.all(firstArrivals);
const refused = subscribeStatus.filter((s) => !(s.kind === 'Status' && s.status.code === 200)).length;
if (refused > 0 || initial.size !== keys.length)
  fail(`setup: ${refused} SubscribeRequests refused, ${initial.size}/${keys.length} first notifications`);

// ---- 1. memory per subscription (first, so no load phase's transactions are in the figures) ----
// With --journal every put is an fsync: 130,000 of them would not fit the run; memory is the
// same either way (the store keeps its map in memory; the journal is on disk).
// --no-memory: the load phases alone (quicker, when working on throughput or latency).
if (!JOURNAL && !process.argv.includes('--no-memory')) await memory.measure({ rpc, ps1, ps2, fail });

// ---- 2. peak: the relay, then the IWF (closed loops over the same keys) ----
let relaySeq = 0;
const fireRelay = (key: string) => {
  const [w, p] = key.split('|') as [string, string];
  void ps2.ua.request({
    method: 'NOTIFY',
    uri: `sip:${w}@${IMPS_DOMAIN}`,
    from: `sip:${p}@${SIMPLE_DOMAIN}`,
    headers: [
      ['Event', 'presence'],
      ['Subscription-State', 'active;expires=3600'],
      ['X-Key', key],
    ],
    body: pidf(p, relaySeq++),
    contentType: 'application/pidf+xml',
    // As the IWF's in-dialog NOTIFYs: its SUBSCRIBE Contact names TCP, the route's transport.
    target: { protocol: 'tcp', address: IWF, port: 5070 },
  });
};
const fireIwf = (key: string) => {
  if (!ps2.notify(key)) fail(`no PS2 subscription for ${key}`);
};
// SSP POSTs carrying PresenceNotifications that reach PS1: how far the IWF's outbox coalesces.
let pnPosts = 0;
diagnostics_channel.subscribe('lab:wire', (m) => {
  const e = m as WireTraceEvent;
  if (
    e.node === 'bench-ps1' &&
    e.direction === 'rx' &&
    e.protocol === 'ssp' &&
    e.bytes.includes('<PresenceNotification')
  )
    pnPosts++;
});
async function measured(run: () => Promise<LoopResult>) {
  const before = await usage();
  const posts0 = pnPosts;
  const t0 = now();
  const result = await run();
  const after = await usage();
  const cpuSeconds = (after.cpuMicros - before.cpuMicros) / 1e6;
  return { ...result, cpuSeconds, wallSeconds: (now() - t0) / 1000, posts: pnPosts - posts0 };
}
const perPost = (r: { count: number; posts: number }) => (r.posts > 0 ? r.count / r.posts : 0).toFixed(1);
await closedLoop(keys, relayed, fireRelay, 1000); // warm-up, not counted
await closedLoop(keys, notified, fireIwf, 1000);
const relayPeak = await measured(() => closedLoop(keys, relayed, fireRelay, PEAK_MS));
const iwfPeak = await measured(() => closedLoop(keys, notified, fireIwf, PEAK_MS));

// ---- 3. latency at half the IWF's peak; the relay at the same offered rate ----
const halfRate = Math.max(1, Math.round(iwfPeak.rate / 2));
type Residence = { n: number; p50: number; p99: number; max: number; unmatched: number };
async function withResidence(of: 'iwf' | 'relay', run: () => ReturnType<typeof measured>) {
  await rpc('residence-start', { of });
  const result = await run();
  return { ...result, residence: await rpc<Residence>('residence-stop') };
}
const iwfHalf = await withResidence('iwf', () =>
  measured(() => pacedLoop(keys, notified, fireIwf, halfRate, HALF_MS)),
);
const relayHalf = await withResidence('relay', () =>
  measured(() => pacedLoop(keys, relayed, fireRelay, halfRate, HALF_MS)),
);

// ---- 4. IMs both ways ----
const im = await runIms(ims, ps1, ps2, { address: IWF, port: 5060 }, IMS, 32, 40_000);

// ---- report ----
const ms = (v: number) => `${v.toFixed(1)} ms`;
const rows: BenchRow[] = [
  {
    name: 'notifications through the IWF (NOTIFY→PN)',
    opsPerSec: iwfPeak.rate,
    baselineOpsPerSec: relayPeak.rate,
    note: `${keys.length} subscriptions, one in flight each, ${PEAK_MS / 1000} s${JOURNAL ? ', journal fsync on' : ''}; baseline = bare relay in the IWF process (NOTIFY→200, body POSTed to the PS1 host); p50/p99 ${ms(percentile(iwfPeak.latencies, 50))}/${ms(percentile(iwfPeak.latencies, 99))} (relay ${ms(percentile(relayPeak.latencies, 50))}/${ms(percentile(relayPeak.latencies, 99))})`,
  },
  {
    name: 'notifications per IWF CPU-second',
    opsPerSec: iwfPeak.count / iwfPeak.cpuSeconds,
    baselineOpsPerSec: relayPeak.count / relayPeak.cpuSeconds,
    note: `IWF process CPU ${iwfPeak.cpuSeconds.toFixed(2)} s for ${iwfPeak.count} (${((iwfPeak.cpuSeconds / iwfPeak.count) * 1e6).toFixed(0)} µs each); relay ${((relayPeak.cpuSeconds / relayPeak.count) * 1e6).toFixed(0)} µs each; ${perPost(iwfPeak)} PresenceNotifications per SSP POST`,
  },
  {
    name: `half-peak load (${halfRate}/s offered)`,
    opsPerSec: iwfHalf.rate,
    baselineOpsPerSec: relayHalf.rate,
    note: `PS2 send → PS1 arrival: IWF p50 ${ms(percentile(iwfHalf.latencies, 50))} p99 ${ms(percentile(iwfHalf.latencies, 99))}; relay p50 ${ms(percentile(relayHalf.latencies, 50))} p99 ${ms(percentile(relayHalf.latencies, 99))}; backlogged sends IWF ${iwfHalf.backlogged}, relay ${relayHalf.backlogged}; ${perPost(iwfHalf)} PresenceNotifications per SSP POST`,
  },
  {
    name: 'IMs IMPS→SIMPLE (SendMessage→MESSAGE, report)',
    opsPerSec: im.i2sRate,
    baselineOpsPerSec: relayPeak.rate,
    note: `sent ${ims.i2s.sent}, SSP 200 ${ims.i2s.accepted}, at PS2 ${ims.i2s.received.size}, DeliveryStatusReports at PS1 ${ims.i2s.reports.size} (32 in flight, both directions at once; baseline = relay peak)`,
  },
  {
    name: 'IMs SIMPLE→IMPS (MESSAGE→SendMessage, IMDN)',
    opsPerSec: im.s2iRate,
    baselineOpsPerSec: relayPeak.rate,
    note: `sent ${ims.s2i.sent}, SIP 200 ${ims.s2i.accepted}, at PS1 ${ims.s2i.received.size}, IMDNs at PS2 ${ims.s2i.reports.size}`,
  },
];
console.log();
printRows(rows, [{ match: 'notifications through the IWF', min: 5000 }]);
const p99 = percentile(iwfHalf.latencies, 99);
const relayP99 = percentile(relayHalf.latencies, 99);
const addedP50 = percentile(iwfHalf.latencies, 50) - percentile(relayHalf.latencies, 50);
const addedP99 = p99 - relayP99;
const r = iwfHalf.residence;
const rr = relayHalf.residence;
console.log(
  `latency the IWF adds at half peak (${halfRate}/s), inside its process, NOTIFY read → PresenceNotification POST written: p50 ${ms(r.p50)} p99 ${ms(r.p99)} max ${ms(r.max)} over ${r.n} (unmatched ${r.unmatched}); the bare relay, NOTIFY read → POST written: p50 ${ms(rr.p50)} p99 ${ms(rr.p99)} (target p99 ≤ 20 ms: ${r.p99 <= 20 ? 'met' : 'NOT met'})`,
);
console.log(
  `end to end at half peak, PS2 send → PS1 arrival (adds the bench process's own scheduling): p99 ${ms(p99)} through the IWF; over the relay at the same rate: p50 ${addedP50 >= 0 ? '+' : ''}${ms(addedP50)}, p99 ${addedP99 >= 0 ? '+' : ''}${ms(addedP99)}${addedP99 < 0 ? ' (the relay’s tail was worse: machine noise, not an IWF gain)' : ''}`,
);
if (r.unmatched > 0 || r.n < iwfHalf.count * 0.9)
  fail(
    `residence: ${r.n} NOTIFYs matched to their PresenceNotification of ${iwfHalf.count}, ${r.unmatched} unmatched`,
  );
memory.report();
const lostI2s = lossOf(ims.i2s);
const lostS2i = lossOf(ims.s2i);
console.log(
  `IMs missing at some stage (lost, or no final answer within 10 s): IMPS→SIMPLE ${lostI2s}, SIMPLE→IMPS ${lostS2i} (target 0: ${lostI2s + lostS2i === 0 ? 'met' : 'NOT met'})`,
);
if (lostI2s + lostS2i > 0)
  fail(
    `IMs not accounted for at every stage; first failures: ${[...ims.i2s.failures, ...ims.s2i.failures].slice(0, 3).join(' | ')}`,
  );
// Every notification is accounted for too: one that took over 3 s is late; by now (the IM phase
// ran since) one that never came is lost.
for (const [name, a] of [
  ['IWF', notified],
  ['relay', relayed],
] as const) {
  const never = a.timedOut - a.stray;
  console.log(`${name} notifications late (> 3 s): ${a.timedOut}, never arrived: ${Math.max(0, never)}`);
  if (never > 0) fail(`${name}: ${never} notifications never arrived`);
}

await rpc('stop');
await ps2.stop();
await ps1.close();
process.exit(failed ? 1 : 0);
