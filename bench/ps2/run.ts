// bench:ps2 — PUBLISH → NOTIFY fan-out: 1,000 watchers over 100 presentities (10 each), against
// PS2 and, in the same run, against Kamailio's presence server (the baseline). Every presentity
// republishes once per round (all 100 in parallel); each PUBLISH fans out to its 10 watchers.
// Rounds come in blocks, and the blocks alternate PS2, Kamailio, PS2, … so both servers see the
// same machine load. Prints, through bench/report.ts, NOTIFYs per second (PS2 as the figure,
// Kamailio as the baseline, the ratio PS2/Kamailio), NOTIFYs per CPU-second, and the p50/p99
// latency from sending a PUBLISH to each NOTIFY it causes arriving at a watcher. The watchers run
// in a child process (bench/ps2/watchers.ts). Loopback only (127.0.57.0/24); bounded; every
// process is stopped at the end.
// Run: node --import tsx bench/ps2/run.ts [blocks] [rounds-per-block] [tcp|udp]
import { fork } from 'node:child_process';
import { header, printRows } from '../report.ts';
import { type BenchServer, DOMAIN, startKamailioServer, startPs2Server } from './servers.ts';
import { addBlock, emptyTally, summarize, type Tally } from './tally.ts';

const PRESENTITIES = 100;
const WATCHERS_PER = 10;
const WATCHER_AGENTS = 10;
const BLOCKS = Number(process.argv[2] ?? 4);
const ROUNDS_PER_BLOCK = Number(process.argv[3] ?? 5);
const PROTOCOL = process.argv[4] === 'udp' ? 'udp' : 'tcp';
/** A block whose NOTIFYs have not all arrived by then is counted with what did arrive. */
const BLOCK_TIMEOUT_MS = 15_000;
const NET = '127.0.57';
const PER_BLOCK = ROUNDS_PER_BLOCK * PRESENTITIES * WATCHERS_PER;
const now = () => performance.timeOrigin + performance.now();

interface Run extends Tally {
  server: BenchServer;
  subscribeRetries: number;
  round: number;
}

const servers: BenchServer[] = [];
const child = fork(new URL('./watchers.ts', import.meta.url), { execArgv: ['--import', 'tsx'] });
const fromChild = (type: string, set: string) =>
  new Promise<Record<string, unknown>>((resolve) => {
    const on = (m: Record<string, unknown>) => {
      if (m.type !== type || m.set !== set) return;
      child.off('message', on);
      resolve(m);
    };
    child.on('message', on);
  });

async function stopAll(): Promise<void> {
  child.send({ type: 'stop' });
  await Promise.allSettled(servers.map((s) => s.stop()));
}
process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));

/** Starts a server, publishes round 0 and subscribes its 1,000 watchers. */
async function prepare(server: BenchServer, firstAgent: number): Promise<Run> {
  servers.push(server);
  for (let i = 0; i < PRESENTITIES; i++) await server.publish(i, 0);
  const ready = fromChild('ready', server.name);
  child.send({
    type: 'start',
    set: server.name,
    server: { address: server.address, port: 5060 },
    domain: DOMAIN,
    presentities: PRESENTITIES,
    watchersPer: WATCHERS_PER,
    agentAddresses: Array.from({ length: WATCHER_AGENTS }, (_, a) => `${NET}.${firstAgent + a}`),
    protocol: PROTOCOL,
  });
  const { retries } = (await ready) as { retries: number };
  return { ...emptyTally(), server, subscribeRetries: retries, round: 0 };
}

/** One block (measured unless a warm-up): ROUNDS_PER_BLOCK rounds of PUBLISHes back to back, then every NOTIFY collected. */
async function block(t: Run, measured = true): Promise<void> {
  const fromRound = t.round + 1;
  const toRound = t.round + ROUNDS_PER_BLOCK;
  t.round = toRound;
  child.send({ type: 'expect', set: t.server.name, fromRound, toRound, count: PER_BLOCK });
  const arrived = fromChild('arrivals', t.server.name);
  const sentAt = new Map<string, number>();
  const cpuBefore = t.server.cpuSeconds();
  const start = now();
  for (let round = fromRound; round <= toRound; round++) {
    await Promise.all(
      Array.from({ length: PRESENTITIES }, (_, i) => {
        sentAt.set(`${i}/${round}`, now());
        return t.server.publish(i, round);
      }),
    );
  }
  const timer = setTimeout(() => child.send({ type: 'report', set: t.server.name }), BLOCK_TIMEOUT_MS);
  const { arrivals } = (await arrived) as { arrivals: Array<[number, number, number]> };
  clearTimeout(timer);
  if (!measured) return;
  addBlock(t, {
    start,
    sentAt,
    arrivals,
    expected: PER_BLOCK,
    cpuSeconds: t.server.cpuSeconds() - cpuBefore,
  });
}

try {
  const ps2 = await prepare(await startPs2Server(`${NET}.1`, `${NET}.3`, PRESENTITIES), 10);
  const kam = await prepare(await startKamailioServer(`${NET}.2`, `${NET}.4`), 30);
  // One unmeasured block each first: PS2's code is JIT-compiled on its first rounds, Kamailio's
  // is not, and both grow their connection and transaction tables on the first fan-out.
  for (const t of [ps2, kam]) await block(t, false);
  for (let b = 0; b < BLOCKS; b++) {
    // Alternate which server goes first, so neither always runs right after the other's burst.
    const order = b % 2 === 0 ? [ps2, kam] : [kam, ps2];
    for (const t of order) await block(t);
  }
  const p = summarize(ps2);
  const k = summarize(kam);
  const ms = (n: number) => `${n.toFixed(1)} ms`;
  header('bench:ps2');
  console.log(
    `${PRESENTITIES} presentities × ${WATCHERS_PER} watchers over ${PROTOCOL}, ${BLOCKS} interleaved blocks × ${ROUNDS_PER_BLOCK} rounds per server after one warm-up block each; NOTIFYs received: PS2 ${ps2.notifies}/${ps2.expected} in ${ps2.seconds.toFixed(2)} s, Kamailio ${kam.notifies}/${kam.expected} in ${kam.seconds.toFixed(2)} s`,
  );
  const refused = (t: Run) =>
    `${t.server.name} ${t.server.publishRetries()} PUBLISH / ${t.subscribeRetries} SUBSCRIBE`;
  console.log(`sent again after a 500 ("database is locked"): ${refused(ps2)}, ${refused(kam)}`);
  printRows(
    [
      {
        name: 'PS2 NOTIFY/s, PUBLISH → NOTIFY fan-out',
        opsPerSec: p.rate,
        baselineOpsPerSec: k.rate,
        note: `PUBLISH→NOTIFY p50/p99: PS2 ${ms(p.p50)} / ${ms(p.p99)}, Kamailio ${ms(k.p50)} / ${ms(k.p99)}`,
      },
      {
        name: 'PS2 NOTIFY per CPU-second',
        opsPerSec: p.perCpu,
        baselineOpsPerSec: k.perCpu,
        note: `CPU: PS2 ${ps2.cpuSeconds.toFixed(2)} s (its process, publisher included), Kamailio ${kam.cpuSeconds.toFixed(2)} s (all its processes)`,
      },
    ],
    [{ match: 'NOTIFY/s', min: 5000 }],
  );
} finally {
  await stopAll();
}
process.exit(0);
