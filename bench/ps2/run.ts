// bench:ps2 — PS2 NOTIFY fan-out: 1,000 watchers over 100 presentities (10 each). Every
// presentity republishes once per round; each PUBLISH fans out to its 10 watchers. Prints
// NOTIFYs per second and the p50/p99 latency from sending a PUBLISH to each NOTIFY it causes
// arriving at a watcher. PS2 and the publisher run here; the watchers in a child process
// (bench/ps2/watchers.ts). Loopback only (127.0.9.200+); bounded rounds; stops by itself.
// Run: node --import tsx bench/ps2/run.ts [rounds] [tcp|udp]
import { fork } from 'node:child_process';
import { startPs2 } from '../../domains/simple/server/ps2.ts';
import { SipUserAgent, StaticRouter } from '../../domains/simple/sip/core/index.ts';

const PRESENTITIES = 100;
const WATCHERS_PER = 10;
const WATCHER_AGENTS = 10;
const ROUNDS = Number(process.argv[2] ?? 10);
const PROTOCOL = process.argv[3] === 'udp' ? 'udp' : 'tcp';
const PS2 = '127.0.9.200';
const DOMAIN = 'bench.lab';
const now = () => performance.timeOrigin + performance.now();

const users: Record<string, string> = {};
for (let i = 0; i < PRESENTITIES; i++) users[`p${i}`] = 'pw';
const ps2 = await startPs2({
  domain: DOMAIN,
  address: PS2,
  sipPort: 5060,
  xcapPort: 0,
  users,
  requireAuth: false,
  notifyMinIntervalMs: 0,
});
// Every presentity allows every bench.lab watcher.
const allowAll = `<?xml version="1.0" encoding="UTF-8"?>
<cp:ruleset xmlns:cp="urn:ietf:params:xml:ns:common-policy" xmlns:pr="urn:ietf:params:xml:ns:pres-rules">
<cp:rule id="all"><cp:conditions><cp:identity><cp:many domain="${DOMAIN}"/></cp:identity></cp:conditions>
<cp:actions><pr:sub-handling>allow</pr:sub-handling></cp:actions>
<cp:transformations><pr:provide-services><pr:all-services/></pr:provide-services><pr:provide-persons><pr:all-persons/></pr:provide-persons><pr:provide-note>true</pr:provide-note></cp:transformations>
</cp:rule></cp:ruleset>`;
for (let i = 0; i < PRESENTITIES; i++)
  ps2.xcapStore.put('pres-rules', `sip:p${i}@${DOMAIN}`, 'index', allowAll);

const publisher = new SipUserAgent({
  node: 'pub',
  address: '127.0.9.201',
  port: 5060,
  router: new StaticRouter({ [DOMAIN]: { address: PS2, port: 5060 } }),
});
await publisher.start();
const body = (i: number, round: number) =>
  `<?xml version="1.0" encoding="UTF-8"?><presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:p${i}@${DOMAIN}"><tuple id="t"><status><basic>${round % 2 ? 'closed' : 'open'}</basic></status><note>round ${round}</note></tuple></presence>`;
// Each presentity modifies its one publication (RFC 3903 §4.4: SIP-If-Match with its entity-tag).
const etags: Array<string | undefined> = [];
const publish = async (i: number, round: number) => {
  const etag = etags[i];
  const r = await publisher.request({
    method: 'PUBLISH',
    uri: `sip:p${i}@${DOMAIN}`,
    from: `sip:p${i}@${DOMAIN}`,
    headers: [
      ['Event', 'presence'],
      ['Expires', '3600'],
      ...(etag ? ([['SIP-If-Match', etag]] as Array<[string, string]>) : []),
    ],
    body: body(i, round),
    contentType: 'application/pidf+xml',
  });
  if (r.status !== 200) throw new Error(`PUBLISH p${i}: ${r.status}`);
  etags[i] = r.headers.get('SIP-ETag');
};
for (let i = 0; i < PRESENTITIES; i++) await publish(i, 0);

const expected = ROUNDS * PRESENTITIES * WATCHERS_PER;
const child = fork(new URL('./watchers.ts', import.meta.url), { execArgv: ['--import', 'tsx'] });
const fromChild = (type: string) =>
  new Promise<Record<string, unknown>>((resolve) => {
    const on = (m: Record<string, unknown>) => {
      if (m.type !== type) return;
      child.off('message', on);
      resolve(m);
    };
    child.on('message', on);
  });
const ready = fromChild('ready');
child.send({
  type: 'start',
  ps2: { address: PS2, port: 5060 },
  domain: DOMAIN,
  presentities: PRESENTITIES,
  watchersPer: WATCHERS_PER,
  agents: WATCHER_AGENTS,
  expected,
  protocol: PROTOCOL,
});
await ready;

const arrivalsMessage = fromChild('arrivals');
const sentAt = new Map<string, number>();
const cpuBefore = process.cpuUsage();
const start = now();
for (let round = 1; round <= ROUNDS; round++) {
  await Promise.all(
    Array.from({ length: PRESENTITIES }, (_, i) => {
      sentAt.set(`${i}/${round}`, now());
      return publish(i, round);
    }),
  );
}
const timeout = setTimeout(() => child.send({ type: 'report' }), 60_000);
const { arrivals } = (await arrivalsMessage) as { arrivals: Array<[string, number]> };
clearTimeout(timeout);
// CPU seconds PS2 (with the publisher) spent: a figure the machine's load does not distort.
const cpu = process.cpuUsage(cpuBefore);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const last = Math.max(...arrivals.map(([, t]) => t));
const elapsed = (last - start) / 1000;
const latencies = arrivals.map(([k, t]) => t - (sentAt.get(k) ?? t)).sort((a, b) => a - b);
const pct = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
const rate = arrivals.length / elapsed;
console.log(`bench:ps2 — node ${process.version}, ${new Date().toISOString()}`);
console.log(
  `${PRESENTITIES} presentities × ${WATCHERS_PER} watchers over ${PROTOCOL}, ${ROUNDS} rounds: ${arrivals.length}/${expected} NOTIFYs in ${elapsed.toFixed(2)} s`,
);
console.log(
  `NOTIFY/s ${Math.round(rate).toLocaleString('en-US')} (target ≥ 5,000: ${rate >= 5000 ? 'met' : 'NOT met'})   PUBLISH→NOTIFY p50 ${pct(50).toFixed(1)} ms, p99 ${pct(99).toFixed(1)} ms`,
);
console.log(
  `PS2 CPU ${cpuSeconds.toFixed(2)} s → ${((cpuSeconds / Math.max(1, arrivals.length)) * 1e6).toFixed(0)} µs per NOTIFY, ${Math.round(arrivals.length / cpuSeconds).toLocaleString('en-US')} NOTIFY per CPU-second`,
);
await ps2.stop();
await publisher.stop();
process.exit(0);
