import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { SequentialIdSource } from '../../../../../../common/ids.ts';
import {
  answerChallenge,
  applyAuthorization,
  DigestClientState,
  preemptiveAuthorization,
} from '../../../../../../domains/simple/sip/auth/digest-client.ts';
import { parseDigestCredentials } from '../../../../../../domains/simple/sip/auth/digest-fields.ts';
import { Params } from '../../../../../../domains/simple/sip/message/params.ts';
import {
  SipHeaders,
  SipRequest,
  SipResponse,
} from '../../../../../../domains/simple/sip/message/sip-message.ts';

const h = (alg: string, s: string) => createHash(alg).update(s).digest('hex');

function register(): SipRequest {
  return new SipRequest(
    'REGISTER',
    { scheme: 'sip', host: 'domain2.lab', params: new Params(), headers: [] },
    new SipHeaders([
      { name: 'From', value: '<sip:jane@domain2.lab>;tag=1' },
      { name: 'Call-ID', value: 'c1' },
      { name: 'CSeq', value: '1 REGISTER' },
    ]),
  );
}

function challengeResponse(status: 401 | 407, ...challenges: string[]): SipResponse {
  const name = status === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate';
  return new SipResponse(
    status,
    'Unauthorized',
    new SipHeaders(challenges.map((value) => ({ name, value }))),
  );
}

const jane = { username: 'jane', password: 'secret' };

describe('answerChallenge', () => {
  it('picks the strongest algorithm, answers with qop=auth, nc=00000001 and a cnonce from IdSource', () => {
    const state = new DigestClientState(new SequentialIdSource('cn'));
    const req = register();
    const res = challengeResponse(
      401,
      'Digest realm="domain2.lab", nonce="N1", algorithm=MD5, qop="auth"',
      'Digest realm="domain2.lab", nonce="N1", algorithm=SHA-256, qop="auth,auth-int", opaque="op"',
      'NoOneKnowsThisScheme opaque-data=here',
    );
    const fields = answerChallenge(req, res, jane, state);
    assert.ok(fields);
    assert.equal(fields.length, 1);
    assert.equal(fields[0]!.name, 'Authorization');
    const [c] = parseDigestCredentials([fields[0]!.value]);
    assert.ok(c);
    assert.equal(c.algorithm, 'SHA-256');
    assert.equal(c.qop, 'auth');
    assert.equal(c.nc, '00000001');
    assert.equal(c.cnonce, 'cn1');
    assert.equal(c.opaque, 'op');
    assert.equal(c.uri, 'sip:domain2.lab');
    const ha1 = h('sha256', 'jane:domain2.lab:secret');
    const ha2 = h('sha256', 'REGISTER:sip:domain2.lab');
    assert.equal(c.response, h('sha256', `${ha1}:N1:00000001:cn1:auth:${ha2}`));
  });

  it('counts nc per nonce and restarts at 1 for a new nonce', () => {
    const state = new DigestClientState(new SequentialIdSource());
    const ncOf = (nonce: string) => {
      const f = answerChallenge(
        register(),
        challengeResponse(401, `Digest realm="r", nonce="${nonce}", qop="auth"`),
        jane,
        state,
      );
      return parseDigestCredentials([f![0]!.value])[0]!.nc;
    };
    assert.equal(ncOf('A'), '00000001');
    assert.equal(ncOf('A'), '00000002');
    assert.equal(ncOf('B'), '00000001');
  });

  it('answers 407 with Proxy-Authorization, one per realm', () => {
    const state = new DigestClientState(new SequentialIdSource());
    const fields = answerChallenge(
      register(),
      challengeResponse(407, 'Digest realm="p1", nonce="a", qop="auth"', 'Digest realm="p2", nonce="b"'),
      jane,
      state,
    );
    assert.deepEqual(
      fields?.map((f) => [f.name, f.realm]),
      [
        ['Proxy-Authorization', 'p1'],
        ['Proxy-Authorization', 'p2'],
      ],
    );
    // p2 offered no qop: RFC 2069 form without nc/cnonce
    const c2 = parseDigestCredentials([fields![1]!.value])[0]!;
    assert.equal(c2.qop, undefined);
    assert.equal(c2.nc, undefined);
    assert.equal(
      c2.response,
      h('md5', `${h('md5', 'jane:p2:secret')}:b:${h('md5', 'REGISTER:sip:domain2.lab')}`),
    );
  });

  it('gives up when the retried request is challenged again without stale=TRUE, retries on stale=TRUE', () => {
    const state = new DigestClientState(new SequentialIdSource());
    const req = register();
    const first = answerChallenge(
      req,
      challengeResponse(401, 'Digest realm="r", nonce="A", qop="auth"'),
      jane,
      state,
    );
    assert.ok(first);
    applyAuthorization(req, first);
    assert.equal(req.headers.getFields('Authorization').length, 1);
    const stale = answerChallenge(
      req,
      challengeResponse(401, 'Digest realm="r", nonce="B", qop="auth", stale=TRUE'),
      jane,
      state,
    );
    assert.ok(stale, 'stale=TRUE: retry with the new nonce');
    applyAuthorization(req, stale);
    assert.equal(req.headers.getFields('Authorization').length, 1, 'the old credentials are replaced');
    assert.match(req.headers.get('Authorization')!, /nonce="B"/);
    assert.equal(
      answerChallenge(req, challengeResponse(401, 'Digest realm="r", nonce="C", qop="auth"'), jane, state),
      undefined,
    );
  });

  it('returns undefined for unusable challenges and non-challenge responses', () => {
    const state = new DigestClientState(new SequentialIdSource());
    assert.equal(answerChallenge(register(), new SipResponse(200, 'OK'), jane, state), undefined);
    assert.equal(
      answerChallenge(register(), challengeResponse(401, 'Basic realm="r"'), jane, state),
      undefined,
    );
    assert.equal(
      answerChallenge(
        register(),
        challengeResponse(401, 'Digest realm="r", nonce="n", qop="auth-conf"'),
        jane,
        state,
      ),
      undefined,
    );
    assert.equal(
      answerChallenge(
        register(),
        challengeResponse(401, 'Digest realm="r", nonce="n"'),
        { ...jane, realm: 'other' },
        state,
      ),
      undefined,
    );
    assert.equal(
      answerChallenge(register(), challengeResponse(401, 'Digest realm="r'), jane, state),
      undefined,
    );
  });

  it('works from a stored HA1 instead of a password', () => {
    const state = new DigestClientState(new SequentialIdSource());
    const ha1 = h('md5', 'jane:r:secret');
    const fields = answerChallenge(
      register(),
      challengeResponse(
        401,
        'Digest realm="r", nonce="n", algorithm=SHA-256',
        'Digest realm="r", nonce="n", algorithm=MD5',
      ),
      { username: 'jane', ha1: { MD5: ha1 } },
      state,
    );
    const c = parseDigestCredentials([fields![0]!.value])[0]!;
    assert.equal(c.algorithm, 'MD5', 'SHA-256 skipped: no HA1 for it');
    assert.equal(c.response, h('md5', `${ha1}:n:${h('md5', 'REGISTER:sip:domain2.lab')}`));
  });

  it('builds pre-emptive credentials from the cached nonce with the next nc', () => {
    const state = new DigestClientState(new SequentialIdSource());
    answerChallenge(
      register(),
      challengeResponse(401, 'Digest realm="r", nonce="A", qop="auth"'),
      jane,
      state,
    );
    const again = preemptiveAuthorization(register(), jane, state);
    assert.equal(again.length, 1);
    assert.equal(parseDigestCredentials([again[0]!.value])[0]!.nc, '00000002');
  });
});
