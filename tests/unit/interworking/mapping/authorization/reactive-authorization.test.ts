import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseWatcherInfo } from '../../../../../domains/simple/payloads/watcherinfo.ts';
import {
  emptyPolicy,
  resolveImpsDecision,
} from '../../../../../interworking/mapping/authorization/imps-policy.ts';
import {
  applyCancelAuth,
  applyPresenceAuthUser,
  authRequestToWatcher,
  REACTIVE_ROWS,
  watchersToAuthRequests,
} from '../../../../../interworking/mapping/authorization/reactive-authorization.ts';

const WINFO = `<?xml version="1.0"?>
<watcherinfo xmlns="urn:ietf:params:xml:ns:watcherinfo" version="3" state="full">
  <watcher-list resource="sip:harry@domain1.lab" package="presence">
    <watcher id="w1" event="subscribe" status="pending">sip:jane@domain2.lab</watcher>
    <watcher id="w2" event="timeout" status="waiting">sip:bob@domain2.lab</watcher>
    <watcher id="w3" event="approved" status="active">sip:ann@domain2.lab</watcher>
    <watcher id="w4" event="rejected" status="terminated">sip:eve@domain2.lab</watcher>
  </watcher-list>
  <watcher-list resource="sip:harry@domain1.lab" package="message-summary">
    <watcher id="m1" event="subscribe" status="pending">sip:joe@domain2.lab</watcher>
  </watcher-list>
</watcherinfo>`;

describe('reactive authorization rows', () => {
  const info = parseWatcherInfo(WINFO);
  assert.ok(info.ok);

  it('W1 + W3 + W4: CSP 1.2 publisher gets PresenceAuth-Request for pending and waiting watchers only', () => {
    const r = watchersToAuthRequests(info.value, '1.2', (uri) =>
      uri.includes('jane') ? ['OnlineStatus', 'StatusText'] : undefined,
    );
    assert.deepEqual(r.value, [
      {
        primitive: 'PresenceAuth-Request',
        userId: 'wv:jane@domain2.lab',
        presenceSubList: { onlineStatus: {}, statusText: {} },
      },
      { primitive: 'PresenceAuth-Request', userId: 'wv:bob@domain2.lab', presenceSubList: {} },
    ]);
    assert.deepEqual(r.rows.sort(), ['W1', 'W3', 'W4']);
  });

  it('W2: CSP 1.3 publisher gets Notification-Request ANU', () => {
    const r = watchersToAuthRequests(info.value, '1.3');
    assert.equal(r.value[0]?.primitive, 'Notification-Request');
    assert.deepEqual(r.value[0], {
      primitive: 'Notification-Request',
      notificationType: 'ANU',
      userId: 'wv:jane@domain2.lab',
      presenceSubList: {},
    });
    assert.ok(r.rows.includes('W2'));
  });

  it('W5: Acceptance T grants the PresenceSubList, or what was asked', () => {
    const p = { ...emptyPolicy(), reactive: true, denied: ['wv:jane@domain2.lab'] };
    const withList = applyPresenceAuthUser(
      p,
      { userId: 'wv:jane@domain2.lab', acceptance: true, presenceSubList: { onlineStatus: {}, alias: {} } },
      ['StatusText'],
    );
    assert.equal(withList.row, 'W5');
    assert.deepEqual(resolveImpsDecision(withList.value, 'wv:jane@domain2.lab'), {
      kind: 'grant',
      attributes: ['OnlineStatus', 'Alias'],
    });
    const asked = applyPresenceAuthUser(p, { userId: 'wv:jane@domain2.lab', acceptance: true }, [
      'StatusText',
    ]);
    assert.deepEqual(asked.value.userGrants, [{ userId: 'wv:jane@domain2.lab', attributes: ['StatusText'] }]);
    assert.deepEqual(asked.value.denied, []);
  });

  it('W6: Acceptance F denies; W7: CancelAuth revokes and does not ask again', () => {
    const p = { ...emptyPolicy(), reactive: true };
    const denied = applyPresenceAuthUser(p, { userId: 'wv:jane@domain2.lab', acceptance: false }, []);
    assert.equal(denied.row, 'W6');
    assert.deepEqual(resolveImpsDecision(denied.value, 'wv:jane@domain2.lab'), { kind: 'block' });
    const granted = applyPresenceAuthUser(p, { userId: 'wv:jane@domain2.lab', acceptance: true }, [
      'OnlineStatus',
    ]).value;
    const cancelled = applyCancelAuth(granted, 'WV:Jane@domain2.lab');
    assert.equal(cancelled.row, 'W7');
    assert.deepEqual(resolveImpsDecision(cancelled.value, 'wv:jane@domain2.lab'), { kind: 'block' });
    assert.deepEqual(resolveImpsDecision(cancelled.value, 'wv:bob@domain2.lab'), { kind: 'reactive' });
  });

  it('W8: an IMPS watcher asking a SIMPLE publisher becomes a pending watcherinfo entry', () => {
    const r = authRequestToWatcher('wv:harry@domain1.lab');
    assert.equal(r.row, 'W8');
    assert.deepEqual(r.value, {
      id: 'wv-sip-harry-domain1-lab',
      uri: 'sip:harry@domain1.lab',
      status: 'pending',
      event: 'subscribe',
    });
    assert.equal(authRequestToWatcher('wv:nodomain').value, undefined);
  });

  it('every row id used here exists', () => {
    const ids = new Set(REACTIVE_ROWS.map((r) => r.id));
    for (const id of ['W1', 'W2', 'W3', 'W4', 'W5', 'W6', 'W7', 'W8']) assert.ok(ids.has(id));
    assert.equal(ids.size, REACTIVE_ROWS.length);
  });
});
