import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type ControlServer, startControlServer } from '../../../domains/simple/client/control-server.ts';
import {
  ControlError,
  type ControlEvent,
  type ControlListener,
  type ControlState,
  type TerminalControl,
} from '../../../domains/simple/client/terminal-control.ts';
import { actionOf, type ScenarioStep } from '../../../scenarios/scenario-schema.ts';
import { callFor, describeStep } from '../../../scenarios/step-actions.ts';
import { ControlCallError, TerminalClient } from '../../../scenarios/terminal-client.ts';

// The runner's control-API client against the real control server over a recording terminal.

class RecordingTerminal implements TerminalControl {
  readonly calls: unknown[][] = [];
  private readonly listeners = new Set<ControlListener>();
  snapshot: ControlState = {
    user: 'sip:jane@domain2.lab',
    protocol: 'simple',
    loggedIn: false,
    subscriptions: [],
    watchers: [],
    authorizations: [],
    messages: [],
  };
  emit(e: ControlEvent): void {
    for (const l of this.listeners) l(e);
  }
  async login(o: { password?: string; via?: 'home' | 'visited' }) {
    this.calls.push(['login', o]);
    if (o.password === 'wrong') throw new ControlError('TERM_ERR_AUTH_FAILED', 'refused', 401);
    return { loggedIn: true, via: o.via ?? ('home' as const) };
  }
  async logout() {
    this.calls.push(['logout']);
    return { loggedIn: false };
  }
  async setPresence(p: object) {
    this.calls.push(['setPresence', p]);
    return { published: true };
  }
  async subscribe(target: string, o?: { list?: boolean }) {
    this.calls.push(['subscribe', target, o]);
    return { target, kind: 'user' as const, state: 'pending' as const };
  }
  async unsubscribe(target: string) {
    this.calls.push(['unsubscribe', target]);
    return { target, state: 'terminated' as const };
  }
  async authorize(watcher: string, decision: 'approve' | 'deny' | 'polite-block', provide?: object) {
    this.calls.push(['authorize', watcher, decision, provide]);
    return { watcher, decision };
  }
  async revoke(watcher: string) {
    this.calls.push(['revoke', watcher]);
    return { watcher, revoked: true };
  }
  async sendMessage(to: string, text: string, o?: { deliveryReport?: boolean }) {
    this.calls.push(['sendMessage', to, text, o]);
    return { id: 'm-1', status: 'sent' as const, protocolStatus: 200 };
  }
  state() {
    return this.snapshot;
  }
  onEvent(l: ControlListener) {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}

const step = (s: object) => s as ScenarioStep;

describe('TerminalClient and the step actions', () => {
  const terminal = new RecordingTerminal();
  let server: ControlServer;
  let client: TerminalClient;
  before(async () => {
    server = await startControlServer(terminal, { address: '127.0.75.1', port: 0 });
    client = new TerminalClient('jane', `http://127.0.75.1:${server.port}/api/v1`);
    await client.connect(3000);
  });
  after(async () => {
    client.close();
    await server.close();
  });

  it('each action becomes its control call (paths URL-encoded, bodies as documented)', async () => {
    const steps = [
      { login: { actor: 'jane', via: 'visited' } },
      { setPresence: { actor: 'jane', presence: { basic: 'open', note: 'hi' } } },
      { subscribe: { actor: 'jane', target: 'wv:harry@domain1.lab', list: true } },
      { unsubscribe: { actor: 'jane', target: 'wv:harry@domain1.lab' } },
      { authorize: { actor: 'jane', watcher: 'sip:harry@domain1.lab', decision: 'deny' } },
      { revoke: { actor: 'jane', watcher: 'sip:harry@domain1.lab' } },
      { sendMessage: { actor: 'jane', to: 'sip:a@b', text: 'yo', deliveryReport: true, as: 'm' } },
      { logout: { actor: 'jane' } },
    ].map(step);
    terminal.calls.length = 0;
    for (const s of steps) await callFor(actionOf(s), client, 3000);
    assert.deepEqual(terminal.calls, [
      ['login', { via: 'visited' }],
      ['setPresence', { basic: 'open', note: 'hi' }],
      ['subscribe', 'wv:harry@domain1.lab', { list: true }],
      ['unsubscribe', 'wv:harry@domain1.lab'],
      ['authorize', 'sip:harry@domain1.lab', 'deny', undefined],
      ['revoke', 'sip:harry@domain1.lab'],
      ['sendMessage', 'sip:a@b', 'yo', { deliveryReport: true }],
      ['logout'],
    ]);
    assert.deepEqual(steps.map(describeStep).slice(0, 3), [
      'jane: login via the visited network',
      'jane: set presence {"basic":"open","note":"hi"}',
      'jane: subscribe to wv:harry@domain1.lab (list)',
    ]);
    assert.equal(await callFor(actionOf(step({ wait: { ms: 1 } })), client, 100), undefined);
  });

  it('an error answer becomes a ControlCallError with the terminal code and protocol status', async () => {
    await assert.rejects(
      client.call('POST', '/login', { password: 'wrong' }, 3000),
      (e: unknown) =>
        e instanceof ControlCallError &&
        e.code === 'TERM_ERR_AUTH_FAILED' &&
        e.httpStatus === 401 &&
        e.protocolStatus === 401,
    );
    await assert.rejects(
      new TerminalClient('x', 'http://127.0.75.2:9/api/v1').call('GET', '/state', undefined, 1000),
      (e: unknown) => e instanceof ControlCallError && e.code === 'RUNNER_ERR_UNREACHABLE',
    );
  });

  it('waitForEvent finds an event that came before the wait, once; a timeout shows what came', async () => {
    terminal.emit({
      type: 'watcher',
      watcher: 'sip:alice@domain2.lab',
      status: 'pending',
      event: 'subscribe',
    });
    await new Promise((r) => setTimeout(r, 100));
    const vars = new Map<string, string>();
    const got = await client.waitForEvent('watcher', { status: 'pending' }, vars, 1000);
    assert.equal(got.watcher, 'sip:alice@domain2.lab');
    await assert.rejects(
      client.waitForEvent('watcher', { status: 'pending' }, vars, 150),
      /no matching "watcher" event within 150 ms\n {2}got \(used\) \{"type":"watcher"/,
    );
    const later = client.waitForEvent('message', { text: 'late' }, vars, 2000);
    setTimeout(
      () => terminal.emit({ type: 'message', id: '1', from: 'x', text: 'late', contentType: 'text/plain' }),
      50,
    );
    assert.equal((await later).id, '1');
  });

  it('expectNoEvent fails when a matching event arrives in the window', async () => {
    const vars = new Map<string, string>();
    await client.expectNoEvent('delivery', {}, vars, 100);
    const quiet = client.expectNoEvent('delivery', { status: 'failed' }, vars, 300);
    setTimeout(() => terminal.emit({ type: 'delivery', id: 'm', to: 'x', status: 'failed' }), 50);
    await assert.rejects(quiet, /unexpected "delivery" event/);
  });

  it('waitForState polls the snapshot until it matches, or says what it last saw', async () => {
    const vars = new Map<string, string>();
    setTimeout(() => {
      terminal.snapshot = { ...terminal.snapshot, loggedIn: true };
    }, 150);
    await client.waitForState({ loggedIn: true }, vars, 2000);
    await assert.rejects(
      client.waitForState({ via: 'visited' }, vars, 250),
      /state did not match within 250 ms/,
    );
  });

  it('an aborted wait ends at once', async () => {
    const abort = new AbortController();
    const wait = client.waitForEvent('error', {}, new Map(), 10_000, abort.signal);
    setTimeout(() => abort.abort(), 30);
    const t0 = Date.now();
    await assert.rejects(wait, /aborted/);
    assert.ok(Date.now() - t0 < 1000);
  });
});
