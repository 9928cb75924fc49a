import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SequentialIdSource } from '../../../../../../common/ids.ts';
import { ManualClock } from '../../../../../../common/manual-clock.ts';
import { computeHa1 } from '../../../../../../domains/simple/sip/auth/digest-algorithm.ts';
import {
  DigestAuthenticator,
  MemoryHa1Store,
} from '../../../../../../domains/simple/sip/auth/digest-authenticator.ts';
import {
  answerChallenge,
  applyAuthorization,
  buildCredentials,
  DigestClientState,
} from '../../../../../../domains/simple/sip/auth/digest-client.ts';
import { parseDigestChallenges } from '../../../../../../domains/simple/sip/auth/digest-fields.ts';
import { Params } from '../../../../../../domains/simple/sip/message/params.ts';
import {
  SipHeaders,
  SipRequest,
  SipResponse,
} from '../../../../../../domains/simple/sip/message/sip-message.ts';

function publish(): SipRequest {
  return new SipRequest(
    'PUBLISH',
    { scheme: 'sip', user: 'jane', host: 'domain2.lab', params: new Params(), headers: [] },
    new SipHeaders([{ name: 'CSeq', value: '1 PUBLISH' }]),
    Buffer.from('<presence/>'),
  );
}

function setup(role: 'uas' | 'proxy' = 'uas') {
  const clock = new ManualClock();
  const store = new MemoryHa1Store().addUser('jane', 'domain2.lab', 'secret');
  const server = new DigestAuthenticator({
    realm: 'domain2.lab',
    store,
    clock,
    ids: new SequentialIdSource('s'),
    role,
  });
  const client = new DigestClientState(new SequentialIdSource('c'));
  /** Sends `req` through challenge → answer; returns the request carrying credentials. */
  const authorize = (req: SipRequest, password = 'secret') => {
    const first = server.authenticate(req);
    assert.equal(first.ok, false);
    if (first.ok) throw new Error('unreachable');
    const res = new SipResponse(
      first.status,
      first.reason,
      new SipHeaders(first.headers.map((f) => ({ ...f }))),
    );
    const fields = answerChallenge(req, res, { username: 'jane', password }, client);
    assert.ok(fields);
    applyAuthorization(req, fields);
    return req;
  };
  return { clock, server, client, authorize };
}

describe('DigestAuthenticator', () => {
  it('challenges with SHA-256 first then MD5, qop="auth", and accepts the answer', () => {
    const { server, authorize } = setup();
    const r = server.authenticate(publish());
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.status, 401);
    assert.equal(r.failure, 'missing');
    assert.deepEqual(
      r.headers.map((f) => f.name),
      ['WWW-Authenticate', 'WWW-Authenticate'],
    );
    const challenges = parseDigestChallenges(r.headers.map((f) => f.value));
    assert.deepEqual(
      challenges.map((c) => [c.algorithm, c.qop, c.realm]),
      [
        ['SHA-256', ['auth'], 'domain2.lab'],
        ['MD5', ['auth'], 'domain2.lab'],
      ],
    );
    const ok = server.authenticate(authorize(publish()));
    assert.deepEqual(ok, { ok: true, user: 'jane', realm: 'domain2.lab', algorithm: 'SHA-256' });
  });

  it('uses 407 / Proxy-Authenticate / Proxy-Authorization as a proxy', () => {
    const { server, authorize } = setup('proxy');
    const r = server.authenticate(publish());
    assert.ok(!r.ok && r.status === 407 && r.headers[0]!.name === 'Proxy-Authenticate');
    const req = authorize(publish());
    assert.ok(req.headers.has('Proxy-Authorization'));
    assert.equal(server.authenticate(req).ok, true);
  });

  it('refuses a wrong password without stale', () => {
    const { server, authorize } = setup();
    const r = server.authenticate(authorize(publish(), 'wrong'));
    assert.ok(!r.ok);
    assert.equal(r.failure, 'bad-response');
    assert.equal(parseDigestChallenges(r.headers.map((f) => f.value))[0]!.stale, false);
  });

  it('detects a replayed nc and answers stale=TRUE', () => {
    const { server, authorize } = setup();
    const req = authorize(publish());
    assert.equal(server.authenticate(req).ok, true);
    const replay = server.authenticate(req);
    assert.ok(!replay.ok);
    assert.equal(replay.failure, 'replay');
    assert.equal(parseDigestChallenges(replay.headers.map((f) => f.value))[0]!.stale, true);
  });

  it('expires nonces: stale=TRUE after the lifetime, and the client retries transparently', () => {
    const { server, client, clock, authorize } = setup();
    const req = authorize(publish());
    clock.advance(300_001);
    const r = server.authenticate(req);
    assert.ok(!r.ok);
    assert.equal(r.failure, 'stale');
    const [challenge] = parseDigestChallenges(r.headers.map((f) => f.value));
    assert.equal(challenge!.stale, true);
    const res = new SipResponse(401, r.reason, new SipHeaders(r.headers.map((f) => ({ ...f }))));
    const retry = answerChallenge(req, res, { username: 'jane', password: 'secret' }, client);
    assert.ok(retry, 'stale=TRUE is answered even though the request carried credentials');
    applyAuthorization(req, retry);
    assert.equal(server.authenticate(req).ok, true);
  });

  it('accepts a nonce just before its lifetime ends', () => {
    const { server, clock, authorize } = setup();
    const req = authorize(publish());
    clock.advance(299_000);
    assert.equal(server.authenticate(req).ok, true);
  });

  it('refuses tampered nonces, unknown users, a foreign realm and a digest-uri that is not the Request-URI', () => {
    const { server, authorize } = setup();
    const tampered = authorize(publish());
    tampered.headers.set(
      'Authorization',
      tampered.headers.get('Authorization')!.replace(/nonce="(\w+)\./, 'nonce="$1z.'),
    );
    const r1 = server.authenticate(tampered);
    assert.ok(!r1.ok && r1.failure === 'bad-nonce');

    const unknown = publish();
    const store = new MemoryHa1Store();
    const other = new DigestAuthenticator({
      realm: 'domain2.lab',
      store,
      clock: new ManualClock(),
      ids: new SequentialIdSource(),
    });
    const r2 = other.authenticate(authorize(unknown));
    assert.ok(!r2.ok && (r2.failure === 'unknown-user' || r2.failure === 'bad-nonce'));

    const foreign = publish();
    foreign.headers.set(
      'Authorization',
      'Digest username="jane", realm="elsewhere", nonce="n", uri="sip:x", response="0"',
    );
    const r3 = server.authenticate(foreign);
    assert.ok(!r3.ok && r3.failure === 'missing');

    const moved = authorize(publish());
    moved.uri = { scheme: 'sip', user: 'other', host: 'domain2.lab', params: new Params(), headers: [] };
    const r4 = server.authenticate(moved);
    assert.ok(!r4.ok && r4.status === 400 && r4.failure === 'uri-mismatch');
  });

  it('accepts a digest-uri with the default port written out (SIPp does that) unless exact checking is asked', () => {
    for (const [check, expected] of [
      ['equivalent', true],
      ['exact', false],
    ] as const) {
      const clock = new ManualClock();
      const store = new MemoryHa1Store().addUser('jane', 'domain2.lab', 'secret');
      const server = new DigestAuthenticator({
        realm: 'domain2.lab',
        store,
        clock,
        ids: new SequentialIdSource(),
        digestUriCheck: check,
      });
      const req = publish();
      const [challenge] = parseDigestChallenges(server.challenge().map((f) => f.value));
      const field = buildCredentials(
        req,
        challenge!,
        { username: 'jane', password: 'secret' },
        new DigestClientState(new SequentialIdSource()),
        'Authorization',
        'sip:jane@domain2.lab:5060',
      );
      applyAuthorization(req, [field!]);
      const r = server.authenticate(req);
      assert.equal(r.ok, expected, check);
      if (!r.ok) assert.equal(r.failure, 'uri-mismatch');
    }
  });

  it('looks up HA1 only (no password) and checks the username', () => {
    const clock = new ManualClock();
    const store = new MemoryHa1Store().addHa1('harry', 'r', 'MD5', computeHa1('MD5', 'harry', 'r', 'pw'));
    const server = new DigestAuthenticator({
      realm: 'r',
      store,
      clock,
      ids: new SequentialIdSource(),
      algorithms: ['MD5'],
    });
    const client = new DigestClientState(new SequentialIdSource());
    const req = publish();
    const c = server.authenticate(req);
    assert.ok(!c.ok);
    const res = new SipResponse(401, c.reason, new SipHeaders(c.headers.map((f) => ({ ...f }))));
    applyAuthorization(req, answerChallenge(req, res, { username: 'harry', password: 'pw' }, client)!);
    assert.deepEqual(server.authenticate(req), { ok: true, user: 'harry', realm: 'r', algorithm: 'MD5' });
  });

  it('refuses credentials without qop unless allowNoQop, and algorithms it did not offer', () => {
    const { server } = setup();
    const nonce = parseDigestChallenges(server.challenge().map((f) => f.value))[0]!.nonce;
    const req = publish();
    req.headers.set(
      'Authorization',
      `Digest username="jane", realm="domain2.lab", nonce="${nonce}", uri="sip:jane@domain2.lab", response="00"`,
    );
    const r = server.authenticate(req);
    assert.ok(!r.ok && r.failure === 'no-qop');
    req.headers.set(
      'Authorization',
      `Digest username="jane", realm="domain2.lab", nonce="${nonce}", uri="sip:jane@domain2.lab", response="00", algorithm=MD5-sess, qop=auth, nc=00000001, cnonce="x"`,
    );
    const r2 = server.authenticate(req);
    assert.ok(!r2.ok && r2.failure === 'algorithm');
  });

  it('binds nonces to a caller-supplied value (e.g. the source address)', () => {
    const { server, client } = setup();
    const req = publish();
    const c = server.authenticate(req, '127.0.2.10');
    assert.ok(!c.ok);
    const res = new SipResponse(401, c.reason, new SipHeaders(c.headers.map((f) => ({ ...f }))));
    applyAuthorization(req, answerChallenge(req, res, { username: 'jane', password: 'secret' }, client)!);
    const elsewhere = server.authenticate(req, '127.0.9.9');
    assert.ok(!elsewhere.ok && elsewhere.failure === 'bad-nonce');
    assert.equal(server.authenticate(req, '127.0.2.10').ok, true);
  });

  it('never throws on hostile Authorization values (RFC 4475 regaut01 included)', () => {
    const { server } = setup();
    const values = [
      'NoOneKnowsThisScheme opaque-data=here',
      'Digest',
      'Digest username=',
      'Digest username="a", realm="domain2.lab", nonce="zz.zz.zz", uri="sip:jane@domain2.lab", response="x", qop=auth, nc=00000001, cnonce="c"',
      `Digest ${'a=b, '.repeat(5000)}`,
      '"',
      'Digest realm="domain2.lab", nonce="\\',
    ];
    for (const value of values) {
      const req = publish();
      req.headers.set('Authorization', value);
      const r = server.authenticate(req);
      assert.equal(r.ok, false, value.slice(0, 40));
      if (!r.ok) assert.ok(r.status === 401 && r.headers.length === 2);
    }
  });
});
