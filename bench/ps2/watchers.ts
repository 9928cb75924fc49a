// The watcher side of bench/ps2 in its own process (so PS2 and its 1,000 watchers do not share
// one event loop): SUBSCRIBEs every watcher, then records when each NOTIFY of a round arrives
// (absolute ms) and reports them to the parent over IPC.
import { SipUserAgent, StaticRouter, Subscriber } from '../../domains/simple/sip/core/index.ts';

interface Start {
  type: 'start';
  ps2: { address: string; port: number };
  domain: string;
  presentities: number;
  watchersPer: number;
  agents: number;
  expected: number;
  protocol: 'udp' | 'tcp';
}

const now = () => performance.timeOrigin + performance.now();

process.on('message', async (m: Start | { type: 'report' }) => {
  if (m.type === 'report') return report();
  const router = new StaticRouter({ [m.domain]: m.ps2 });
  for (let a = 0; a < m.agents; a++) {
    const ua = new SipUserAgent({ node: `w${a}`, address: `127.0.9.${210 + a}`, port: 5060, router });
    await ua.start();
    agents.push(ua);
  }
  const subscribers: Subscriber[] = [];
  let w = 0;
  for (let i = 0; i < m.presentities; i++) {
    for (let k = 0; k < m.watchersPer; k++, w++) {
      const s = new Subscriber(agents[w % m.agents]!, {
        target: `sip:p${i}@${m.domain}`,
        from: `sip:w${w}@${m.domain}`,
        event: 'presence',
        expires: 3600,
        autoRefresh: false,
        // TCP: a burst of 1,000 NOTIFYs over UDP overflows the receive buffers on loopback and
        // turns into Timer E retransmissions, which would measure the socket, not PS2.
        protocol: m.protocol,
      });
      s.on('notify', (n) => {
        const r = /round (\d+)/.exec(n.body.toString());
        if (!r || r[1] === '0') return;
        arrivals.push([`${i}/${r[1]}`, now()]);
        if (arrivals.length === m.expected) report();
      });
      subscribers.push(s);
    }
  }
  await Promise.all(subscribers.map((s) => s.subscribe()));
  process.send?.({ type: 'ready' });
});

const agents: SipUserAgent[] = [];
const arrivals: Array<[string, number]> = [];
let reported = false;

function report(): void {
  if (reported) return;
  reported = true;
  process.send?.({ type: 'arrivals', arrivals }, () => {
    void Promise.all(agents.map((a) => a.stop())).then(() => process.exit(0));
  });
}

// Never outlive the bench: the parent gone (finished or killed) → stop.
process.on('disconnect', () => process.exit(0));
