import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { ImpsTerminal, WITHDRAWN_REASON } from '../../../../../domains/imps/client/imps-terminal.ts';
import type { ControlEvent } from '../../../../../domains/simple/client/terminal-control.ts';

// Harry's terminal over a stand-in for its CSP session: what it does with PS1's notifications
// (docs/control-api.md "A refused or withdrawn subscription") and what it asks PS1 for.

class FakeSession extends EventEmitter {
  loggedIn = true;
  version = '1.2';
  requests: unknown[][] = [];
  async subscribe(o: unknown) {
    this.requests.push(['subscribe', o]);
    return { generic: true };
  }
  async unsubscribe(o: unknown) {
    this.requests.push(['unsubscribe', o]);
    return { generic: true };
  }
  async listManage(id: string) {
    this.requests.push(['listManage', id]);
    return { body: { nickList: { nickNames: [{ userId: 'wv:jane@domain2.lab' }] } } };
  }
}

function terminalOver(session: FakeSession) {
  const t = new ImpsTerminal({ userId: 'harry@domain1.lab', password: 'x', serverUrl: 'http://127.0.1.1:1' });
  // The session the terminal would have made at login, with the same listeners wired.
  const inner = t as unknown as { client: unknown; wire(c: unknown): void };
  inner.client = session;
  inner.wire(session);
  const events: ControlEvent[] = [];
  t.onEvent((e) => events.push(e));
  return { t, events };
}

const JANE = 'wv:jane@domain2.lab';
const notify = (s: FakeSession, psl: object) => {
  s.emit('presence', { userId: JANE, presenceSubList: psl });
  if (Object.keys(psl).length === 0) s.emit('presenceWithdrawn', { userId: JANE });
};

describe("Harry's terminal: subscriptions", () => {
  it('sends the attribute subset on SubscribePresence; onlyChanges false is refused', async () => {
    const s = new FakeSession();
    const { t } = terminalOver(s);
    await t.subscribe('sip:jane@domain2.lab', { attributes: ['availability', 'note'], onlyChanges: true });
    const [, body] = s.requests.at(-1) as [string, { users: string[]; attributes: string[] }];
    assert.deepEqual(body, { users: [JANE], attributes: ['UserAvailability', 'StatusText'] });
    await assert.rejects(t.subscribe(JANE, { onlyChanges: false }), { code: 'TERM_ERR_NOT_SUPPORTED' });
    await assert.rejects(t.subscribe(JANE, { attributes: ['activities'] }), { code: 'TERM_ERR_BAD_REQUEST' });
  });

  it('an empty PresenceSubList ends the subscription with reason rejected and unsubscribes at PS1', async () => {
    const s = new FakeSession();
    const { t, events } = terminalOver(s);
    await t.subscribe(JANE);
    notify(s, { statusText: { qualifier: true, presenceValue: 'here' } });
    assert.equal(t.state().subscriptions[0]?.state, 'active');
    events.length = 0;
    notify(s, {});
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(
      events.map((e) => ({ ...e })),
      [{ type: 'subscription', target: JANE, state: 'terminated', reason: WITHDRAWN_REASON }],
      'no presence event for the empty list',
    );
    assert.equal(WITHDRAWN_REASON, 'rejected');
    assert.deepEqual(t.state().subscriptions, []);
    assert.deepEqual(s.requests.at(-1), ['unsubscribe', { users: [JANE] }]);
  });

  it('a pending subscription with no notification stays pending (silence is no refusal)', async () => {
    const s = new FakeSession();
    const { t, events } = terminalOver(s);
    const view = await t.subscribe(JANE);
    assert.equal(view.state, 'pending');
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(t.state().subscriptions[0]?.state, 'pending');
    assert.ok(!events.some((e) => e.type === 'subscription' && e.state === 'terminated'));
  });

  it('a withdrawn list member is marked terminated; the list subscription stays', async () => {
    const s = new FakeSession();
    const { t, events } = terminalOver(s);
    await t.subscribe('wv:harry/friends@domain1.lab', { list: true });
    notify(s, { statusText: { qualifier: true, presenceValue: 'here' } });
    notify(s, {});
    const list = t.state().subscriptions[0];
    assert.equal(list?.kind, 'list');
    assert.deepEqual(list?.members, [{ target: JANE, state: 'terminated' }]);
    assert.ok(!events.some((e) => e.type === 'subscription' && e.state === 'terminated'));
  });
});
