import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { type ControlServer, startControlServer } from '../../../domains/simple/client/control-server.ts';
import type { SimpleTerminal } from '../../../domains/simple/client/simple-terminal.ts';
import type { ControlEvent } from '../../../domains/simple/client/terminal-control.ts';
import { type Lab, PASSWORDS, startLab, waitFor } from './lab.ts';

// Jane's and Bob's terminals against PS2, driven through the control API: login with Digest,
// setPresence, subscribe (pending until Jane approves over XCAP), presence events, revocation,
// instant messages with CPIM, and an offline message stored and delivered on registration with
// an IMDN delivery notification back to the sender.

describe("Jane's terminal and its control API against PS2", () => {
  let lab: Lab;
  let jane: SimpleTerminal;
  let bob: SimpleTerminal;
  let carol: SimpleTerminal;
  let control: ControlServer;
  const janeEvents: ControlEvent[] = [];
  const bobEvents: ControlEvent[] = [];
  const carolEvents: ControlEvent[] = [];
  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`http://127.0.9.30:${control.port}/api/v1${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };

  before(async () => {
    lab = await startLab('127.0.9.3');
    jane = lab.terminal('jane', '127.0.9.30');
    bob = lab.terminal('bob', '127.0.9.31');
    carol = lab.terminal('carol', '127.0.9.32');
    jane.onEvent((e) => janeEvents.push(e));
    bob.onEvent((e) => bobEvents.push(e));
    carol.onEvent((e) => carolEvents.push(e));
    control = await startControlServer(jane, { address: '127.0.9.30', port: 0 });
  });
  after(async () => {
    await control.close();
    await lab.stop();
  });

  it('refuses a wrong password with TERM_ERR_AUTH_FAILED', async () => {
    const r = await api('POST', '/login', { password: 'nope' });
    assert.equal(r.status, 401);
    assert.equal((r.json.error as { code: string }).code, 'TERM_ERR_AUTH_FAILED');
  });

  it('logs in, publishes, and approves a pending watcher', async () => {
    const login = await api('POST', '/login', { password: PASSWORDS.jane });
    assert.equal(login.status, 200, JSON.stringify(login.json));
    assert.equal(login.json.loggedIn, true);
    const pub = await api('POST', '/presence', {
      basic: 'open',
      activities: ['meeting'],
      mood: ['happy'],
      note: 'In Paris',
      placeType: 'office',
    });
    assert.equal(pub.status, 200, JSON.stringify(pub.json));
    await bob.login({});
    const sub = await bob.subscribe('sip:jane@domain2.lab');
    assert.equal(sub.kind, 'user');
    await waitFor(() => janeEvents.some((e) => e.type === 'watcher' && e.status === 'pending'));
    assert.equal(Array.isArray((await api('GET', '/state')).json.watchers), true);
    const ok = await api('POST', '/authorizations', {
      watcher: 'sip:bob@domain2.lab',
      decision: 'approve',
      provide: { mood: false },
    });
    assert.equal(ok.status, 200, JSON.stringify(ok.json));
    await waitFor(() => bobEvents.some((e) => e.type === 'presence'));
    const p = bobEvents.find((e) => e.type === 'presence');
    assert.ok(p && p.type === 'presence');
    assert.equal(p.from, 'sip:jane@domain2.lab');
    assert.equal(p.presence.basic, 'open');
    assert.deepEqual(p.presence.activities, ['meeting']);
    assert.equal(p.presence.note, 'In Paris');
    assert.equal(p.presence.placeType, 'office');
    // provide-mood false: the transformation removed it.
    assert.equal(p.presence.mood, undefined);
    assert.equal(bob.state().subscriptions[0]?.state, 'active');
  });

  it("streams the terminal's events over the control WebSocket", async () => {
    const ws = new WebSocket(`ws://127.0.9.30:${control.port}/api/v1/events`);
    const frames: Array<Record<string, unknown>> = [];
    ws.on('message', (d) => frames.push(JSON.parse(String(d)) as Record<string, unknown>));
    await new Promise((r) => ws.once('open', r));
    await waitFor(() => frames.length >= 1);
    assert.equal(frames[0]?.type, 'hello');
    assert.equal((frames[0]!.state as { loggedIn: boolean }).loggedIn, true);
    await bob.sendMessage('sip:jane@domain2.lab', 'ping over ws');
    await waitFor(() => frames.some((f) => f.type === 'message' && f.text === 'ping over ws'));
    ws.close();
  });

  it('sends a CPIM message that Bob receives', async () => {
    const r = await api('POST', '/messages', { to: 'sip:bob@domain2.lab', text: 'Hello Bob' });
    assert.equal(r.status, 202);
    assert.equal(r.json.status, 'sent');
    await waitFor(() => bobEvents.some((e) => e.type === 'message'));
    const m = bobEvents.find((e) => e.type === 'message');
    assert.ok(m && m.type === 'message');
    assert.equal(m.text, 'Hello Bob');
    assert.equal(m.from, 'sip:jane@domain2.lab');
  });

  it('stores a message for an offline user and delivers it on registration, with an IMDN', async () => {
    const r = await api('POST', '/messages', {
      to: 'sip:carol@domain2.lab',
      text: 'Call me',
      deliveryReport: true,
    });
    assert.equal(r.status, 202);
    assert.equal(r.json.status, 'stored');
    assert.equal(lab.ps2.messages.pending('sip:carol@domain2.lab').length, 1);
    await carol.login({});
    await waitFor(() => carolEvents.some((e) => e.type === 'message'));
    const m = carolEvents.find((e) => e.type === 'message');
    assert.ok(m && m.type === 'message');
    assert.equal(m.text, 'Call me');
    await waitFor(() => janeEvents.some((e) => e.type === 'delivery'));
    const d = janeEvents.find((e) => e.type === 'delivery');
    assert.ok(d && d.type === 'delivery');
    assert.equal(d.id, r.json.id);
    assert.equal(d.status, 'delivered');
  });

  it('revokes Bob: his subscription ends and the terminal reports it', async () => {
    const r = await api('DELETE', `/authorizations/${encodeURIComponent('sip:bob@domain2.lab')}`);
    assert.equal(r.status, 200);
    await waitFor(() =>
      bobEvents.some(
        (e) => e.type === 'subscription' && e.state === 'terminated' && e.reason === 'deactivated',
      ),
    );
    const again = await api('DELETE', `/authorizations/${encodeURIComponent('sip:bob@domain2.lab')}`);
    assert.equal(again.status, 404);
  });

  it('logs out', async () => {
    const r = await api('POST', '/logout', {});
    assert.equal(r.json.loggedIn, false);
    assert.equal(lab.ps2.location.lookup('sip:jane@domain2.lab').length, 0);
    assert.equal((await api('POST', '/presence', { basic: 'open' })).status, 409);
  });
});
