// The process under measurement for bench:iwf: the IWF itself (startIwf, as the lab runs it) and,
// on the same address, the same-run baseline — a bare relay that answers a NOTIFY 200 and POSTs
// its body to the PS1 host (the same hops with no mapping, no SSP, no store). Commanded over IPC
// by bench/iwf/run.ts: CPU and RSS of this process, a GC before each memory reading (needs
// --expose-gc), and the store-path fill for the 100,000-subscription memory figure.

import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { parsePidf } from '../../domains/simple/payloads/pidf.ts';
import {
  Dialog,
  type DialogState,
  type DomainRoute,
  SipUserAgent,
  Subscriber,
} from '../../domains/simple/sip/core/index.ts';
import type { SubscriberDelegate } from '../../domains/simple/sip/core/subscriber.ts';
import { asWv, impsWatchId } from '../../interworking/core/ids.ts';
import { type RunningIwf, startIwf } from '../../interworking/iwf.ts';
import { pidfToImps } from '../../interworking/mapping/presence/pidf-to-imps.ts';
import { compactPresence, type ImpsWatchLink } from '../../interworking/subscriptions/link-store.ts';
import { IMPS_DOMAIN, pidf, SECRET, SIMPLE_DOMAIN } from './peers.ts';

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
  | { type: 'fill'; n: number; prefix: string }
  | { type: 'unfill' }
  | { type: 'snapshot'; path: string }
  | { type: 'stop' };

const send = (m: Record<string, unknown>) => process.send?.(m);
let iwf: RunningIwf | undefined;
let relay: SipUserAgent | undefined;
let stateDir: string | undefined;
/** Store-path subscriptions, held like the route's live map holds them. */
const filled = new Map<string, FilledWatch>();
const ACCEPT = ['application/pidf+xml'];
let usages: SipUserAgent;

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
    post.on('error', () => {});
    post.end(body);
  });
  await relay.start();
  usages = new SipUserAgent({ node: 'bench-usages', address: c.iwf, port: 5071 });
  send({ type: 'ready', sspUrl: iwf.sspUrl });
}

function usage() {
  const cpu = process.cpuUsage();
  return { cpuMicros: cpu.user + cpu.system, rss: process.memoryUsage().rss };
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
    ...iwf?.core.counts,
  };
}

/** What the route keeps beside the link for a live subscription: the usage's delegate. */
class FilledWatch implements SubscriberDelegate {
  sub: Subscriber | undefined;
  ending = false;
  resync = false;
  constructor(
    readonly route: object,
    readonly link: ImpsWatchLink,
  ) {}
  onNotify(): void {}
  onTerminated(): void {}
}

/**
 * Establishes n IMPS→SIMPLE subscriptions in the IWF process without the wire: the same objects
 * the route keeps for each live one (the link in the store holding the usage's dialog state and
 * its last state, a Subscriber usage registered with the user agent with its delegate), cloned
 * from a real link made over the wire. Nothing is sent and no refresh is scheduled (a wire-made
 * one has its refresh timer): the stored expiry is an hour away.
 */
function fill(n: number, prefix: string): { ms: number } {
  if (!iwf) throw new Error('not started');
  const template = iwf.store.all('imps-watch').find((l) => l.dialog) as ImpsWatchLink | undefined;
  if (!template?.dialog) throw new Error('no wire-made subscription to copy');
  const parsed = parsePidf(pidf('fill', 0));
  if (!parsed.ok) throw new Error('bench PIDF does not parse');
  const route = {};
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const watcher = asWv(`wv:${prefix}w${i}@${IMPS_DOMAIN}`);
    const target = asWv(`wv:${prefix}p${i % 1000}@${SIMPLE_DOMAIN}`);
    const id = impsWatchId(watcher, target);
    const tag = `${prefix}${i.toString(36)}`;
    const d = template.dialog;
    const state: DialogState = {
      ...d,
      callId: `${tag}${d.callId.slice(tag.length)}`,
      localTag: `${tag}${d.localTag.slice(tag.length)}`,
      remoteTag: `${tag}${d.remoteTag.slice(tag.length)}`,
      localUri: `<sip:${prefix}w${i}@${IMPS_DOMAIN}>`,
      remoteUri: `<sip:${prefix}p${i % 1000}@${SIMPLE_DOMAIN}>`,
    };
    const link: ImpsWatchLink = {
      kind: 'imps-watch',
      id,
      watcher,
      target,
      sipState: 'active',
      dialog: state,
      expiresAt: Date.now() + 3_600_000,
      last: compactPresence(pidfToImps(parsed.value).value),
    };
    iwf.store.put(link);
    // RunningIwf does not expose its SipFace, so the usage goes to a user agent of the same
    // class built here (what SipFace.resumeSubscriber does, on the IWF's own agent).
    const entry = new FilledWatch(route, link);
    entry.sub = new Subscriber(
      usages,
      {
        target: `sip:${prefix}p${i % 1000}@${SIMPLE_DOMAIN}`,
        from: `sip:${prefix}w${i}@${IMPS_DOMAIN}`,
        event: 'presence',
        expires: 3600,
        accept: ACCEPT,
        autoRefresh: true,
      },
      entry,
    );
    entry.sub.resume(new Dialog(state), 'active');
    filled.set(id, entry);
  }
  return { ms: performance.now() - t0 };
}

/** Drops the store-path subscriptions, so the load phases run with only the wire-made ones. */
function unfill(): number {
  const n = filled.size;
  for (const [id, entry] of filled) {
    iwf?.store.delete('imps-watch', id);
    if (entry.sub?.dialog) usages.removeDialogUsage(entry.sub.dialog.id);
  }
  filled.clear();
  return n;
}

// The bench gone (killed, timed out): this process goes too, never left running.
process.on('disconnect', () => process.exit(0));

process.on('message', (m: Command) => {
  void (async () => {
    try {
      if (m.type === 'start') await start(m);
      else if (m.type === 'usage') send({ type: 'usage', ...usage() });
      else if (m.type === 'gc') send({ type: 'gc', ...(await gcReading()) });
      else if (m.type === 'fill') send({ type: 'fill', ...fill(m.n, m.prefix) });
      else if (m.type === 'unfill') send({ type: 'unfill', removed: unfill() });
      // A V8 heap snapshot of this process (for finding what a subscription retains).
      else if (m.type === 'snapshot') send({ type: 'snapshot', path: writeHeapSnapshot(m.path) });
      else if (m.type === 'stop') {
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
