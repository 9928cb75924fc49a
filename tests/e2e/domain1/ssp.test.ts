// Domain1 e2e over SSP: two PS1 instances (domain1.lab and a test domain, domain9.lab) joined by
// the static routing table: mutual shared-secret login, subscribe/notify, GetPresence, IM both
// ways with delivery reports; a wrong secret and an unknown domain are refused.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { PresenceEvent } from '../../../domains/imps/client/imps-client.ts';
import { ImpsClient, resultOf } from '../../../domains/imps/client/imps-client.ts';
import type { Result } from '../../../domains/imps/csp/model/common-structs.ts';
import { type Ps1, startPs1 } from '../../../domains/imps/server/ps1.ts';
import { SspEndpoint } from '../../../domains/imps/ssp/ssp-endpoint.ts';
import { client, next, ps1 } from './harness.ts';

const HARRY = 'wv:harry@domain1.lab';
const ZOE = 'wv:zoe@domain9.lab';

/** Reserves a free port on an address (the peers must know each other's URL before starting). */
function freePort(address: string): Promise<number> {
  return new Promise((resolve) => {
    const s = http.createServer();
    s.listen(0, address, () => {
      const a = s.address() as { port: number };
      s.close(() => resolve(a.port));
    });
  });
}

describe('SSP between two PS1 instances', () => {
  let d1: Ps1;
  let d9: Ps1;
  let harry: ImpsClient;
  let zoe: ImpsClient;
  before(async () => {
    const [p1, p9] = await Promise.all([freePort('127.0.1.1'), freePort('127.0.1.9')]);
    d1 = await ps1({
      port: p1,
      routes: { 'domain9.lab': { url: `http://127.0.1.9:${p9}/ssp`, secret: 's3cret' } },
    });
    d9 = await startPs1({
      domain: 'domain9.lab',
      address: '127.0.1.9',
      port: p9,
      cirTcpPort: 0,
      users: [{ userId: ZOE, password: 'zoe-pw' }],
      routes: { 'domain1.lab': { url: `http://127.0.1.1:${p1}/ssp`, secret: 's3cret' } },
      node: 'ps9',
    });
    harry = client(d1, 'harry');
    zoe = new ImpsClient({
      serverUrl: d9.url,
      userId: ZOE,
      password: 'zoe-pw',
      localAddress: '127.0.1.90',
      cir: 'STCP',
      node: 'zoe',
    });
    assert.equal((await harry.login()).code, 200);
    assert.equal((await zoe.login()).code, 200);
  });
  after(async () => {
    harry.close();
    zoe.close();
    await d1.stop();
    await d9.stop();
  });

  it('subscribe to a remote user: SubscribeRequest, reactive auth at the remote PS1, PresenceNotification back', async () => {
    const asked = next<{ watcher: string }>(zoe, 'authRequest');
    const r = await harry.subscribe({ users: [ZOE], attributes: ['StatusText', 'OnlineStatus'] });
    assert.equal(resultOf(r).code, 200);
    assert.equal((await asked).watcher, HARRY, 'the remote watcher is asked about like a local one');
    const first = next<PresenceEvent>(harry, 'presence', (p) => p.userId === ZOE);
    await zoe.authorize(HARRY, true, ['StatusText', 'OnlineStatus']);
    const p = await first;
    assert.equal(p.presenceSubList.onlineStatus?.presenceValue, 'T');
    const change = next<PresenceEvent>(harry, 'presence', (x) => x.userId === ZOE);
    await zoe.updatePresence({
      statusText: { qualifier: true, presenceValue: 'over SSP' },
      alias: { qualifier: true, presenceValue: 'Z' },
    });
    const c = await change;
    assert.deepEqual(Object.keys(c.presenceSubList), ['statusText'], 'changed and authorized only');
    assert.deepEqual(d9.core.presence.watchersOf(ZOE), [HARRY]);
  });

  it('GetPresence of a remote user goes over SSP', async () => {
    const r = await harry.getPresence([ZOE], ['StatusText']);
    assert.equal(resultOf(r).code, 200);
    assert.equal(r.body.presences?.[0]?.userId, ZOE);
    assert.equal(r.body.presences?.[0]?.presenceSubLists?.[0]?.statusText?.presenceValue, 'over SSP');
  });

  it('IM both ways with delivery reports over DeliveryStatusReport', async () => {
    const got = next<{ content: string; info: { sender?: { user?: { userId?: string } } } }>(zoe, 'message');
    const report = next<{ result: Result }>(harry, 'deliveryReport');
    const r = await harry.sendMessage([ZOE], 'hello from domain1 ✓', { deliveryReport: true });
    assert.equal(resultOf(r).code, 200);
    const m = await got;
    assert.equal(m.content, 'hello from domain1 ✓');
    assert.equal(m.info.sender?.user?.userId, HARRY);
    assert.equal((await report).result.code, 200);
    const back = next<{ content: string }>(harry, 'message');
    assert.equal(resultOf(await zoe.sendMessage([HARRY], 'and back')).code, 200);
    assert.equal((await back).content, 'and back');
    assert.equal(resultOf(await harry.sendMessage(['wv:nobody@domain9.lab'], 'x')).code, 531);
  });

  it('a remote watcher is asked about; a refusal reaches it as an empty PresenceSubList', async () => {
    const asked = next<{ watcher: string }>(harry, 'authRequest', (a) => a.watcher === ZOE);
    assert.equal(resultOf(await zoe.subscribe({ users: [HARRY] })).code, 200);
    await asked;
    const empty = next<PresenceEvent>(zoe, 'presence', (p) => p.userId === HARRY);
    await harry.authorize(ZOE, false);
    assert.deepEqual((await empty).presenceSubList, {});
    assert.deepEqual(d1.core.presence.watchersOf(HARRY), [ZOE]);
  });

  it('unsubscribe removes the remote watcher', async () => {
    assert.equal(resultOf(await harry.unsubscribe({ users: [ZOE] })).code, 200);
    assert.deepEqual(d9.core.presence.watchersOf(ZOE), []);
  });

  it('a peer with the wrong shared secret cannot log in; a domain outside the table is refused', async () => {
    const intruder = new SspEndpoint({
      domain: 'domain1.lab',
      peers: { 'domain9.lab': { url: d9.sspUrl, secret: 'wrong' } },
      timeoutMs: 1500,
    });
    const listening = await intruder.listen('127.0.1.2', 0);
    assert.ok(listening.port > 0);
    await assert.rejects(
      intruder.request('domain9.lab', {
        kind: 'UnsubscribeRequest',
        meta: { serviceId: 'wv:@domain1.lab' },
        userIds: [ZOE],
      }),
    );
    await intruder.close();
    const stranger = new SspEndpoint({
      domain: 'evil.lab',
      peers: { 'domain9.lab': { url: d9.sspUrl, secret: 's3cret' } },
      timeoutMs: 1500,
    });
    await assert.rejects(
      stranger.request('domain9.lab', {
        kind: 'UnsubscribeRequest',
        meta: { serviceId: 'wv:@evil.lab' },
        userIds: [ZOE],
      }),
      /403|setup/,
    );
    await stranger.close();
  });
});
