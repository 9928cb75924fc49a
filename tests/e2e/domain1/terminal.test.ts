// Domain1 e2e: Harry's terminal driven through the control API (docs/control-api.md): HTTP +
// JSON calls and the WebSocket event stream, against a real PS1 and a second IMPS user.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import WebSocket from 'ws';
import type { ImpsClient, PresenceEvent } from '../../../domains/imps/client/imps-client.ts';
import { type ImpsTerminalHandle, startImpsTerminal } from '../../../domains/imps/client/imps-terminal.ts';
import type { Ps1 } from '../../../domains/imps/server/ps1.ts';
import { client, next, ps1 } from './harness.ts';

const HARRY = 'wv:harry@domain1.lab';
const SALLY = 'wv:sally@domain1.lab';

describe("Harry's terminal control API", () => {
  let server: Ps1;
  let harry: ImpsTerminalHandle;
  let sally: ImpsClient;
  let base: string;
  let ws: WebSocket;
  const events: Array<Record<string, unknown>> = [];
  const waitEvent = (match: (e: Record<string, unknown>) => boolean, ms = 3000) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const found = events.find(match);
      if (found !== undefined) return resolve(found);
      const timer = setTimeout(() => reject(new Error('no such event')), ms);
      ws.on('message', function on(data) {
        const e = JSON.parse(String(data)) as Record<string, unknown>;
        if (!match(e)) return;
        clearTimeout(timer);
        ws.off('message', on);
        resolve(e);
      });
    });
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };

  before(async () => {
    server = await ps1();
    harry = await startImpsTerminal({
      userId: HARRY,
      password: 'harry-pw',
      serverUrl: server.url,
      address: '127.0.1.10',
      controlPort: 0,
    });
    base = `http://127.0.1.10:${harry.control.port}/api/v1`;
    ws = new WebSocket(`ws://127.0.1.10:${harry.control.port}/api/v1/events`);
    ws.on('message', (d) => events.push(JSON.parse(String(d)) as Record<string, unknown>));
    await new Promise((r) => ws.once('open', r));
    sally = client(server, 'sally');
    await sally.login();
  });
  after(async () => {
    ws.close();
    sally.close();
    await harry.stop();
    await server.stop();
  });

  it('hello, then calls before login are 409 TERM_ERR_NOT_LOGGED_IN', async () => {
    const hello = await waitEvent((e) => e.type === 'hello');
    assert.equal((hello.state as { protocol: string }).protocol, 'imps');
    const r = await call('POST', '/presence', { basic: 'open' });
    assert.equal(r.status, 409);
    assert.equal((r.json.error as { code: string }).code, 'TERM_ERR_NOT_LOGGED_IN');
  });

  it('a wrong password is 401 TERM_ERR_AUTH_FAILED with the CSP status', async () => {
    const r = await call('POST', '/login', { password: 'nope' });
    assert.equal(r.status, 401);
    assert.equal((r.json.error as { protocolStatus: number }).protocolStatus, 409);
  });

  it('login (digest), setPresence and a watcher that sees it after approval', async () => {
    const r = await call('POST', '/login', {});
    assert.deepEqual([r.status, r.json.loggedIn, r.json.via], [200, true, 'home']);
    await waitEvent((e) => e.type === 'login' && e.loggedIn === true);
    const watcher = waitEvent((e) => e.type === 'watcher' && e.watcher === SALLY && e.status === 'pending');
    await sally.subscribe({ users: [HARRY] });
    await watcher;
    const seen = next<PresenceEvent>(
      sally,
      'presence',
      (p) => p.presenceSubList.statusText?.presenceValue === 'at the lab',
    );
    assert.equal(
      (await call('POST', '/presence', { basic: 'open', availability: 'discreet', note: 'at the lab' }))
        .status,
      200,
    );
    const a = await call('POST', '/authorizations', { watcher: SALLY, decision: 'approve' });
    assert.equal(a.status, 200);
    const p = await seen;
    assert.equal(p.presenceSubList.userAvailability?.presenceValue, 'DISCREET');
  });

  it('subscribe to Sally: pending, then active with presence events in the common model', async () => {
    await sally.createAttributeList({
      attributes: ['OnlineStatus', 'StatusText', 'UserAvailability'],
      users: [HARRY],
    });
    const presence = waitEvent((e) => e.type === 'presence' && e.from === SALLY);
    const r = await call('POST', '/subscriptions', { target: SALLY });
    assert.equal(r.status, 202);
    assert.equal(r.json.state, 'pending');
    await sally.updatePresence({ statusText: { qualifier: true, presenceValue: 'hi Harry' } });
    const e = await waitEvent(
      (x) =>
        x.type === 'presence' && x.from === SALLY && (x.presence as { note?: string }).note === 'hi Harry',
    );
    assert.equal((e.presence as { basic: string }).basic, 'open');
    await presence;
    const state = await call('GET', '/state');
    const subs = state.json.subscriptions as Array<{ target: string; state: string }>;
    assert.deepEqual(
      subs.map((s) => [s.target, s.state]),
      [[SALLY, 'active']],
    );
    const gone = await call('DELETE', `/subscriptions/${encodeURIComponent(SALLY)}`);
    assert.equal(gone.json.state, 'terminated');
    assert.equal((await call('DELETE', `/subscriptions/${encodeURIComponent(SALLY)}`)).status, 404);
  });

  it('sendMessage with a delivery report; incoming messages become events', async () => {
    const got = next<{ content: string }>(sally, 'message');
    const r = await call('POST', '/messages', {
      to: SALLY,
      text: 'hello from the console',
      deliveryReport: true,
    });
    assert.equal(r.status, 202);
    assert.equal((await got).content, 'hello from the console');
    const delivery = await waitEvent((e) => e.type === 'delivery' && e.id === r.json.id);
    assert.equal(delivery.status, 'delivered');
    const incoming = waitEvent((e) => e.type === 'message' && e.text === 'hi back');
    await sally.sendMessage([HARRY], 'hi back');
    assert.equal((await incoming).from, SALLY);
  });

  it('logout', async () => {
    const r = await call('POST', '/logout', {});
    assert.equal(r.json.loggedIn, false);
    assert.equal(server.core.sessions.ofUser(HARRY).length, 0);
  });
});
