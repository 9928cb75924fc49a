// The lab's web console: the browser app, a JSON API of lab actions, and one WebSocket that
// pushes the ladder, the users' events, node health and scenario progress. Loopback only; every
// request it does not know, or cannot read, gets an RFC 9457 problem body.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { loadTopology, type Topology } from '../../lab/topology.ts';
import { PcapWriter } from '../../lab/trace/pcap-writer.ts';
import { participantLabel, toMermaid } from '../../scenarios/reports/mermaid.ts';
import { addressBook, participantOrder } from '../../scenarios/scenario-topology.ts';
import { nodeHealth } from './health.ts';
import { inspectMessage } from './inspect.ts';
import { type LadderRow, ladderRows, readMappingRows } from './ladder-view.ts';
import { badRequest, consoleProblem, notFound, problemOf, sendProblem } from './problem.ts';
import { ScenarioLauncher } from './scenarios.ts';
import { loadAppFiles } from './static-files.ts';
import {
  callTerminal,
  followTerminalEvents,
  type TerminalInfo,
  terminalState,
  terminalsOf,
} from './terminals.ts';
import type { TraceStore } from './trace-store.ts';

export interface ConsoleOptions {
  topology: Topology;
  trace: TraceStore;
  /** Must be in 127.0.0.0/8. */
  address: string;
  /** 0 = any free port. */
  port: number;
  /** Roles the lab has today (lab/roles/index.ts), for health and the scenario list. */
  builtRoles: readonly string[];
  artifactsRoot?: string;
  /** The scenario files the launcher lists (default `scenarios/`). */
  scenariosDir?: string;
  /** The topology scenario runs start from (default lab/topology.yaml), shifted to 127.100+. */
  scenarioTopology?: Topology;
  mappingDoc?: URL | string;
  maxBodyBytes?: number;
  healthIntervalMs?: number;
  /** Shown while the ladder is empty: where this console's trace comes from. */
  traceSource?: string;
}

export interface ConsoleServer {
  readonly address: string;
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

const BASE = '/api/v1';
/** Rows pushed with each ladder update; the browser keeps the latest. */
export const LADDER_PUSH_ROWS = 2_000;

export function isLoopback(address: string): boolean {
  return (
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(address) && address.split('.').every((p) => Number(p) <= 255)
  );
}

export async function startConsole(options: ConsoleOptions): Promise<ConsoleServer> {
  if (!isLoopback(options.address))
    throw new Error(`console: ${options.address} is not a loopback address (127.0.0.0/8 only)`);
  const { topology, trace } = options;
  const terminals = terminalsOf(topology);
  const byNode = new Map(terminals.map((t) => [t.node, t]));
  const book = addressBook(topology);
  const users = terminals.map((t) => t.bare);
  const mappingRows = readMappingRows(
    options.mappingDoc ?? new URL('../../docs/mapping.md', import.meta.url),
  );
  const files = loadAppFiles();
  const maxBody = options.maxBodyBytes ?? 64 * 1024;
  const clients = new Set<WebSocket>();
  const broadcast = (message: unknown) => {
    const text = JSON.stringify(message);
    for (const ws of clients) if (ws.readyState === WebSocket.OPEN) ws.send(text);
  };
  // Scenarios are written against lab/topology.yaml, whatever topology the live lab runs.
  const scenarios = new ScenarioLauncher(
    options.scenarioTopology ?? loadTopology(),
    options.builtRoles,
    options.artifactsRoot ?? 'artifacts',
    (e) => broadcast(e),
    options.scenariosDir,
  );

  let ladderCache: { length: number; maps: number; value: ReturnType<typeof ladderRows> } | undefined;
  const ladder = () => {
    if (ladderCache?.length !== trace.wire.length || ladderCache.maps !== trace.maps.length)
      ladderCache = {
        length: trace.wire.length,
        maps: trace.maps.length,
        value: ladderRows(trace.wire, trace.maps, book, users),
      };
    return ladderCache.value;
  };
  const columns = participantOrder(topology).map((node) => ({ node, label: participantLabel(node) }));
  const topologyView = () => ({
    domains: topology.domains,
    nodes: Object.entries(topology.nodes).map(([name, n]) => ({
      name,
      role: n.role,
      address: n.address,
      ports: n.ports,
      label: participantLabel(name),
      built: options.builtRoles.includes(n.role),
      ...(n.user ? { user: n.user } : {}),
    })),
    columns,
    terminals,
    ...(options.traceSource ? { traceSource: options.traceSource } : {}),
  });

  let pushTimer: NodeJS.Timeout | undefined;
  const pushLadder = () => {
    pushTimer = undefined;
    const rows = ladder().rows;
    broadcast({ type: 'ladder', total: rows.length, rows: rows.slice(-LADDER_PUSH_ROWS) });
  };
  const offTrace = trace.onChange(() => {
    pushTimer ??= setTimeout(pushLadder, 150);
  });
  const offEvents = terminals.map((t) =>
    followTerminalEvents(t, (event) => broadcast({ type: 'user', node: t.node, event })),
  );
  let lastHealth: unknown = [];
  const checkHealth = async () => {
    lastHealth = await nodeHealth(topology, options.builtRoles);
    broadcast({ type: 'health', nodes: lastHealth });
  };
  const healthTimer = setInterval(() => void checkHealth(), options.healthIntervalMs ?? 2_000);
  healthTimer.unref();

  async function route(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const method = req.method ?? 'GET';
    const parts = path.slice(BASE.length).split('/').filter(Boolean).map(safeDecode);
    const [a, b, c, ...rest] = parts;
    const only = (...allowed: string[]) => {
      if (!allowed.includes(method))
        throw consoleProblem('method-not-allowed', `${method} ${path}: use ${allowed.join(' or ')}`);
    };
    if (rest.length > 0) throw notFound(path);
    if (a === 'topology' && !b) {
      only('GET');
      return json(res, 200, topologyView());
    }
    if (a === 'health' && !b) {
      only('GET');
      return json(res, 200, await nodeHealth(topology, options.builtRoles));
    }
    if (a === 'users') {
      if (!b) {
        only('GET');
        return json(res, 200, terminals);
      }
      const terminal = byNode.get(b);
      if (!terminal) throw notFound(`no simulated user "${b}" in the topology`);
      if (c === 'state' || !c) {
        only('GET');
        const answer = await terminalState(terminal);
        return json(res, 200, { terminal, state: answer.body });
      }
      only('POST');
      const body = await readJson(req, maxBody);
      const answer = await callTerminal(terminal, c, body);
      return json(res, answer.status, answer.body);
    }
    if (a === 'trace') {
      if (!b) {
        only('GET', 'DELETE');
        if (method === 'DELETE') {
          trace.clear();
          pushLadder();
          return json(res, 200, { cleared: true });
        }
        const rows = ladder().rows;
        return json(res, 200, { total: rows.length, rows });
      }
      only('GET');
      if (!/^\d{1,9}$/.test(b)) throw badRequest(`message index "${b}" is not a number`);
      return json(res, 200, inspect(Number(b)));
    }
    if (a === 'export' && b && !c) {
      only('GET');
      return exportTrace(res, b);
    }
    if (a === 'scenarios') {
      if (!b) {
        only('GET');
        return json(res, 200, scenarios.list());
      }
      if (c === 'run') {
        only('POST');
        return json(res, 202, scenarios.start(b));
      }
      only('GET');
      const run = scenarios.lastRun(b);
      if (!run) throw notFound(`scenario "${b}" has not run from this console`);
      if (!c) return json(res, 200, run);
      if (c === 'junit.xml' && run.junit) return send(res, 200, 'application/xml; charset=utf-8', run.junit);
      if (c === 'ladder.mmd' && run.mermaid) return send(res, 200, 'text/plain; charset=utf-8', run.mermaid);
      throw notFound(`${path}: no such report (yet)`);
    }
    throw notFound(`${path}: no such lab API`);
  }

  function inspect(index: number) {
    const { entries, rows } = ladder();
    const entry = entries[index];
    const row = rows[index];
    if (!entry || !row) throw notFound(`no message ${index} in the trace (${entries.length} so far)`);
    const first = entries[0]?.time ?? entry.time;
    const previous = entries[index - 1]?.time ?? entry.time;
    return {
      row,
      src: entry.src,
      dst: entry.dst,
      reportedBy: entry.reportedBy,
      timing: {
        at: new Date(entry.time).toISOString(),
        sinceStartMs: round(entry.time - first),
        sincePreviousMs: round(entry.time - previous),
      },
      message: inspectMessage(entry.protocol, entry.bytes),
      mappings: row.rows.map((id) => mappingRows.get(id) ?? { id, cells: [] }),
    };
  }

  function exportTrace(res: ServerResponse, name: string): void {
    if (name === 'trace.pcap') {
      // One record per message crossing (the ladder already paired each tx with its rx).
      const writer = new PcapWriter();
      for (const e of ladder().entries)
        writer.add({
          node: e.from,
          protocol: e.protocol,
          direction: 'tx',
          transport: e.transport,
          local: e.src,
          remote: e.dst,
          time: e.time,
          bytes: e.bytes,
        });
      send(res, 200, 'application/vnd.tcpdump.pcap', writer.toBuffer(), 'lab-trace.pcap');
      return;
    }
    if (name === 'trace.mmd') {
      const text = toMermaid(ladder().entries, { participants: columns, title: 'lab trace' });
      send(res, 200, 'text/plain; charset=utf-8', text, 'lab-trace.mmd');
      return;
    }
    if (name === 'trace.json') {
      const sorted = [...trace.wire].sort((x, y) => x.time - y.time);
      const body = JSON.stringify(
        {
          wire: sorted.map((e) => ({ ...e, bytes: e.bytes.toString('base64') })),
          mappings: trace.maps,
        },
        null,
        1,
      );
      send(res, 200, 'application/json', body, 'lab-trace.json');
      return;
    }
    throw notFound(`no export "${name}" (trace.pcap, trace.mmd, trace.json)`);
  }

  const expectedHosts = new Set<string>();
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    const path = url.split('?')[0] ?? '/';
    // DNS rebinding: a page from another origin that resolves to loopback names its own host.
    if (!expectedHosts.has((req.headers.host ?? '').toLowerCase())) {
      sendProblem(
        res,
        problemOf(consoleProblem('wrong-host', `Host "${req.headers.host ?? ''}" is not this console`), path),
      );
      return;
    }
    if (path.startsWith(`${BASE}/`) || path === BASE) {
      route(req, res, path).catch((error) => sendProblem(res, problemOf(error, path)));
      return;
    }
    const name = path === '/' ? 'index.html' : path.startsWith('/app/') ? path.slice(5) : undefined;
    const file = name ? files.get(name) : undefined;
    if (!file || (req.method !== 'GET' && req.method !== 'HEAD')) {
      sendProblem(res, problemOf(notFound(`${path}: the console serves only its own app and ${BASE}`), path));
      return;
    }
    res.writeHead(200, {
      'content-type': file.type,
      'content-length': file.body.length,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      'content-security-policy':
        "default-src 'self'; connect-src 'self' ws: ; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'",
    });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  server.on('upgrade', (req, socket, head) => {
    const origin = req.headers.origin;
    const okHost = expectedHosts.has((req.headers.host ?? '').toLowerCase());
    const okOrigin = origin === undefined || [...expectedHosts].some((h) => origin === `http://${h}`);
    if (req.url !== `${BASE}/events` || !okHost || !okOrigin) {
      socket.end('HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\n\r\nnot a console event stream\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      const rows = ladder().rows;
      ws.send(JSON.stringify({ type: 'hello', topology: topologyView(), health: lastHealth }));
      ws.send(JSON.stringify({ type: 'ladder', total: rows.length, rows: rows.slice(-LADDER_PUSH_ROWS) }));
      ws.on('close', () => clients.delete(ws));
      ws.on('error', () => clients.delete(ws));
      // The stream is one way: anything the browser sends is ignored.
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.address, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  expectedHosts.add(`${options.address}:${port}`);
  if (options.address === '127.0.0.1') expectedHosts.add(`localhost:${port}`);
  void checkHealth();
  return {
    address: options.address,
    port,
    url: `http://${options.address}:${port}/`,
    close: async () => {
      offTrace();
      for (const off of offEvents) off();
      clearInterval(healthTimer);
      if (pushTimer) clearTimeout(pushTimer);
      for (const ws of clients) ws.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
    },
  };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest(`path segment "${segment.slice(0, 40)}" is not valid percent-encoding`);
  }
}

function json(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, 'application/json', JSON.stringify(value));
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string | Buffer,
  download?: string,
): void {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...(download ? { 'content-disposition': `attachment; filename="${download}"` } : {}),
  });
  res.end(body);
}

async function readJson(req: IncomingMessage, max: number): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) throw consoleProblem('too-large', `more than ${max} bytes`);
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  if (type !== 'application/json')
    throw consoleProblem('unsupported-media-type', `Content-Type "${type ?? ''}" (use application/json)`);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    throw badRequest(`body is not JSON: ${(error as Error).message}`);
  }
}

export type { LadderRow, TerminalInfo };
