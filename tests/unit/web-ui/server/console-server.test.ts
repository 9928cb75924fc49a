import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import type { WireTraceEvent } from '../../../../common/trace.ts';
import type { Topology } from '../../../../lab/topology.ts';
import { type ConsoleServer, isLoopback, startConsole } from '../../../../web-ui/server/console-server.ts';
import { TraceStore } from '../../../../web-ui/server/trace-store.ts';

// A stand-in for Jane's terminal: records each control API call and answers as told.
const calls: Array<{ method: string; url: string; body: string }> = [];
let answer: { status: number; body: unknown } = { status: 200, body: { ok: true } };
let terminal: Server;
let consoleServer: ConsoleServer;
const trace = new TraceStore();

function topology(controlPort: number): Topology {
  return {
    domains: { 'domain2.lab': { server: 'ps2' } },
    nodes: {
      ps2: { role: 'ps2', address: '127.0.0.1', ports: { sip: 1 } },
      jane: {
        role: 'jane',
        address: '127.0.0.1',
        ports: { control: controlPort },
        user: 'sip:jane@domain2.lab',
      },
    },
  };
}

before(async () => {
  terminal = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', () => {
      // The console also follows the terminal's event stream (GET …/events): not an action.
      if (!req.url?.endsWith('/events')) calls.push({ method: req.method ?? '', url: req.url ?? '', body });
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((r) => terminal.listen(0, '127.0.0.1', r));
  const port = (terminal.address() as AddressInfo).port;
  consoleServer = await startConsole({
    topology: topology(port),
    trace,
    address: '127.0.0.1',
    port: 0,
    builtRoles: ['ps2', 'jane'],
    healthIntervalMs: 60_000,
  });
});

after(async () => {
  await consoleServer.close();
  terminal.closeAllConnections();
  await new Promise((r) => terminal.close(r));
});

async function call(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${consoleServer.url}${path.replace(/^\//, '')}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body }),
  });
  const text = await res.text();
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    json: text ? JSON.parse(text) : undefined,
  };
}

test('binds loopback only: any other address is refused before listening', async () => {
  assert.equal(isLoopback('127.0.0.1'), true);
  assert.equal(isLoopback('127.255.1.300'), false);
  for (const address of ['0.0.0.0', '192.168.1.2', '::', 'localhost']) {
    await assert.rejects(
      startConsole({ topology: topology(1), trace, address, port: 0, builtRoles: [] }),
      /not a loopback address/,
    );
  }
  assert.equal(consoleServer.address, '127.0.0.1');
  // Nothing answers on another loopback address at the console's port.
  await assert.rejects(fetch(`http://127.0.0.2:${consoleServer.port}/`));
});

test('malformed requests get RFC 9457 problem bodies', async () => {
  const cases: Array<[string, string, string | undefined, number, string]> = [
    ['GET', '/api/v1/nothing', undefined, 404, '/problems/not-found'],
    ['GET', '/etc/passwd', undefined, 404, '/problems/not-found'],
    ['GET', '/app/../../package.json', undefined, 404, '/problems/not-found'],
    ['POST', '/api/v1/users/jane/login', '{"via":', 400, '/problems/bad-request'],
    ['POST', '/api/v1/users/jane/login', '{"via":"moon"}', 400, '/problems/bad-request'],
    ['POST', '/api/v1/users/jane/login', '{"password":"x","extra":1}', 400, '/problems/bad-request'],
    ['POST', '/api/v1/users/jane/message', '{"to":"sip:a@b"}', 400, '/problems/bad-request'],
    ['POST', '/api/v1/users/jane/exec', '{}', 404, '/problems/not-found'],
    ['POST', '/api/v1/users/mallory/login', '{}', 404, '/problems/not-found'],
    ['DELETE', '/api/v1/topology', undefined, 405, '/problems/method-not-allowed'],
    ['GET', '/api/v1/users/%E0%A4%A/state', undefined, 400, '/problems/bad-request'],
    ['GET', '/api/v1/trace/abc', undefined, 400, '/problems/bad-request'],
    ['GET', '/api/v1/trace/99', undefined, 404, '/problems/not-found'],
    ['GET', '/api/v1/export/secrets.txt', undefined, 404, '/problems/not-found'],
    ['POST', '/api/v1/scenarios/no-such-scenario/run', '{}', 404, '/problems/not-found'],
  ];
  for (const [method, path, body, status, type] of cases) {
    const r = await call(method, path, body);
    assert.equal(r.status, status, `${method} ${path}`);
    assert.equal(r.type, 'application/problem+json', `${method} ${path}`);
    assert.equal(r.json.type, type, `${method} ${path}`);
    assert.equal(r.json.status, status);
    assert.equal(typeof r.json.title, 'string');
    // fetch normalizes the path as a browser does (`/app/../x` → `/x`).
    assert.equal(r.json.instance, new URL(path, 'http://h').pathname);
  }
  // DNS rebinding: a request naming another host is refused (fetch cannot set Host; http can).
  const rebound = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: consoleServer.port,
        path: '/api/v1/topology',
        headers: { host: 'attacker.example' },
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => {
          body += c.toString();
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
  assert.equal(rebound.status, 421);
  assert.equal(JSON.parse(rebound.body).type, '/problems/wrong-host');
  const wrongType = await fetch(`${consoleServer.url}api/v1/users/jane/login`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: '{}',
  });
  assert.equal(wrongType.status, 415);
  const big = await call(
    'POST',
    '/api/v1/users/jane/message',
    JSON.stringify({ to: 'x', text: 'a'.repeat(70_000) }),
  );
  assert.equal(big.status, 413);
  assert.deepEqual(calls, [], 'no malformed request reached the terminal');
});

test('a lab action becomes exactly one control API call of that user’s terminal', async () => {
  calls.length = 0;
  answer = { status: 200, body: { loggedIn: true, via: 'home', expires: 3600 } };
  const login = await call('POST', '/api/v1/users/jane/login', '{"via":"home"}');
  assert.equal(login.status, 200);
  assert.deepEqual(login.json, answer.body);
  answer = { status: 200, body: { target: 'sip:bob@domain2.lab', state: 'terminated' } };
  await call('POST', '/api/v1/users/jane/unsubscribe', '{"target":"sip:bob@domain2.lab"}');
  answer = { status: 202, body: { id: 'm1', status: 'sent' } };
  const sent = await call('POST', '/api/v1/users/jane/message', '{"to":"wv:harry@domain1.lab","text":"hi"}');
  assert.equal(sent.status, 202);
  assert.deepEqual(
    calls.map((c) => [c.method, c.url, c.body]),
    [
      ['POST', '/api/v1/login', '{"via":"home"}'],
      ['DELETE', '/api/v1/subscriptions/sip%3Abob%40domain2.lab', ''],
      ['POST', '/api/v1/messages', '{"to":"wv:harry@domain1.lab","text":"hi"}'],
    ],
  );
});

test('a terminal’s refusal comes back as a problem carrying the terminal’s error', async () => {
  answer = {
    status: 401,
    body: { error: { code: 'TERM_ERR_AUTH_FAILED', message: 'bad password', protocolStatus: 401 } },
  };
  const r = await call('POST', '/api/v1/users/jane/login', '{"password":"nope"}');
  assert.equal(r.status, 401);
  assert.equal(r.json.type, '/problems/terminal-refused');
  assert.equal(r.json.title, 'TERM_ERR_AUTH_FAILED');
  assert.equal(r.json.detail, 'bad password');
  assert.deepEqual(r.json.terminal, answer.body);
});

test('attribute subsets and change-only on subscribe pass through to the terminal unchanged', async () => {
  calls.length = 0;
  answer = { status: 202, body: { target: 'sip:bob@domain2.lab', kind: 'user', state: 'pending' } };
  const body = '{"target":"sip:bob@domain2.lab","attributes":["note","mood"],"onlyChanges":true}';
  const r = await call('POST', '/api/v1/users/jane/subscribe', body);
  assert.equal(r.status, 202);
  assert.deepEqual(r.json, answer.body);
  assert.deepEqual(
    calls.map((c) => [c.method, c.url, JSON.parse(c.body)]),
    [['POST', '/api/v1/subscriptions', JSON.parse(body)]],
  );
});

test('trace: ladder rows, the inspector, and the pcap / Mermaid / JSON exports', async () => {
  const e: WireTraceEvent = {
    node: 'jane',
    protocol: 'sip',
    direction: 'tx',
    transport: 'udp',
    local: { address: '127.0.0.1', port: 5060 },
    remote: { address: '127.0.0.9', port: 5060 },
    time: Date.now(),
    bytes: Buffer.from('MESSAGE sip:bob@domain2.lab SIP/2.0\r\nContent-Type: text/plain\r\n\r\nhello'),
  };
  trace.addWire(e);
  const rows = await call('GET', '/api/v1/trace');
  assert.equal(rows.json.total, 1);
  assert.equal(rows.json.rows[0].label, 'MESSAGE');
  assert.deepEqual(rows.json.rows[0].users, [], 'the message names bob, who is no user of this lab');
  const one = await call('GET', '/api/v1/trace/0');
  assert.match(one.json.message.head, /^MESSAGE sip:bob@domain2\.lab SIP\/2\.0/);
  assert.equal(one.json.message.payloads[0].text, 'hello');
  assert.equal(one.json.timing.sinceStartMs, 0);
  const pcap = Buffer.from(await (await fetch(`${consoleServer.url}api/v1/export/trace.pcap`)).arrayBuffer());
  assert.equal(pcap.readUInt32LE(0), 0xa1b2c3d4);
  assert.ok(pcap.includes(Buffer.from('hello')));
  const mmd = await (await fetch(`${consoleServer.url}api/v1/export/trace.mmd`)).text();
  assert.match(mmd, /^sequenceDiagram/);
  assert.match(mmd, /MESSAGE/);
  const json = (await (await fetch(`${consoleServer.url}api/v1/export/trace.json`)).json()) as {
    wire: Array<{ bytes: string }>;
  };
  assert.equal(Buffer.from(json.wire[0]?.bytes ?? '', 'base64').toString(), e.bytes.toString());
  assert.equal((await call('DELETE', '/api/v1/trace')).json.cleared, true);
  assert.equal((await call('GET', '/api/v1/trace')).json.total, 0);
});

test('the app is served with a restrictive CSP; the event stream refuses other origins', async () => {
  const page = await fetch(consoleServer.url);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'/);
  assert.match(await page.text(), /<script type="module" src="\/app\/main.js">/);
  const events = `ws://127.0.0.1:${consoleServer.port}/api/v1/events`;
  const refused = await new Promise<string>((resolve) => {
    const ws = new WebSocket(events, { origin: 'http://evil.example' });
    ws.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
    ws.on('open', () => resolve('open'));
    ws.on('error', () => resolve('error'));
  });
  assert.notEqual(refused, 'open');
  const first = await new Promise<{ type: string; topology: { terminals: unknown[] } }>((resolve, reject) => {
    const ws = new WebSocket(events, { origin: `http://127.0.0.1:${consoleServer.port}` });
    ws.once('message', (d) => {
      resolve(JSON.parse(String(d)));
      ws.close();
    });
    ws.on('error', reject);
  });
  assert.equal(first.type, 'hello');
  assert.equal(first.topology.terminals.length, 1);
});
