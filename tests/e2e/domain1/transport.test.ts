// Domain1 e2e: polling and the Poll flag, CIR over STCP, SUDP and SHTTP, resending unanswered
// server transactions, KeepAlive/TimeToLive expiry on a ManualClock, XML and WBXML clients (and
// CSP 1.1 / 1.3) side by side, bad input answered with CSP Status or HTTP 4xx.
import assert from 'node:assert/strict';
import diagnostics_channel from 'node:diagnostics_channel';
import http from 'node:http';
import { describe, it } from 'node:test';
import { ManualClock } from '../../../common/manual-clock.ts';
import type { WireTraceEvent } from '../../../common/trace.ts';
import type { PresenceEvent } from '../../../domains/imps/client/imps-client.ts';
import { resultOf } from '../../../domains/imps/client/imps-client.ts';
import { decodeCsp } from '../../../domains/imps/csp/csp-codec.ts';
import { primitive } from '../../../domains/imps/csp/model/primitives.ts';
import { collect, next, ps1PerTest, settle } from './harness.ts';

const HARRY = 'wv:harry@domain1.lab';
const SALLY = 'wv:sally@domain1.lab';

function post(url: string, body: Buffer | string, contentType: string, method = 'POST') {
  return new Promise<{ status: number; type: string; body: Buffer }>((resolve, reject) => {
    const u = new URL(url);
    const req = http.request({
      host: u.hostname,
      port: u.port,
      path: '/',
      method,
      headers: { 'content-type': contentType },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          type: res.headers['content-type'] ?? '',
          body: Buffer.concat(chunks),
        }),
      );
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('PS1 transport, CIR and bad input', () => {
  let clock: ManualClock;
  const lab = ps1PerTest(() => {
    clock = new ManualClock();
    return { clock, resendAfterMs: 5000 };
  });
  const { login } = lab;
  const grantAll = async () => {
    const sally = await login('sally');
    await sally.createAttributeList({ attributes: ['OnlineStatus', 'StatusText'], defaultList: true });
    return sally;
  };

  for (const cir of ['STCP', 'SUDP', 'SHTTP'] as const) {
    it(`CIR over ${cir} wakes the client, which polls and gets the notification`, async () => {
      const sally = await grantAll();
      const clientClock = new ManualClock();
      const harry = await login('harry', { cir, shttpIntervalMs: 50, clock: clientClock });
      assert.deepEqual(harry.agreedCirMethods, [cir]);
      const woke = next(harry, 'cir');
      const first = next<PresenceEvent>(harry, 'presence');
      await harry.subscribe({ users: [SALLY], attributes: ['StatusText'] });
      await sally.updatePresence({ statusText: { qualifier: true, presenceValue: `via ${cir}` } });
      // The SHTTP GET runs on the client's own clock: step it.
      if (cir === 'SHTTP') clientClock.advance(50);
      await woke;
      assert.equal((await first).presenceSubList.statusText?.presenceValue, `via ${cir}`);
    });
  }

  it('STCP: PING is answered OK; a dropped channel makes the client fall back to polling', async () => {
    const sally = await grantAll();
    const clientClock = new ManualClock();
    const harry = await login('harry', {
      cir: 'STCP',
      clock: clientClock,
      cirPingIntervalMs: 1000,
      pollIntervalMs: 5000,
    });
    const pong = new Promise<void>((resolve) => {
      const on = (e: unknown) => {
        const w = e as WireTraceEvent;
        if (
          w.node === 'harry' &&
          w.protocol === 'cir' &&
          w.direction === 'rx' &&
          w.bytes.toString().trim() === 'OK'
        ) {
          diagnostics_channel.channel('lab:wire').unsubscribe(on);
          resolve();
        }
      };
      diagnostics_channel.channel('lab:wire').subscribe(on);
    });
    clientClock.advance(1000);
    await pong;
    await harry.subscribe({ users: [SALLY], attributes: ['StatusText'] });
    const down = next(harry, 'cirDown');
    lab.server.core.cir!.detach(lab.server.core.sessions.ofUser(HARRY)[0]!);
    await down;
    const got = next<PresenceEvent>(
      harry,
      'presence',
      (p) => p.presenceSubList.statusText?.presenceValue === 'polled',
    );
    await sally.updatePresence({ statusText: { qualifier: true, presenceValue: 'polled' } });
    clientClock.advance(5000);
    await got;
  });

  it('without CIR the client polls; Poll=T while more is queued (MultiTrans 1)', async () => {
    const sally = await grantAll();
    const harry = await login('harry', { cir: 'none', pollIntervalMs: 1_000_000 });
    const seen = collect<PresenceEvent>(harry, 'presence');
    await harry.subscribe({ users: [SALLY], attributes: ['StatusText'] });
    for (const t of ['a', 'b', 'c'])
      await sally.updatePresence({ statusText: { qualifier: true, presenceValue: t } });
    const session = lab.server.core.sessions.ofUser(HARRY)[0]!;
    assert.equal(session.queue.length, 3);
    await harry.poll();
    await settle(100);
    assert.deepEqual(
      seen.map((p) => p.presenceSubList.statusText?.presenceValue),
      ['a', 'b', 'c'],
    );
    assert.equal(session.queue.length, 0, 'every transaction was answered and retired');
  });

  it('an unanswered server transaction is sent again after resendAfterMs', async () => {
    const sally = await grantAll();
    const harry = await login('harry', { cir: 'none', pollIntervalMs: 1_000_000 });
    await harry.subscribe({ users: [SALLY], attributes: ['StatusText'] });
    await sally.updatePresence({ statusText: { qualifier: true, presenceValue: 'once' } });
    const session = lab.server.core.sessions.ofUser(HARRY)[0]!;
    const taken = session.takeForPoll(clock.now(), 5000);
    assert.equal(taken.length, 1, 'sent but never answered (the answer got lost)');
    assert.equal(session.takeForPoll(clock.now(), 5000).length, 0, 'not again before resendAfterMs');
    clock.advance(5000);
    const again = next<PresenceEvent>(harry, 'presence');
    await harry.poll();
    assert.equal((await again).presenceSubList.statusText?.presenceValue, 'once');
    await settle(50);
    assert.equal(session.queue.length, 0);
  });

  it('KeepAliveTime expiry on the clock ends the session: 600, OnlineStatus F for watchers', async () => {
    const sally = await grantAll();
    const harry = await login('harry', { timeToLive: 60, clock: new ManualClock() });
    const watched = next<PresenceEvent>(
      sally,
      'presence',
      (p) => p.presenceSubList.onlineStatus?.presenceValue === 'F',
    );
    await sally.createAttributeList({ attributes: ['OnlineStatus'], defaultList: true });
    await harry.createAttributeList({ attributes: ['OnlineStatus'], defaultList: true });
    await sally.subscribe({ users: [HARRY] });
    clock.advance(30_000);
    assert.equal(
      resultOf(await harry.request(primitive('KeepAlive-Request', {}))).code,
      200,
      'refreshes the deadline',
    );
    clock.advance(59_000);
    assert.equal(lab.server.core.sessions.ofUser(HARRY).length, 1);
    clock.advance(2_000);
    assert.equal(lab.server.core.sessions.ofUser(HARRY).length, 0);
    await watched;
    const r = await harry.request(primitive('GetList-Request', {}));
    assert.equal(resultOf(r).code, 600);
  });

  it('XML and WBXML clients, CSP 1.1 / 1.2 / 1.3, side by side', async () => {
    const sally = await login('sally', { encoding: 'wbxml' });
    await sally.createAttributeList({ attributes: ['StatusText'], defaultList: true });
    const watchers = await Promise.all([
      login('harry', { version: '1.1', encoding: 'xml' }),
      login('tom', { version: '1.3', encoding: 'wbxml' }),
    ]);
    const events = watchers.map((w) =>
      next<PresenceEvent>(w, 'presence', (p) => p.presenceSubList.statusText?.presenceValue === 'wbxml!'),
    );
    for (const w of watchers) assert.equal(resultOf(await w.subscribe({ users: [SALLY] })).code, 200);
    await sally.updatePresence({ statusText: { qualifier: true, presenceValue: 'wbxml!' } });
    await Promise.all(events);
    const got = next<{ content: string }>(sally, 'message');
    await watchers[0]!.sendMessage([SALLY], 'from a 1.1 XML client to a 1.2 WBXML one');
    assert.equal((await got).content, 'from a 1.1 XML client to a 1.2 WBXML one');
  });

  it('bad input: malformed XML, XML bombs, wrong versions, unknown primitives, oversized and non-CSP bodies', async () => {
    const harry = await login('harry');
    const status = async (body: string | Buffer, type = 'application/vnd.wv.csp.xml') => {
      const r = await post(lab.server.url, body, type);
      assert.equal(r.status, 200);
      const d = decodeCsp(r.body, r.type);
      assert.ok(d.ok, 'the error is a CSP message');
      const p = d.message.primitive as {
        name: string;
        body: { result: { code: number; description: string } };
      };
      assert.equal(p.name, 'Status');
      return p.body.result;
    };
    assert.equal(
      (await status('<WV-CSP-Message xmlns="http://www.openmobilealliance.org/DTD/WV-CSP1.2"><Session>'))
        .code,
      400,
    );
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><WV-CSP-Message xmlns="http://www.openmobilealliance.org/DTD/WV-CSP1.2">&lol2;</WV-CSP-Message>`;
    const b = await status(bomb);
    assert.equal(b.code, 400);
    assert.match(b.description, /DTD/);
    const v14 = await status(
      '<WV-CSP-Message xmlns="http://www.openmobilealliance.org/DTD/WV-CSP1.4"><Session><SessionDescriptor><SessionType>Outband</SessionType></SessionDescriptor><Transaction><TransactionDescriptor><TransactionMode>Request</TransactionMode><TransactionID>1</TransactionID></TransactionDescriptor><TransactionContent xmlns="http://www.openmobilealliance.org/DTD/WV-TRC1.4"><Polling-Request/></TransactionContent></Transaction></Session></WV-CSP-Message>',
    );
    assert.equal(v14.code, 505);
    const unknown = await status(
      `<WV-CSP-Message xmlns="http://www.openmobilealliance.org/DTD/WV-CSP1.2"><Session><SessionDescriptor><SessionType>Inband</SessionType><SessionID>${harry.sessionId}</SessionID></SessionDescriptor><Transaction><TransactionDescriptor><TransactionMode>Request</TransactionMode><TransactionID>9</TransactionID></TransactionDescriptor><TransactionContent xmlns="http://www.openmobilealliance.org/DTD/WV-TRC1.2"><Teleport-Request/></TransactionContent></Transaction></Session></WV-CSP-Message>`,
    );
    assert.equal(unknown.code, 405);
    const group = await harry.request({
      name: 'CreateGroup-Request',
      generic: true,
      element: {
        name: 'CreateGroup-Request',
        local: 'CreateGroup-Request',
        ns: 'http://www.openmobilealliance.org/DTD/WV-TRC1.2',
        attributes: [],
        children: [],
      },
    });
    assert.equal(resultOf(group).code, 501);
    const big = await status(Buffer.alloc(300 * 1024, 0x20));
    assert.equal(big.code, 400);
    assert.match(big.description, /larger/);
    const wbxmlJunk = await status(
      Buffer.from([0x03, 0x11, 0x6a, 0x00, 0xff, 0xff]),
      'application/vnd.wv.csp.wbxml',
    );
    assert.equal(wbxmlJunk.code, 400);
    const spInfo =
      '<WV-CSP-Message xmlns="http://www.openmobilealliance.org/DTD/WV-CSP1.2"><Session><SessionDescriptor><SessionType>Outband</SessionType></SessionDescriptor><Transaction><TransactionDescriptor><TransactionMode>Request</TransactionMode><TransactionID>sp</TransactionID></TransactionDescriptor><TransactionContent xmlns="http://www.openmobilealliance.org/DTD/WV-TRC1.2"><GetSPInfo-Request/></TransactionContent></Transaction></Session></WV-CSP-Message>';
    const untyped = await post(lab.server.url, spInfo, '');
    const sp = decodeCsp(untyped.body, untyped.type);
    assert.ok(sp.ok && sp.message.primitive.name === 'GetSPInfo-Response', 'no Content-Type: sniffed as XML');
    const json = await post(lab.server.url, '{"hello":1}', 'application/json');
    assert.equal(json.status, 415);
    assert.match(json.type, /problem\+json/);
    const get = await post(lab.server.url, '', 'text/plain', 'GET');
    assert.equal(get.status, 405);
    // Other users' sessions are unaffected.
    assert.equal(resultOf(await harry.request(primitive('GetList-Request', {}))).code, 200);
  });
});
