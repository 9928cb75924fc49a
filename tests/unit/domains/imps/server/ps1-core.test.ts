// Ps1Core without HTTP: decoded CspMessages in, answers out (the transaction layer alone).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SequentialIdSource } from '../../../../../common/ids.ts';
import { ManualClock } from '../../../../../common/manual-clock.ts';
import { decodeCsp, encodeCsp } from '../../../../../domains/imps/csp/csp-codec.ts';
import type { CspVersion } from '../../../../../domains/imps/csp/csp-version.ts';
import type { CspMessage } from '../../../../../domains/imps/csp/model/envelope.ts';
import { type CspPrimitive, primitive } from '../../../../../domains/imps/csp/model/primitives.ts';
import { Ps1Core } from '../../../../../domains/imps/server/ps1-core.ts';
import { digestBytes } from '../../../../../domains/imps/server/session-handlers.ts';

const origin = { address: '127.0.1.10', port: 40000 };

function core(clock = new ManualClock()) {
  return new Ps1Core({
    domain: 'domain1.lab',
    users: [
      { userId: 'wv:harry@domain1.lab', password: 'pw' },
      { userId: 'sally@domain1.lab', password: 'pw2' },
    ],
    clock,
    ids: new SequentialIdSource('id'),
  });
}

function msg(p: CspPrimitive, sessionId?: string, version: CspVersion = '1.2', tid = 't1'): CspMessage {
  return {
    version,
    encoding: 'xml',
    envelope:
      sessionId === undefined
        ? { sessionType: 'Outband', transactions: [{ mode: 'Request', transactionId: tid, primitive: p }] }
        : {
            sessionType: 'Inband',
            sessionId,
            transactions: [{ mode: 'Request', transactionId: tid, primitive: p }],
          },
    primitive: p,
  };
}

function body(m: CspMessage | undefined, i = 0): Record<string, unknown> {
  return (m!.envelope.transactions[i]!.primitive as unknown as { body: Record<string, unknown> }).body;
}

async function login(
  c: Ps1Core,
  user = 'wv:harry@domain1.lab',
  password = 'pw',
  version: CspVersion = '1.2',
) {
  const r = await c.handle(
    msg(
      primitive('Login-Request', { userId: user, clientId: { url: 'c1' }, password, sessionCookie: 'ck' }),
      undefined,
      version,
    ),
    origin,
  );
  const sid = body(r).sessionId as string;
  await c.handle(msg(primitive('Service-Request', { allFunctionsRequest: false }), sid, version), origin);
  return sid;
}

describe('Ps1Core', () => {
  it('plain login answers Login-Response 200 with SessionID, KeepAliveTime and CapabilityRequest', async () => {
    const c = core();
    const r = await c.handle(
      msg(
        primitive('Login-Request', {
          userId: 'wv:harry@domain1.lab',
          clientId: { url: 'c1' },
          password: 'pw',
          timeToLive: 100000,
          sessionCookie: 'ck',
        }),
      ),
      origin,
    );
    const b = body(r);
    assert.equal((b.result as { code: number }).code, 200);
    assert.equal(b.keepAliveTime, 3600, 'TimeToLive clamped to the maximum');
    assert.equal(b.capabilityRequest, true);
    assert.equal(r!.envelope.transactions[0]!.transactionId, 't1');
    assert.equal(r!.envelope.sessionType, 'Outband');
  });

  it('the digest challenge and its answer (imps.md §2.2)', async () => {
    const c = core();
    const ask = primitive('Login-Request', {
      userId: 'wv:harry@domain1.lab',
      clientId: { url: 'c1' },
      digestSchemas: ['MD5'],
      sessionCookie: 'ck',
    });
    const ch = body(await c.handle(msg(ask), origin));
    assert.equal((ch.result as { code: number }).code, 401);
    assert.equal(ch.digestSchema, 'MD5');
    const nonce = ch.nonce as string;
    const wrong = primitive('Login-Request', {
      userId: 'wv:harry@domain1.lab',
      clientId: { url: 'c1' },
      digestBytes: digestBytes('MD5', nonce, 'bad')!,
      sessionCookie: 'ck',
    });
    assert.equal((body(await c.handle(msg(wrong), origin)).result as { code: number }).code, 409);
    await c.handle(msg(ask), origin);
    const nonce2 = body(await c.handle(msg(ask), origin)).nonce as string;
    assert.notEqual(nonce2, nonce);
    const right = primitive('Login-Request', {
      userId: 'wv:harry@domain1.lab',
      clientId: { url: 'c1' },
      digestBytes: digestBytes('MD5', nonce2, 'pw')!,
      sessionCookie: 'ck',
    });
    assert.equal((body(await c.handle(msg(right), origin)).result as { code: number }).code, 200);
  });

  it('604 for an unknown session, 600 once the session expired', async () => {
    const clock = new ManualClock();
    const c = core(clock);
    const r = await c.handle(msg(primitive('GetList-Request', {}), 'nope'), origin);
    assert.equal((body(r).result as { code: number }).code, 604);
    const sid = await login(c);
    clock.advance(601_000);
    const r2 = await c.handle(msg(primitive('GetList-Request', {}), sid), origin);
    assert.equal((body(r2).result as { code: number }).code, 600);
  });

  it('506 before Service negotiation', async () => {
    const c = core();
    const r = await c.handle(
      msg(
        primitive('Login-Request', {
          userId: 'wv:harry@domain1.lab',
          clientId: { url: 'c1' },
          password: 'pw',
          sessionCookie: 'ck',
        }),
      ),
      origin,
    );
    const sid = body(r).sessionId as string;
    const r2 = await c.handle(msg(primitive('GetList-Request', {}), sid), origin);
    assert.equal((body(r2).result as { code: number }).code, 506);
  });

  it('Polling-Request returns queued server requests; an empty queue is an empty body; Poll=T while more waits', async () => {
    const c = core();
    const sid = await login(c);
    assert.equal(await c.handle(msg(primitive('Polling-Request', {}), sid), origin), undefined);
    const session = c.sessions.get(sid)!;
    c.send(session, primitive('Status', { result: { code: 200 } }));
    c.send(session, primitive('Status', { result: { code: 201 } }));
    const r = await c.handle(msg(primitive('Polling-Request', {}), sid), origin);
    assert.equal(r!.envelope.transactions.length, 1);
    assert.equal(r!.envelope.transactions[0]!.mode, 'Request');
    assert.equal(r!.envelope.poll, true);
    const tid = r!.envelope.transactions[0]!.transactionId;
    const ack: CspMessage = {
      ...msg(primitive('Status', { result: { code: 200 } }), sid),
      envelope: {
        sessionType: 'Inband',
        sessionId: sid,
        transactions: [
          {
            mode: 'Response',
            transactionId: tid!,
            primitive: primitive('Status', { result: { code: 200 } }),
          },
        ],
      },
    };
    assert.equal(await c.handle(ack, origin), undefined, 'acks get an empty body');
    assert.equal(session.queue.length, 1);
  });

  it('CSP 1.1 answers carry Poll in the TransactionDescriptor (imps.md §1.1)', async () => {
    const c = core();
    const sid = await login(c, 'wv:harry@domain1.lab', 'pw', '1.1');
    c.send(c.sessions.get(sid)!, primitive('Status', { result: { code: 200 } }));
    const r = await c.handle(msg(primitive('GetList-Request', {}), sid, '1.1'), origin);
    const xml = encodeCsp(r!, { version: '1.1', encoding: 'xml' }).body.toString();
    assert.match(
      xml,
      /<TransactionDescriptor><TransactionMode>Response<\/TransactionMode><TransactionID>t1<\/TransactionID><Poll>T<\/Poll>/,
    );
    const again = decodeCsp(xml, 'application/vnd.wv.csp.xml');
    assert.ok(again.ok);
  });

  it('a client coming through the visited relay is roaming', async () => {
    const c = core();
    await c.handle(
      msg(
        primitive('Login-Request', {
          userId: 'sally',
          clientId: { url: 'c2' },
          password: 'pw2',
          sessionCookie: 'ck',
        }),
      ),
      { address: '127.0.4.1', port: 1 },
    );
    assert.equal(c.sessions.ofUser('wv:sally@domain1.lab')[0]?.roaming, true);
    assert.equal(c.presence.effective('wv:sally@domain1.lab').plmn?.presenceValue, 'MNO-Visited');
  });

  it('forced logout: Disconnect 601 is handed over on the next poll and the session ends', async () => {
    const c = core();
    const sid = await login(c);
    c.forceLogout('wv:harry@domain1.lab');
    const r = await c.handle(msg(primitive('Polling-Request', {}), sid), origin);
    assert.equal(r!.envelope.transactions[0]!.primitive.name, 'Disconnect');
    assert.equal(c.sessions.get(sid), undefined);
  });

  it('a reactive request left unanswered expires and is asked again on the next subscription', async () => {
    const clock = new ManualClock();
    const c = core(clock);
    const harry = await login(c);
    const sally = await login(c, 'wv:sally@domain1.lab', 'pw2');
    const sub = () =>
      c.handle(
        msg(primitive('SubscribePresence-Request', { users: [{ userId: 'wv:sally@domain1.lab' }] }), harry),
        origin,
      );
    await sub();
    const sallySession = c.sessions.get(sally)!;
    assert.equal(sallySession.queue.filter((t) => t.primitive.name === 'PresenceAuth-Request').length, 1);
    assert.equal(c.authz.reactiveState('wv:sally@domain1.lab', 'wv:harry@domain1.lab')?.state, 'PENDING');
    await sub();
    assert.equal(
      sallySession.queue.filter((t) => t.primitive.name === 'PresenceAuth-Request').length,
      1,
      'asked once',
    );
    c.sessions.get(harry)!.touch();
    clock.advance(24 * 3600 * 1000);
    assert.equal(c.authz.reactiveState('wv:sally@domain1.lab', 'wv:harry@domain1.lab'), undefined);
  });

  it('a Login-Request inside a live session is 603', async () => {
    const c = core();
    const sid = await login(c);
    const r = await c.handle(
      msg(
        primitive('Login-Request', {
          userId: 'wv:harry@domain1.lab',
          clientId: { url: 'c1' },
          password: 'pw',
        }),
        sid,
      ),
      origin,
    );
    assert.equal((body(r).result as { code: number }).code, 603);
  });
});
