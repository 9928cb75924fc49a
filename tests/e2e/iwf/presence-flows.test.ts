// Presence through the IWF in both directions against stand-in peers on loopback: the
// subscription-state mapping (pending holds, active passes, rejected / withdrawn become PS1's
// empty PresenceSubList, deactivated re-subscribes), attribute subsets as RFC 4661 filters, and
// the reverse direction (Jane's SUBSCRIBE → SSP; PS1's notifications → NOTIFY; refusal → rejected;
// unsubscribe → SSP UnsubscribeRequest). Each emitted message names its rows on lab:iwf:map.
import assert from 'node:assert/strict';
import diagnostics_channel from 'node:diagnostics_channel';
import { after, before, describe, it } from 'node:test';
import { type MappingTraceEvent, traceChannels } from '../../../common/trace.ts';
import type { PresenceSubList } from '../../../domains/imps/csp/model/presence-attributes.ts';
import { serializeFilterSet } from '../../../domains/simple/payloads/simple-filter.ts';
import { type NotifyInfo, StaticRouter, Subscriber } from '../../../domains/simple/sip/core/index.ts';
import { attributesToFilter } from '../../../interworking/mapping/subscription/attribute-filter.ts';
import { IwfLab } from '../support/iwf-lab.ts';
import { pidf, until } from './peers.ts';

const lab = new IwfLab('127.0.99');
const { ps1, ps2 } = lab;
const HARRY = 'wv:harry@domain1.lab';
const jane = lab.agent({
  node: 'jane',
  address: '127.0.99.4',
  router: new StaticRouter({ 'domain1.lab': { address: lab.iwfAddress, port: 5060 } }),
});
const mapped: MappingTraceEvent[] = [];
const onMap = (e: unknown) => mapped.push(e as MappingTraceEvent);

before(async () => {
  diagnostics_channel.subscribe(traceChannels.iwfMap.name, onMap);
  await lab.start();
});

after(async () => {
  diagnostics_channel.unsubscribe(traceChannels.iwfMap.name, onMap);
  await lab.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function subscribeAtIwf(watcher: string, attributes?: string[]) {
  return ps1.subscribe(watcher, ['wv:jane@domain2.lab'], attributes);
}

const notificationsFor = (watcher: string) => ps1.notifications.filter((n) => n.recipients.includes(watcher));

describe('Harry (IMPS) watches Jane (SIMPLE)', { concurrency: 1 }, () => {
  it('pending holds everything back; active passes the mapped state to PS1', async () => {
    ps2.initialState = 'pending';
    const r = await subscribeAtIwf('wv:harry@domain1.lab');
    assert.ok(r.kind === 'Status' && r.status.code === 200);
    await sleep(300);
    assert.equal(notificationsFor('wv:harry@domain1.lab').length, 0, 'nothing while pending');
    const sub = ps2.subscriptions.at(-1)!;
    await sub.notify({ state: 'active', body: pidf('approved'), contentType: 'application/pidf+xml' });
    const n = await until('the PresenceNotification', () => notificationsFor('wv:harry@domain1.lab')[0]);
    assert.equal(n.presences[0]?.userId, 'wv:jane@domain2.lab');
    assert.equal(n.presences[0]?.presenceSubList.statusText?.presenceValue, 'approved');
    assert.equal(n.presences[0]?.presenceSubList.onlineStatus?.presenceValue, 'T');
    assert.ok(mapped.some((e) => e.to === 'SSP PresenceNotification' && e.rows.includes('SS2')));
  });

  it('later NOTIFYs pass only what changed, and nothing when nothing mapped changed (O4/O5)', async () => {
    const sub = ps2.subscriptions.at(-1)!;
    await sub.notify({ body: pidf('approved'), contentType: 'application/pidf+xml' });
    await sleep(300);
    assert.equal(notificationsFor('wv:harry@domain1.lab').length, 1, 'an unchanged state is not passed on');
    assert.ok(mapped.some((e) => e.to === '(unchanged)' && e.rows.includes('O5')));
    await sub.notify({ body: pidf('changed'), contentType: 'application/pidf+xml' });
    const n = await until('the change', () => notificationsFor('wv:harry@domain1.lab')[1]);
    const delta = n.presences[0]!.presenceSubList;
    assert.deepEqual(delta.statusText, { qualifier: true, presenceValue: 'changed' });
    // The tuple note also rides in the IM CommCap (row D12); OnlineStatus did not change.
    assert.deepEqual(Object.keys(delta).sort(), ['commCap', 'statusText']);
  });

  it('deactivated: the IWF re-subscribes; pending again means PS1 learns nothing is authorized', async () => {
    const before = ps2.subscriptions.length;
    await ps2.subscriptions.at(-1)!.terminate('deactivated');
    await until('a new SUBSCRIBE', () => ps2.subscriptions.length > before);
    const n = await until('the empty PresenceNotification', () =>
      notificationsFor('wv:harry@domain1.lab').find(
        (x) => Object.keys(x.presences[0]?.presenceSubList ?? {}).length === 0,
      ),
    );
    assert.deepEqual(n.presences[0]?.presenceSubList, {});
  });

  it('rejected: the subscription ends and PS1 gets an empty PresenceSubList', async () => {
    ps2.initialState = 'active';
    const r = await subscribeAtIwf('wv:sally@domain1.lab');
    assert.ok(r.kind === 'Status' && r.status.code === 200);
    await until('Sally’s first notification', () => notificationsFor('wv:sally@domain1.lab')[0]);
    await ps2.subscriptions.at(-1)!.terminate('rejected');
    const n = await until('the refusal', () => notificationsFor('wv:sally@domain1.lab')[1]);
    assert.deepEqual(n.presences[0]?.presenceSubList, {});
    assert.ok(mapped.some((e) => e.rows.includes('SS6')));
  });

  it('an attribute subset becomes an RFC 4661 filter, and only those attributes reach PS1', async () => {
    const r = await subscribeAtIwf('wv:tom@domain1.lab', ['StatusText']);
    assert.ok(r.kind === 'Status' && r.status.code === 200);
    const req = ps2.subscribes.at(-1)!.request;
    assert.match(req.contentType ?? '', /application\/simple-filter\+xml/);
    assert.match(req.body.toString(), /<filter/);
    const n = await until('Tom’s notification', () => notificationsFor('wv:tom@domain1.lab')[0]);
    assert.deepEqual(Object.keys(n.presences[0]!.presenceSubList), ['statusText']);
  });

  it('GetPresence answers from the live subscription', async () => {
    const r = await ps1.send('wv:tom@domain1.lab', {
      kind: 'GetPresenceRequest',
      userIds: ['wv:jane@domain2.lab'],
    });
    assert.ok(r.kind === 'GetPresenceResponse', JSON.stringify(r));
    assert.equal(r.status.code, 200);
    assert.equal(r.presences[0]?.presenceSubList.statusText?.presenceValue, 'before');
  });

  it('UnsubscribeRequest becomes SUBSCRIBE Expires: 0 and ends the SIP subscription', async () => {
    const sub = ps2.subscriptions.at(-1)!;
    const r = await ps1.send('wv:tom@domain1.lab', {
      kind: 'UnsubscribeRequest',
      userIds: ['wv:jane@domain2.lab'],
    });
    assert.ok(r.kind === 'Status' && r.status.code === 200);
    await until('the subscription to end at PS2', () => sub.state === 'terminated');
  });
});

describe('Jane (SIMPLE) watches Harry (IMPS)', { concurrency: 1 }, () => {
  const notifies: NotifyInfo[] = [];
  const sub = new Subscriber(jane, {
    target: 'sip:harry@domain1.lab',
    from: 'sip:jane@domain2.lab',
    event: 'presence',
    expires: 600,
  });
  sub.on('notify', (n) => notifies.push(n));

  it('SUBSCRIBE → SSP SubscribeRequest; pending until PS1 notifies', async () => {
    const r = await sub.subscribe();
    assert.equal(r.status, 200);
    const s = await until('the SubscribeRequest at PS1', () => ps1.subscribes.at(-1));
    assert.equal(s.meta.userId, 'wv:jane@domain2.lab');
    assert.deepEqual(s.userIds, ['wv:harry@domain1.lab']);
    await until('the first NOTIFY', () => notifies[0]);
    assert.equal(notifies[0]!.state.state, 'pending');
  });

  it('PS1’s PresenceNotification → NOTIFY active with PIDF; a change is merged into the full state', async () => {
    const send = (presenceSubList: PresenceSubList) => ps1.notifyPresence(HARRY, presenceSubList);
    await send({
      onlineStatus: { qualifier: true, presenceValue: 'T' },
      statusText: { qualifier: true, presenceValue: 'at the lab' },
    });
    const active = await until('the active NOTIFY', () => notifies.find((n) => n.state.state === 'active'));
    assert.match(active.body.toString(), /<basic>open<\/basic>/);
    assert.match(active.body.toString(), /at the lab/);
    await send({ statusText: { qualifier: true, presenceValue: 'in a meeting' } });
    const changed = await until('the change', () =>
      notifies.find((n) => /in a meeting/.test(n.body.toString())),
    );
    assert.match(changed.body.toString(), /<basic>open<\/basic>/, 'the earlier attributes are kept');
  });

  it('Jane unsubscribes → SSP UnsubscribeRequest at PS1', async () => {
    await sub.unsubscribe();
    const u = await until('the UnsubscribeRequest', () => ps1.unsubscribes.at(-1));
    assert.equal(u.meta.userId, 'wv:jane@domain2.lab');
    assert.equal(lab.iwf.core.counts.sipWatches, 0);
  });

  it('a SUBSCRIBE with an RFC 4661 filter asks PS1 for those attributes only', async () => {
    const filter = attributesToFilter(['StatusText']).value!;
    const filtered = new Subscriber(jane, {
      target: 'sip:harry@domain1.lab',
      from: 'sip:jane@domain2.lab',
      event: 'presence',
      expires: 600,
      body: serializeFilterSet(filter),
      contentType: 'application/simple-filter+xml',
    });
    const count = ps1.subscribes.length;
    assert.equal((await filtered.subscribe()).status, 200);
    const s = await until('the filtered SubscribeRequest', () => ps1.subscribes[count]);
    assert.deepEqual(s.attributes, ['StatusText']);
    await filtered.unsubscribe();
    const bad = new Subscriber(jane, {
      target: 'sip:harry@domain1.lab',
      from: 'sip:jane@domain2.lab',
      event: 'presence',
      body: '<filter-set',
      contentType: 'application/simple-filter+xml',
    });
    assert.equal((await bad.subscribe()).status, 400, 'a malformed filter is refused');
  });

  it('an empty PresenceSubList (PS1 refused) ends Jane’s subscription with reason=rejected', async () => {
    const other = new Subscriber(jane, {
      target: 'sip:harry@domain1.lab',
      from: 'sip:jane@domain2.lab',
      event: 'presence',
      expires: 600,
    });
    const ended = new Promise<string>((resolve) => other.on('terminated', (t) => resolve(t.reason)));
    const count = ps1.subscribes.length;
    assert.equal((await other.subscribe()).status, 200);
    await until('the SubscribeRequest', () => ps1.subscribes[count]);
    await sleep(100);
    await ps1.notifyPresence(HARRY, {});
    assert.equal(await ended, 'rejected');
  });
});
