import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import {
  type ControlServer,
  startControlServer,
} from '../../../../../domains/simple/client/control-server.ts';
import {
  ControlError,
  type ControlEvent,
  type ControlListener,
  type ControlState,
  type TerminalControl,
} from '../../../../../domains/simple/client/terminal-control.ts';

// The control server over a fake terminal: routes, JSON validation, error bodies, event stream.

class FakeTerminal implements TerminalControl {
  calls: unknown[][] = [];
  listeners = new Set<ControlListener>();
  loggedIn = false;
  async login(o: { password?: string; via?: 'home' | 'visited' }) {
    this.calls.push(['login', o]);
    if (o.password === 'wrong') throw new ControlError('TERM_ERR_AUTH_FAILED', 'refused', 401);
    this.loggedIn = true;
    return { loggedIn: true, via: o.via ?? 'home', expires: 3600 } as const;
  }
  async logout() {
    this.loggedIn = false;
    return { loggedIn: false };
  }
  async setPresence(p: object) {
    this.calls.push(['setPresence', p]);
    return { published: true };
  }
  async subscribe(target: string, o?: { list?: boolean }) {
    this.calls.push(['subscribe', target, o]);
    return { target, kind: o?.list ? ('list' as const) : ('user' as const), state: 'pending' as const };
  }
  async unsubscribe(target: string) {
    if (target !== 'sip:bob@domain2.lab') throw new ControlError('TERM_ERR_NOT_FOUND', 'none');
    return { target, state: 'terminated' as const };
  }
  async authorize(watcher: string, decision: 'approve' | 'deny' | 'polite-block') {
    this.calls.push(['authorize', watcher, decision]);
    return { watcher, decision };
  }
  async revoke(watcher: string) {
    return { watcher, revoked: true };
  }
  async sendMessage(to: string, text: string, o?: { deliveryReport?: boolean }) {
    this.calls.push(['sendMessage', to, text, o]);
    return { id: 'm1', status: 'sent' as const, protocolStatus: 200 };
  }
  state(): ControlState {
    return {
      user: 'sip:jane@domain2.lab',
      protocol: 'simple',
      loggedIn: this.loggedIn,
      subscriptions: [],
      watchers: [],
      authorizations: [],
      messages: [],
    };
  }
  onEvent(l: ControlListener) {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  emit(e: ControlEvent) {
    for (const l of this.listeners) l(e);
  }
}

describe('control server', () => {
  const terminal = new FakeTerminal();
  let server: ControlServer;
  let base = '';
  before(async () => {
    server = await startControlServer(terminal, { address: '127.0.2.90', port: 0 });
    base = `http://127.0.2.90:${server.port}/api/v1`;
  });
  after(() => server.close());

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(base + path, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };

  it('logs in, then reports the state', async () => {
    const r = await call('POST', '/login', { via: 'visited' });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { loggedIn: true, via: 'visited', expires: 3600 });
    const s = await call('GET', '/state');
    assert.equal(s.json.loggedIn, true);
  });

  it('maps a ControlError to its HTTP status and JSON error', async () => {
    const r = await call('POST', '/login', { password: 'wrong' });
    assert.equal(r.status, 401);
    assert.deepEqual(r.json, {
      error: { code: 'TERM_ERR_AUTH_FAILED', message: 'refused', protocolStatus: 401 },
    });
    const nf = await call('DELETE', `/subscriptions/${encodeURIComponent('sip:x@domain2.lab')}`);
    assert.equal(nf.status, 404);
  });

  it('validates bodies', async () => {
    assert.equal((await call('POST', '/presence', '{not json')).status, 400);
    assert.equal((await call('POST', '/presence', { basic: 'maybe' })).status, 400);
    assert.equal((await call('POST', '/subscriptions', {})).status, 400);
    assert.equal((await call('POST', '/authorizations', { watcher: 'sip:a@b', decision: 'ok' })).status, 400);
    assert.equal((await call('GET', '/nothing')).status, 404);
  });

  it('passes calls through with decoded parameters', async () => {
    const p = await call('POST', '/presence', { basic: 'open', activities: ['meeting'], note: 'hi' });
    assert.equal(p.status, 200);
    assert.deepEqual(terminal.calls.at(-1), [
      'setPresence',
      { basic: 'open', activities: ['meeting'], note: 'hi' },
    ]);
    const s = await call('POST', '/subscriptions', { target: 'sip:list@domain2.lab', list: true });
    assert.equal(s.status, 202);
    assert.equal(s.json.kind, 'list');
    const u = await call('DELETE', `/subscriptions/${encodeURIComponent('sip:bob@domain2.lab')}`);
    assert.deepEqual(u.json, { target: 'sip:bob@domain2.lab', state: 'terminated' });
    const m = await call('POST', '/messages', {
      to: 'wv:harry@domain1.lab',
      text: 'yo',
      deliveryReport: true,
    });
    assert.equal(m.status, 202);
    assert.deepEqual(terminal.calls.at(-1), [
      'sendMessage',
      'wv:harry@domain1.lab',
      'yo',
      { deliveryReport: true },
    ]);
    const r = await call('DELETE', `/authorizations/${encodeURIComponent('sip:bob@domain2.lab')}`);
    assert.deepEqual(r.json, { watcher: 'sip:bob@domain2.lab', revoked: true });
  });

  it('streams events over WebSocket after a hello with the state', async () => {
    const ws = new WebSocket(`ws://127.0.2.90:${server.port}/api/v1/events`);
    const frames: Array<Record<string, unknown>> = [];
    ws.on('message', (data) => frames.push(JSON.parse(String(data)) as Record<string, unknown>));
    await new Promise((r) => ws.once('open', r));
    const until = async (n: number) => {
      const end = Date.now() + 2000;
      while (frames.length < n && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
    };
    await until(1);
    assert.equal(frames[0]?.type, 'hello');
    terminal.emit({ type: 'watcher', watcher: 'sip:bob@domain2.lab', status: 'pending', event: 'subscribe' });
    await until(2);
    assert.equal(frames[1]?.type, 'watcher');
    assert.equal(frames[1]?.watcher, 'sip:bob@domain2.lab');
    assert.equal(typeof frames[1]?.at, 'string');
    ws.close();
  });
});

describe('control server: subscription options and buddy lists (docs/control-api.md)', () => {
  class ListTerminal extends FakeTerminal {
    lists = new Map<string, string[]>();
    async setBuddyList(list: string, members: string[]) {
      this.calls.push(['setBuddyList', list, members]);
      this.lists.set(list, members);
      return { list, members };
    }
    async getBuddyList(list: string) {
      const members = this.lists.get(list);
      if (members === undefined) throw new ControlError('TERM_ERR_NOT_FOUND', `no list ${list}`);
      return { list, members };
    }
  }
  const plain = new FakeTerminal();
  const withLists = new ListTerminal();
  const servers: ControlServer[] = [];
  const bases: string[] = [];
  before(async () => {
    for (const t of [plain, withLists]) {
      const s = await startControlServer(t, { address: '127.0.2.90', port: 0 });
      servers.push(s);
      bases.push(`http://127.0.2.90:${s.port}/api/v1`);
    }
  });
  after(() => Promise.all(servers.map((s) => s.close())));
  const call = async (i: number, method: string, path: string, body?: unknown) => {
    const res = await fetch(bases[i] + path, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: (await res.json()) as Record<string, unknown> };
  };

  it('passes attributes (deduplicated) and onlyChanges to subscribe', async () => {
    const r = await call(0, 'POST', '/subscriptions', {
      target: 'wv:harry@domain1.lab',
      attributes: ['note', 'availability', 'note'],
      onlyChanges: true,
    });
    assert.equal(r.status, 202);
    assert.deepEqual(plain.calls.at(-1), [
      'subscribe',
      'wv:harry@domain1.lab',
      { list: false, attributes: ['note', 'availability'], onlyChanges: true },
    ]);
  });

  it('refuses unknown attributes, an empty subset and a non-boolean onlyChanges', async () => {
    const before = plain.calls.length;
    for (const body of [
      { target: 'sip:a@b', attributes: ['StatusText'] },
      { target: 'sip:a@b', attributes: [] },
      { target: 'sip:a@b', attributes: 'note' },
      { target: 'sip:a@b', onlyChanges: 'yes' },
    ]) {
      const r = await call(0, 'POST', '/subscriptions', body);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.equal((r.json.error as { code: string }).code, 'TERM_ERR_BAD_REQUEST');
    }
    assert.equal(plain.calls.length, before, 'nothing reached the terminal');
  });

  it('answers 501 for buddy lists when the terminal has no such call', async () => {
    const list = encodeURIComponent('sip:jane-buddies@domain2.lab');
    const put = await call(0, 'PUT', `/lists/${list}`, { members: ['sip:bob@domain2.lab'] });
    assert.equal(put.status, 501);
    assert.equal((put.json.error as { code: string }).code, 'TERM_ERR_NOT_SUPPORTED');
    assert.equal((await call(0, 'GET', `/lists/${list}`)).status, 501);
  });

  it('PUT then GET a buddy list; members must be a list of strings', async () => {
    const list = 'wv:harry/friends@domain1.lab';
    const path = `/lists/${encodeURIComponent(list)}`;
    assert.equal((await call(1, 'GET', path)).status, 404);
    assert.equal((await call(1, 'PUT', path, {})).status, 400);
    assert.equal((await call(1, 'PUT', path, { members: [1] })).status, 400);
    const members = ['wv:sally@domain1.lab', 'sip:jane@domain2.lab'];
    const put = await call(1, 'PUT', path, { members });
    assert.equal(put.status, 200);
    assert.deepEqual(put.json, { list, members });
    assert.deepEqual(withLists.calls.at(-1), ['setBuddyList', list, members]);
    assert.deepEqual((await call(1, 'GET', path)).json, { list, members });
  });
});
