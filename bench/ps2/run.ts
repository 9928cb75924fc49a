// PS2 NOTIFY fan-out: 1,000 watchers over 100 presentities (10 each), every presentity
// republishes in rounds; each PUBLISH fans out to its 10 watchers. Prints NOTIFYs per second and
// the p50/p99 latency from sending a PUBLISH to each NOTIFY it causes arriving at a watcher.
// Everything on loopback (127.0.9.200+), in this process; bounded rounds, stops by itself.
// Run: node --import tsx bench/ps2/run.ts [rounds]
import { startPs2 } from '../../domains/simple/server/ps2.ts';
import { SipUserAgent, StaticRouter, Subscriber } from '../../domains/simple/sip/core/index.ts';

const PRESENTITIES = 100;
const WATCHERS_PER = 10;
const WATCHER_AGENTS = 10;
const ROUNDS = Number(process.argv[2] ?? 10);
const PS2 = '127.0.9.200';

const users: Record<string, string> = {};
for (let i = 0; i < PRESENTITIES; i++) users[`p${i}`] = 'pw';
const ps2 = await startPs2({
  domain: 'bench.lab',
  address: PS2,
  sipPort: 5060,
  xcapPort: 0,
  users,
  requireAuth: false,
  notifyMinIntervalMs: 0,
});
// Every presentity allows every bench.lab watcher with full transformations.
const allowAll = `<?xml version="1.0" encoding="UTF-8"?>
<cp:ruleset xmlns:cp="urn:ietf:params:xml:ns:common-policy" xmlns:pr="urn:ietf:params:xml:ns:pres-rules">
<cp:rule id="all"><cp:conditions><cp:identity><cp:many domain="bench.lab"/></cp:identity></cp:conditions>
<cp:actions><pr:sub-handling>allow</pr:sub-handling></cp:actions>
<cp:transformations><pr:provide-services><pr:all-services/></pr:provide-services><pr:provide-persons><pr:all-persons/></pr:provide-persons><pr:provide-note>true</pr:provide-note></cp:transformations>
</cp:rule></cp:ruleset>`;
for (let i = 0; i < PRESENTITIES; i++)
  ps2.xcapStore.put('pres-rules', `sip:p${i}@bench.lab`, 'index', allowAll);

const router = new StaticRouter({ 'bench.lab': { address: PS2, port: 5060 } });
const agents: SipUserAgent[] = [];
for (let a = 0; a < WATCHER_AGENTS; a++) {
  const ua = new SipUserAgent({ node: `w${a}`, address: `127.0.9.${210 + a}`, port: 5060, router });
  await ua.start();
  agents.push(ua);
}
const publisher = new SipUserAgent({ node: 'pub', address: '127.0.9.201', port: 5060, router });
await publisher.start();

const body = (i: number, round: number) =>
  `<?xml version="1.0" encoding="UTF-8"?><presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:p${i}@bench.lab"><tuple id="t"><status><basic>${round % 2 ? 'closed' : 'open'}</basic></status><note>round ${round}</note></tuple></presence>`;

// Publish once so every watcher has state, then subscribe.
const etags: Array<string | undefined> = [];
const publish = async (i: number, round: number) => {
  const r = await publisher.request({
    method: 'PUBLISH',
    uri: `sip:p${i}@bench.lab`,
    from: `sip:p${i}@bench.lab`,
    headers: [
      ['Event', 'presence'],
      ['Expires', '3600'],
    ],
    body: body(i, round),
    contentType: 'application/pidf+xml',
  });
  if (r.status !== 200) throw new Error(`PUBLISH p${i}: ${r.status}`);
  etags[i] = r.headers.get('SIP-ETag');
};
for (let i = 0; i < PRESENTITIES; i++) await publish(i, 0);

const sentAt = new Map<string, number>();
const latencies: number[] = [];
let notifies = 0;
const subscribers: Subscriber[] = [];
let w = 0;
for (let i = 0; i < PRESENTITIES; i++) {
  for (let k = 0; k < WATCHERS_PER; k++, w++) {
    const s = new Subscriber(agents[w % WATCHER_AGENTS]!, {
      target: `sip:p${i}@bench.lab`,
      from: `sip:w${w}@bench.lab`,
      event: 'presence',
      expires: 3600,
      autoRefresh: false,
    });
    s.on('notify', (n) => {
      const m = /round (\d+)/.exec(n.body.toString());
      const t = m ? sentAt.get(`${i}/${m[1]}`) : undefined;
      if (t !== undefined) {
        latencies.push(performance.now() - t);
        notifies++;
      }
    });
    subscribers.push(s);
  }
}
await Promise.all(subscribers.map((s) => s.subscribe()));

const expected = ROUNDS * PRESENTITIES * WATCHERS_PER;
const start = performance.now();
for (let round = 1; round <= ROUNDS; round++) {
  await Promise.all(
    Array.from({ length: PRESENTITIES }, (_, i) => {
      sentAt.set(`${i}/${round}`, performance.now());
      return publish(i, round);
    }),
  );
}
const deadline = performance.now() + 30_000;
while (notifies < expected && performance.now() < deadline) await new Promise((r) => setTimeout(r, 10));
const elapsed = (performance.now() - start) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN;
const rate = notifies / elapsed;
console.log(`bench:ps2 — node ${process.version}, ${new Date().toISOString()}`);
console.log(
  `${PRESENTITIES} presentities × ${WATCHERS_PER} watchers, ${ROUNDS} rounds: ${notifies}/${expected} NOTIFYs in ${elapsed.toFixed(2)} s`,
);
console.log(
  `NOTIFY/s ${Math.round(rate).toLocaleString('en-US')} (target ≥ 5,000: ${rate >= 5000 ? 'met' : 'NOT met'})   PUBLISH→NOTIFY p50 ${pct(50).toFixed(1)} ms, p99 ${pct(99).toFixed(1)} ms`,
);
await ps2.stop();
for (const a of agents) await a.stop();
await publisher.stop();
process.exit(0);
