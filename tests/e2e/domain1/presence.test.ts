// Domain1 e2e: presence subscribe/notify with attribute subsets and change-only notifications,
// proactive authorization (attribute lists), reactive authorization in CSP 1.2 and 1.3, network-
// provided presence (OnlineStatus, PLMN when roaming), GetWatcherList, block lists.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { PresenceEvent } from '../../../domains/imps/client/imps-client.ts';
import { resultOf } from '../../../domains/imps/client/imps-client.ts';
import { collect, next, ps1PerTest, settle } from './harness.ts';

const HARRY = 'wv:harry@domain1.lab';
const SALLY = 'wv:sally@domain1.lab';

describe('PS1 presence', () => {
  const lab = ps1PerTest();
  const { login } = lab;

  it('notifies only subscribed, authorized attributes, and only the changed ones', async () => {
    const sally = await login('sally');
    await sally.createAttributeList({
      attributes: ['OnlineStatus', 'StatusText', 'UserAvailability'],
      users: [HARRY],
    });
    await sally.updatePresence({
      userAvailability: { qualifier: true, presenceValue: 'AVAILABLE' },
      statusText: { qualifier: true, presenceValue: 'at lunch' },
      alias: { qualifier: true, presenceValue: 'Sal' },
    });
    const harry = await login('harry');
    const seen = collect<PresenceEvent>(harry, 'presence');
    const first = next<PresenceEvent>(harry, 'presence');
    const r = await harry.subscribe({
      users: [SALLY],
      attributes: ['StatusText', 'UserAvailability', 'Alias'],
    });
    assert.equal(resultOf(r).code, 200);
    const initial = await first;
    assert.equal(initial.userId, SALLY);
    // Alias was subscribed but not authorized; OnlineStatus authorized but not subscribed.
    assert.deepEqual(Object.keys(initial.presenceSubList).sort(), ['statusText', 'userAvailability']);
    assert.equal(initial.presenceSubList.statusText?.presenceValue, 'at lunch');

    const change = next<PresenceEvent>(harry, 'presence');
    await sally.updatePresence({
      statusText: { qualifier: true, presenceValue: 'back' },
      alias: { qualifier: true, presenceValue: 'S' },
    });
    const changed = await change;
    assert.deepEqual(
      Object.keys(changed.presenceSubList),
      ['statusText'],
      'only the changed, authorized attribute',
    );
    // Re-publishing the same value is no change: nothing is sent.
    await sally.updatePresence({ statusText: { qualifier: true, presenceValue: 'back' } });
    await settle(200);
    assert.equal(seen.length, 2);
  });

  it('the default attribute list authorizes everyone; a user grant overrides it', async () => {
    const sally = await login('sally');
    await sally.createAttributeList({ attributes: ['OnlineStatus'], defaultList: true });
    const harry = await login('harry');
    const first = next<PresenceEvent>(harry, 'presence');
    await harry.subscribe({ users: [SALLY] });
    assert.deepEqual(Object.keys((await first).presenceSubList), ['onlineStatus']);
    assert.equal(
      (await first).presenceSubList.onlineStatus?.presenceValue,
      'T',
      'network-provided OnlineStatus',
    );
    const more = next<PresenceEvent>(harry, 'presence');
    await sally.createAttributeList({ attributes: ['OnlineStatus', 'StatusText'], users: [HARRY] });
    await sally.updatePresence({ statusText: { qualifier: true, presenceValue: 'hello' } });
    assert.equal((await more).presenceSubList.statusText?.presenceValue, 'hello');
    const got = await sally.getAttributeList({ users: [HARRY], defaultList: true });
    assert.equal(got.body.presences?.[0]?.userId, HARRY);
    assert.ok(got.body.defaultAttributeList?.presenceSubLists?.[0]?.onlineStatus);
    const watchers = await sally.getWatcherList();
    assert.deepEqual(
      watchers.body.watchers?.map((w) => w.user?.userId),
      [HARRY],
    );
  });

  it('OnlineStatus follows the session; logout notifies watchers', async () => {
    const sally = await login('sally');
    await sally.createAttributeList({ attributes: ['OnlineStatus', 'PLMN'], defaultList: true });
    const harry = await login('harry');
    const first = next<PresenceEvent>(harry, 'presence');
    await harry.subscribe({ users: [SALLY] });
    assert.equal((await first).presenceSubList.plmn?.presenceValue, 'MNO1');
    const offline = next<PresenceEvent>(harry, 'presence');
    await sally.logout();
    assert.equal((await offline).presenceSubList.onlineStatus?.presenceValue, 'F');
  });

  it('a client coming through the visited network relay is roaming: PLMN is the visited one', async () => {
    const sally = await login('sally', { localAddress: '127.0.4.1' });
    await sally.createAttributeList({ attributes: ['PLMN'], defaultList: true });
    const harry = await login('harry');
    const first = next<PresenceEvent>(harry, 'presence');
    await harry.subscribe({ users: [SALLY] });
    assert.equal((await first).presenceSubList.plmn?.presenceValue, 'MNO-Visited');
    assert.equal(lab.server.core.sessions.ofUser(SALLY)[0]?.roaming, true);
  });

  it('reactive authorization in CSP 1.2: PresenceAuth-Request, PresenceAuth-User, GetReactiveAuthStatus, CancelAuth', async () => {
    const sally = await login('sally');
    await sally.updatePresence({ statusText: { qualifier: true, presenceValue: 'secret' } });
    const harry = await login('harry');
    const seen = collect<PresenceEvent>(harry, 'presence');
    const asked = next<{ watcher: string }>(sally, 'authRequest');
    await harry.subscribe({ users: [SALLY], attributes: ['StatusText', 'OnlineStatus'] });
    assert.equal((await asked).watcher, HARRY);
    await settle(100);
    assert.equal(seen.length, 0, 'nothing before the decision');
    const pending = await sally.getReactiveAuthStatus([HARRY]);
    assert.equal(pending.body.reactiveAuthStatusList?.statuses?.[0]?.reactiveAuthState, 'PENDING');
    assert.equal(resultOf(await harry.getPresence([SALLY])).code, 521, 'unresponded presence request');
    const granted = next<PresenceEvent>(harry, 'presence');
    await sally.authorize(HARRY, true, ['StatusText']);
    const g = await granted;
    assert.deepEqual(Object.keys(g.presenceSubList), ['statusText']);
    const st = await sally.getReactiveAuthStatus();
    assert.equal(st.body.reactiveAuthStatusList?.statuses?.[0]?.reactiveAuthState, 'GRANTED');
    assert.equal(resultOf(await sally.cancelAuth(HARRY)).code, 200);
    await sally.updatePresence({ statusText: { qualifier: true, presenceValue: 'after cancel' } });
    await settle(200);
    assert.equal(seen.length, 1, 'no notification after CancelAuth');
    assert.equal(resultOf(await sally.cancelAuth('wv:tom@domain1.lab')).code, 521);
  });

  it('reactive authorization asked at login when the publisher was offline; a refusal sends nothing', async () => {
    const harry = await login('harry');
    const seen = collect<PresenceEvent>(harry, 'presence');
    await harry.subscribe({ users: [SALLY] });
    const sally = lab.client('sally');
    const asked = next<{ watcher: string }>(sally, 'authRequest');
    await sally.login();
    assert.equal((await asked).watcher, HARRY);
    await sally.authorize(HARRY, false);
    await sally.updatePresence({ statusText: { qualifier: true, presenceValue: 'x' } });
    await settle(200);
    assert.equal(seen.length, 0);
  });

  it('reactive authorization in CSP 1.3: Notification-Request ANU answered by CreateAttributeList; AC to a 1.3 watcher', async () => {
    const sally = await login('sally', { version: '1.3' });
    await sally.updatePresence({ userAvailability: { qualifier: true, presenceValue: 'DISCREET' } });
    const harry = await login('harry', { version: '1.3' });
    const anu = next<{ type: string; userId?: string }>(sally, 'notification', (n) => n.type === 'ANU');
    await harry.subscribe({ users: [SALLY], attributes: ['UserAvailability'] });
    assert.equal((await anu).userId, HARRY);
    const granted = next<PresenceEvent>(harry, 'presence');
    const ac = next<{ type: string }>(harry, 'notification', (n) => n.type === 'AC');
    await sally.authorize(HARRY, true, ['UserAvailability']);
    assert.equal((await granted).presenceSubList.userAvailability?.presenceValue, 'DISCREET');
    await ac;
  });

  it('CSP 1.3 ListManage AuthorizeAndGrant grants the added members', async () => {
    const sally = await login('sally', { version: '1.3' });
    await sally.createList('wv:sally/friends@domain1.lab');
    const harry = await login('harry', { version: '1.3' });
    const anu = next<{ type: string }>(sally, 'notification', (n) => n.type === 'ANU');
    await harry.subscribe({ users: [SALLY], attributes: ['OnlineStatus'] });
    await anu;
    const granted = next<PresenceEvent>(harry, 'presence');
    await sally.listManage('wv:sally/friends@domain1.lab', {
      add: [{ userId: HARRY, name: 'H' }],
      authorizeAndGrant: true,
    });
    assert.equal((await granted).presenceSubList.onlineStatus?.presenceValue, 'T');
  });

  it('a blocked watcher gets nothing even with a default grant', async () => {
    const sally = await login('sally');
    await sally.createAttributeList({ attributes: ['OnlineStatus'], defaultList: true });
    await sally.blockEntity({ block: [HARRY], blockInUse: true });
    const blocked = await sally.getBlockedList();
    assert.deepEqual(blocked.body.blockList?.entityList?.userIds, [HARRY]);
    const harry = await login('harry');
    const seen = collect<PresenceEvent>(harry, 'presence');
    await harry.subscribe({ users: [SALLY] });
    const get = await harry.getPresence([SALLY]);
    assert.deepEqual(get.body.presences?.[0]?.presenceSubLists, [{}]);
    await settle(150);
    assert.equal(seen.length, 0);
  });

  it('a grant list in use admits only its entities (presence and IM)', async () => {
    const sally = await login('sally');
    await sally.createAttributeList({ attributes: ['OnlineStatus'], defaultList: true });
    await sally.blockEntity({ grant: ['wv:tom@domain1.lab'], grantInUse: true });
    const granted = await sally.getBlockedList();
    assert.equal(granted.body.grantList?.inUse, true);
    assert.deepEqual(granted.body.grantList?.entityList?.userIds, ['wv:tom@domain1.lab']);
    const harry = await login('harry');
    assert.equal(resultOf(await harry.sendMessage([SALLY], 'x')).code, 532);
    assert.deepEqual((await harry.getPresence([SALLY])).body.presences?.[0]?.presenceSubLists, [{}]);
    const tom = await login('tom');
    assert.equal(resultOf(await tom.sendMessage([SALLY], 'x')).code, 200);
    assert.equal(
      (await tom.getPresence([SALLY])).body.presences?.[0]?.presenceSubLists?.[0]?.onlineStatus
        ?.presenceValue,
      'T',
    );
  });

  it('subscribing to unknown users and unrouted domains: 201 with 531 and 516 details', async () => {
    const sally = await login('sally');
    await sally.createAttributeList({ attributes: ['OnlineStatus'], defaultList: true });
    const harry = await login('harry');
    const r = await harry.subscribe({ users: [SALLY, 'wv:nobody@domain1.lab', 'wv:x@elsewhere.lab'] });
    const res = resultOf(r);
    assert.equal(res.code, 201);
    const codes = (res.detailedResults ?? []).map((d) => [d.code, d.userIds?.[0]]);
    assert.deepEqual(codes, [
      [531, 'wv:nobody@domain1.lab'],
      [516, 'wv:x@elsewhere.lab'],
    ]);
  });
});
