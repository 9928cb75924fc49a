// The watcher side of bench/ps2 in its own process (so the servers and their 1,000 watchers do
// not share one event loop). One watcher set per server: `start` SUBSCRIBEs every watcher of a
// set; `expect` opens a block of rounds and the set's arrivals (absolute ms) go back to the
// parent over IPC once all expected NOTIFYs arrived, or at `report` (the parent's timeout).
import { SipUserAgent, StaticRouter, Subscriber } from '../../domains/simple/sip/core/index.ts';

interface Start {
  type: 'start';
  set: string;
  server: { address: string; port: number };
  domain: string;
  presentities: number;
  watchersPer: number;
  /** The watcher user agents' addresses (watchers are spread over them). */
  agentAddresses: string[];
  protocol: 'udp' | 'tcp';
}
interface Expect {
  type: 'expect';
  set: string;
  fromRound: number;
  toRound: number;
  count: number;
}
type Message = Start | Expect | { type: 'report'; set: string } | { type: 'stop' };

interface WatcherSet {
  block: Expect | undefined;
  /** [presentity index, round, arrival ms] of the open block. */
  arrivals: Array<[number, number, number]>;
}

const now = () => performance.timeOrigin + performance.now();
const agents: SipUserAgent[] = [];
const sets = new Map<string, WatcherSet>();

process.on('message', (m: Message) => {
  if (m.type === 'start') void start(m);
  else if (m.type === 'expect') {
    sets.set(m.set, { block: m, arrivals: [] });
  } else if (m.type === 'report') report(m.set);
  else void stop();
});

async function start(m: Start): Promise<void> {
  const set: WatcherSet = { block: undefined, arrivals: [] };
  sets.set(m.set, set);
  const router = new StaticRouter({ [m.domain]: m.server });
  const own: SipUserAgent[] = [];
  for (const address of m.agentAddresses) {
    const ua = new SipUserAgent({ node: `${m.set}-${address}`, address, port: 5060, router });
    await ua.start();
    own.push(ua);
    agents.push(ua);
  }
  const subscribe = async (i: number, w: number): Promise<number> => {
    // Kamailio's SQLite backend refuses a SUBSCRIBE 500 "database is locked" when its children
    // write at once: such a watcher subscribes again, with a fresh dialog (counted, reported).
    for (let attempt = 0; ; attempt++) {
      const s = new Subscriber(own[w % own.length]!, {
        target: `sip:p${i}@${m.domain}`,
        from: `sip:w${w}@${m.domain}`,
        event: 'presence',
        expires: 3600,
        autoRefresh: false,
        // TCP: a burst of 1,000 NOTIFYs over UDP overflows the receive buffers on loopback and
        // turns into Timer E retransmissions, which would measure the socket, not the server.
        protocol: m.protocol,
      });
      s.on('notify', (n) => onNotify(m.set, i, n.body.toString()));
      const r = await s.subscribe();
      if (r.status < 300) return attempt;
      if (attempt >= 20) throw new Error(`SUBSCRIBE w${w} → p${i}: ${r.status} ${r.reason}`);
      await new Promise((resolve) => setTimeout(resolve, 10 + attempt * 10));
    }
  };
  const jobs: Array<[number, number]> = [];
  for (let i = 0, w = 0; i < m.presentities; i++)
    for (let k = 0; k < m.watchersPer; k++, w++) jobs.push([i, w]);
  let retries = 0;
  // A few at a time: 1,000 SUBSCRIBEs at once is a connection storm, not the workload measured.
  for (let b = 0; b < jobs.length; b += 100)
    for (const n of await Promise.all(jobs.slice(b, b + 100).map(([i, w]) => subscribe(i, w)))) retries += n;
  process.send?.({ type: 'ready', set: m.set, retries });
}

function onNotify(name: string, i: number, body: string): void {
  const r = /round (\d+)/.exec(body);
  const current = sets.get(name);
  const block = current?.block;
  if (!r || !current || !block) return;
  const round = Number(r[1]);
  // Late NOTIFYs of an earlier (timed-out) block must not count towards this one.
  if (round < block.fromRound || round > block.toRound) return;
  current.arrivals.push([i, round, now()]);
  if (current.arrivals.length === block.count) report(name);
}

function report(name: string): void {
  const set = sets.get(name);
  if (!set?.block) return;
  const arrivals = set.arrivals;
  set.block = undefined;
  set.arrivals = [];
  process.send?.({ type: 'arrivals', set: name, arrivals });
}

async function stop(): Promise<void> {
  await Promise.all(agents.map((a) => a.stop()));
  process.exit(0);
}

// Never outlive the bench: the parent gone (finished or killed) → stop.
process.on('disconnect', () => process.exit(0));
