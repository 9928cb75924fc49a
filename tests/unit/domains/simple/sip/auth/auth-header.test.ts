import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatAuthField, parseAuthFields } from '../../../../../../domains/simple/sip/auth/auth-header.ts';
import {
  formatDigestChallenge,
  formatDigestCredentials,
  parseDigestChallenges,
  parseDigestCredentials,
} from '../../../../../../domains/simple/sip/auth/digest-fields.ts';

describe('auth-header codec', () => {
  it('parses quoted strings with escapes and token params', () => {
    const [f] = parseAuthFields([
      'Digest realm="a \\"quoted\\" realm, with comma", nonce=abc, algorithm=MD5',
    ]);
    assert.ok(f);
    assert.equal(f.scheme, 'Digest');
    assert.equal(f.params.get('realm'), 'a "quoted" realm, with comma');
    assert.equal(f.params.get('nonce'), 'abc');
    assert.equal(f.params.get('algorithm'), 'MD5');
  });

  it('accepts LWS around EQUAL and mixed-case names', () => {
    const [f] = parseAuthFields(['digest Realm = "r" , NONCE= "n"']);
    assert.equal(f?.params.get('realm'), 'r');
    assert.equal(f?.params.get('nonce'), 'n');
  });

  it('splits several challenges in one field and across fields', () => {
    const fields = parseAuthFields([
      'Digest realm="a", nonce="1", algorithm=SHA-256, Digest realm="a", nonce="1", algorithm=MD5',
      'Basic realm="b"',
    ]);
    assert.deepEqual(
      fields.map((f) => [f?.scheme, f?.params.get('algorithm') ?? f?.params.get('realm')]),
      [
        ['Digest', 'SHA-256'],
        ['Digest', 'MD5'],
        ['Basic', 'b'],
      ],
    );
  });

  it('keeps an unknown scheme (RFC 4475 regaut01) so callers can skip it', () => {
    const fields = parseAuthFields(['NoOneKnowsThisScheme opaque-data=here']);
    assert.equal(fields.length, 1);
    assert.equal(fields[0]?.scheme, 'NoOneKnowsThisScheme');
    assert.deepEqual(parseDigestCredentials(['NoOneKnowsThisScheme opaque-data=here']), []);
    // token68 data of another scheme is not an auth-param, the scheme is still recognised
    assert.equal(parseAuthFields(['Basic dXNlcjpwYXNz'])[0]?.scheme, 'Basic');
  });

  it('reports malformed fields as undefined and never throws', () => {
    assert.deepEqual(parseAuthFields(['Digest realm="unterminated']), [undefined]);
    assert.deepEqual(parseAuthFields(['Digest realm="a", realm="b"']), [undefined]);
    assert.deepEqual(parseAuthFields(['Digest =x']), [undefined]);
    assert.deepEqual(parseAuthFields(['Digest realm="a", =x']), [undefined]);
    assert.deepEqual(parseAuthFields([`Digest realm="${'x'.repeat(9000)}"`]), [undefined]);
    let seed = 7;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed;
    };
    const alphabet = 'Digest realm=",\\ nonce= qop=auth\t\r\n=,,""\\\\';
    for (let i = 0; i < 2000; i++) {
      let s = '';
      const n = rnd() % 60;
      for (let j = 0; j < n; j++) s += alphabet[rnd() % alphabet.length];
      assert.doesNotThrow(() => parseDigestChallenges([s]));
      assert.doesNotThrow(() => parseDigestCredentials([s]));
    }
  });

  it('caps the number of params and challenges', () => {
    const many = Array.from({ length: 40 }, (_, i) => `p${i}=v`).join(', ');
    assert.deepEqual(parseAuthFields([`Digest ${many}`]), [undefined]);
    const fields = parseAuthFields(Array.from({ length: 30 }, () => 'Digest realm="r", nonce="n"'));
    assert.equal(fields.length, 16);
  });

  it('formats quoted and token directives as RFC 2617 §3.2 writes them', () => {
    assert.equal(
      formatAuthField(
        'Digest',
        [
          ['realm', 'a"b'],
          ['qop', 'auth'],
          ['nc', '00000001'],
          ['stale', undefined],
        ],
        'credentials',
      ),
      'Digest realm="a\\"b", qop=auth, nc=00000001',
    );
    assert.equal(
      formatDigestChallenge({
        realm: 'lab',
        nonce: 'n1',
        algorithm: 'SHA-256',
        qop: ['auth', 'auth-int'],
        qopOffered: true,
        stale: true,
      }),
      'Digest realm="lab", nonce="n1", stale=TRUE, algorithm=SHA-256, qop="auth,auth-int"',
    );
  });

  it('round-trips challenges and credentials', () => {
    const [c] = parseDigestChallenges([
      'Digest realm="atlanta.com", domain="sip:ss1.carrier.com", qop="auth", nonce="f84f1cec41e6cbe5aea9c8e88d359", opaque="", stale=FALSE, algorithm=MD5',
    ]);
    assert.ok(c);
    assert.equal(c.realm, 'atlanta.com');
    assert.equal(c.opaque, '');
    assert.equal(c.stale, false);
    assert.deepEqual(c.qop, ['auth']);
    assert.deepEqual(parseDigestChallenges([formatDigestChallenge(c)]), [c]);
    const creds = {
      username: 'bob',
      realm: 'biloxi.com',
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      uri: 'sip:bob@biloxi.com',
      response: '245f23415f11432b3434341c022',
      algorithm: 'MD5' as const,
      algorithmGiven: true,
      opaque: '5ccc069c403ebaf9f0171e9517f40e41',
      qop: 'auth' as const,
      nc: '00000001',
      cnonce: '0a4f113b',
    };
    assert.deepEqual(parseDigestCredentials([formatDigestCredentials(creds)]), [creds]);
  });

  it('drops challenges missing realm/nonce or with an unknown algorithm, and credentials with a bad nc', () => {
    assert.deepEqual(parseDigestChallenges(['Digest realm="r"']), []);
    assert.deepEqual(parseDigestChallenges(['Digest realm="r", nonce="n", algorithm=SHA-1']), []);
    const base = 'Digest username="u", realm="r", nonce="n", uri="sip:r", response="00"';
    assert.equal(parseDigestCredentials([base]).length, 1);
    assert.equal(parseDigestCredentials([`${base}, qop=auth, nc=1, cnonce="c"`]).length, 0);
    assert.equal(parseDigestCredentials([`${base}, qop=auth, nc=00000001`]).length, 0);
    assert.equal(parseDigestCredentials([`${base}, qop=auth, nc=00000001, cnonce="c"`]).length, 1);
  });
});
