// The process under measurement for bench:iwf: the IWF itself (startIwf, as the lab runs it) and,
// on the same address, the same-run baseline — a bare relay that answers a NOTIFY 200 and POSTs
// its body to the PS1 host (the same hops with no mapping, no SSP, no store). Commanded over IPC
// by bench/iwf/run.ts: CPU and RSS of this process, a GC before each memory reading (needs
// --expose-gc), and a heap snapshot on demand (what a subscription retains).

import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { type DomainRoute, SipUserAgent } from '../../domains/simple/sip/core/index.ts';
import { type RunningIwf, startIwf } from '../../interworking/iwf.ts';
import { IMPS_DOMAIN, SECRET, SIMPLE_DOMAIN } from './peers.ts';
import { Residence } from './residence.ts';

export interface WorkerStart {
  type: 'start';
  iwf: string;
  ps1: string;
  ps2: string;
  journal: boolean;
}

type Command =
  | WorkerStart
  | { type: 'usage' }
  | { type: 'gc' }
  | { type: 'snapshot'; path: string }
  | { type: 'residence-start'; of: 'iwf' | 'relay' }
  | { type: 'residence-stop' }
  | { type: 'stop' };

const send = (m: Record<string, unknown>) => process.send?.(m);
let iwf: RunningIwf | undefined;
let relay: SipUserAgent | undefined;
let stateDir: string | undefined;
let residence: Residence | undefined;

async function start(c: WorkerStart): Promise<void> {
  if (c.journal) stateDir = mkdtempSync(join(tmpdir(), 'bench-iwf-'));
  // TCP toward PS2: no UDP Timer J (32 s) keeps finished transactions in memory between phases.
  const route: DomainRoute = { address: c.ps2, port: 5060, protocol: 'tcp' };
  iwf = await startIwf({
    simpleDomain: SIMPLE_DOMAIN,
    address: c.iwf,
    sipPort: 5060,
    sspPort: 8083,
    impsPeers: { [IMPS_DOMAIN]: { url: `http://${c.ps1}:8081/ssp`, secret: SECRET } },
    sipRoutes: { [SIMPLE_DOMAIN]: route },
    ...(stateDir ? { stateFile: join(stateDir, 'iwf-state.jsonl') } : {}),
    sipTimeoutMs: 8000,
    sspTimeoutMs: 10_000,
    node: 'bench-iwf',
  });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  relay = new SipUserAgent({ node: 'bench-relay', address: c.iwf, port: 5070 });
  relay.on('NOTIFY', (req) => {
    req.reply(200);
    const body = req.request.body;
    const post = http.request(
      {
        host: c.ps1,
        port: 8082,
        method: 'POST',
        path: '/sink',
        agent,
        headers: {
          'content-type': 'application/pidf+xml',
          'content-length': body.length,
          'x-key': req.request.headers.get('X-Key') ?? '',
        },
      },
      (res) => res.resume(),
    );
    const key = req.request.headers.get('X-Key') ?? '';
    // Residence ends when the POST has its socket, as the IWF's SSP POST is traced (ssp-endpoint).
    if (residence) post.once('socket', () => residence?.ended(key));
    post.on('error', () => {});
    post.end(body);
  });
  await relay.start();
  send({ type: 'ready', sspUrl: iwf.sspUrl });
}

function usage() {
  const cpu = process.cpuUsage();
  return { cpuMicros: cpu.user + cpu.system, rss: process.memoryUsage().rss };
}

/** SIP transactions alive in the IWF (a finished UDP server transaction lives on for Timer J). */
function sipTransactions(): number | undefined {
  return iwf?.faces.sip.ua.transactions.transactionCount;
}

async function gcReading() {
  const gc = (globalThis as { gc?: () => void }).gc;
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((r) => setTimeout(r, 50));
  }
  const m = process.memoryUsage();
  return {
    rss: m.rss,
    heapUsed: m.heapUsed,
    heapTotal: m.heapTotal,
    external: m.external,
    gc: gc !== undefined,
    sipTransactions: sipTransactions(),
    ...iwf?.core.counts,
  };
}

// The bench gone (killed, timed out): this process goes too, never left running.
process.on('disconnect', () => process.exit(0));

process.on('message', (m: Command) => {
  void (async () => {
    try {
      if (m.type === 'start') await start(m);
      else if (m.type === 'usage') send({ type: 'usage', ...usage() });
      else if (m.type === 'gc') send({ type: 'gc', ...(await gcReading()) });
      // A V8 heap snapshot of this process (for finding what a subscription retains).
      else if (m.type === 'snapshot') send({ type: 'snapshot', path: writeHeapSnapshot(m.path) });
      else if (m.type === 'residence-start') {
        residence =
          m.of === 'iwf' ? new Residence('bench-iwf', 'bench-iwf') : new Residence('bench-relay', undefined);
        residence.start();
        send({ type: 'residence-start' });
      } else if (m.type === 'residence-stop') {
        const figures = residence?.stop();
        residence = undefined;
        send({ type: 'residence-stop', ...figures });
      } else if (m.type === 'stop') {
        await Promise.allSettled([iwf?.stop(), relay?.stop()]);
        if (stateDir) rmSync(stateDir, { recursive: true, force: true });
        send({ type: 'stopped' });
        process.exit(0);
      }
    } catch (error) {
      send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
    }
  })();
});
