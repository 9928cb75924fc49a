import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SequentialIdSource } from '../../../../../../common/ids.ts';
import { ManualClock } from '../../../../../../common/manual-clock.ts';
import {
  DigestAuthenticator,
  MemoryHa1Store,
} from '../../../../../../domains/simple/sip/auth/digest-authenticator.ts';
import {
  SipHeaders,
  type SipRequest,
  SipResponse,
} from '../../../../../../domains/simple/sip/message/sip-message.ts';
import { LocationService } from '../../../../../../domains/simple/sip/registrar/location-service.ts';
import { processRegister } from '../../../../../../domains/simple/sip/registrar/process-register.ts';
import {
  RegisterClientState,
  registerRefreshDelay,
} from '../../../../../../domains/simple/sip/registrar/register-client.ts';

/** A registrar built from this folder's parts: auth first, then processRegister. */
function registrar(clock: ManualClock, minExpires = 60) {
  const store = new LocationService({ clock });
  const auth = new DigestAuthenticator({
    realm: 'domain2.lab',
    store: new MemoryHa1Store().addUser('jane', 'domain2.lab', 'secret'),
    clock,
    ids: new SequentialIdSource('n'),
  });
  const handle = (req: SipRequest): SipResponse => {
    const a = auth.authenticate(req);
    if (!a.ok) return new SipResponse(a.status, a.reason, new SipHeaders(a.headers.map((h) => ({ ...h }))));
    const out = processRegister(req, store, clock.now(), { policy: { minExpires } });
    return new SipResponse(out.status, out.reason, new SipHeaders(out.headers.map((h) => ({ ...h }))));
  };
  return { store, handle };
}

function client(expires = 3600, password = 'secret') {
  return new RegisterClientState({
    aor: 'sip:jane@domain2.lab',
    registrar: 'sip:domain2.lab',
    contact: 'sip:jane@127.0.2.10:5060',
    expires,
    credentials: { username: 'jane', password },
    ids: new SequentialIdSource('u'),
  });
}

describe('RegisterClientState', () => {
  it('builds REGISTERs with one Call-ID, growing CSeq, Contact and Expires', () => {
    const c = client();
    const r1 = c.buildRegister();
    const r2 = c.buildRegister();
    assert.equal(r1.method, 'REGISTER');
    assert.equal(r1.callId, r2.callId);
    assert.equal(r1.cseq.seq, 1);
    assert.equal(r2.cseq.seq, 2);
    assert.equal(r1.headers.get('Expires'), '3600');
    assert.equal(r1.headers.get('Contact'), '<sip:jane@127.0.2.10:5060>');
    assert.equal(r1.fromTag, c.fromTag);
    assert.equal(c.buildRegister(true).headers.get('Expires'), '0');
  });

  it('answers the challenge, then raises Expires on 423, then registers and refreshes pre-emptively', () => {
    const clock = new ManualClock();
    const { handle, store } = registrar(clock, 120);
    const c = client(30);
    let req = c.buildRegister();
    let res = handle(req);
    assert.equal(res.status, 401);
    assert.deepEqual(c.onResponse(req, res, clock.now()), { kind: 'retry', because: 'challenge' });
    req = c.buildRegister();
    assert.ok(req.headers.has('Authorization'));
    res = handle(req);
    assert.equal(res.status, 423);
    assert.deepEqual(c.onResponse(req, res, clock.now()), { kind: 'retry', because: 'interval-too-brief' });
    assert.equal(c.requestedExpires, 120);
    req = c.buildRegister();
    assert.equal(req.headers.get('Expires'), '120');
    res = handle(req);
    assert.equal(res.status, 200, 'pre-emptive credentials from the cached nonce');
    const action = c.onResponse(req, res, clock.now());
    assert.equal(action.kind, 'registered');
    if (action.kind !== 'registered') return;
    assert.equal(action.expires, 120);
    assert.equal(action.refreshAt, 90_000);
    assert.equal(store.lookup('sip:jane@domain2.lab').length, 1);

    clock.advance(action.refreshAt);
    req = c.buildRegister();
    res = handle(req);
    assert.equal(res.status, 200);
    const unreg = c.buildRegister(true);
    assert.deepEqual(c.onResponse(unreg, handle(unreg), clock.now()), { kind: 'unregistered' });
    assert.equal(store.lookup('sip:jane@domain2.lab').length, 0);
  });

  it('gives up on a wrong password instead of looping', () => {
    const clock = new ManualClock();
    const { handle } = registrar(clock);
    const c = client(3600, 'wrong');
    let req = c.buildRegister();
    assert.equal(c.onResponse(req, handle(req), clock.now()).kind, 'retry');
    req = c.buildRegister();
    const action = c.onResponse(req, handle(req), clock.now());
    assert.deepEqual(action, { kind: 'failed', status: 401, reason: 'Unauthorized' });
  });

  it('takes the granted expiry from its Contact in the 2xx, else from Expires', () => {
    const c = client(3600);
    const req = c.buildRegister();
    const withContact = new SipResponse(
      200,
      'OK',
      new SipHeaders([
        {
          name: 'Contact',
          value: '<sip:other@127.0.2.99>;expires=50, <sip:jane@127.0.2.10:5060>;expires=1800',
        },
        { name: 'Expires', value: '900' },
      ]),
    );
    const a = c.onResponse(req, withContact, 1000);
    assert.ok(a.kind === 'registered' && a.expires === 1800 && a.refreshAt === 1000 + 1770_000);
    const onlyExpires = new SipResponse(200, 'OK', new SipHeaders([{ name: 'Expires', value: '900' }]));
    const b = c.onResponse(c.buildRegister(), onlyExpires, 0);
    assert.ok(b.kind === 'registered' && b.expires === 900);
  });

  it('fails on other errors and on a 423 without a usable Min-Expires', () => {
    const c = client();
    const req = c.buildRegister();
    assert.deepEqual(c.onResponse(req, new SipResponse(403, 'Forbidden'), 0), {
      kind: 'failed',
      status: 403,
      reason: 'Forbidden',
    });
    const bad423 = new SipResponse(
      423,
      'Interval Too Brief',
      new SipHeaders([{ name: 'Min-Expires', value: 'soon' }]),
    );
    assert.equal(c.onResponse(req, bad423, 0).kind, 'failed');
  });

  it('refreshes half-way for short lifetimes and 30 s early for long ones', () => {
    assert.equal(registerRefreshDelay(3600), 3570);
    assert.equal(registerRefreshDelay(60), 30);
    assert.equal(registerRefreshDelay(10), 5);
  });
});
