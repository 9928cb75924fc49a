import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  computeDigestResponse,
  computeHa1,
  digestEquals,
  formatNonceCount,
  parseAlgorithm,
} from '../../../../../../domains/simple/sip/auth/digest-algorithm.ts';

describe('Digest computation', () => {
  it('RFC 2617 §3.5 example (MD5, qop=auth)', () => {
    const ha1 = computeHa1('MD5', 'Mufasa', 'testrealm@host.com', 'Circle Of Life');
    const response = computeDigestResponse({
      algorithm: 'MD5',
      ha1,
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      method: 'GET',
      digestUri: '/dir/index.html',
      qop: 'auth',
      nc: '00000001',
      cnonce: '0a4f113b',
    });
    assert.equal(response, '6629fae49393a05397450978507c4ef1');
  });

  const rfc7616 = {
    nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
    method: 'GET',
    digestUri: '/dir/index.html',
    qop: 'auth' as const,
    nc: '00000001',
    cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  };

  it('RFC 7616 §3.9.1 example, MD5', () => {
    const ha1 = computeHa1('MD5', 'Mufasa', 'http-auth@example.org', 'Circle of Life');
    assert.equal(
      computeDigestResponse({ algorithm: 'MD5', ha1, ...rfc7616 }),
      '8ca523f5e9506fed4657c9700eebdbec',
    );
  });

  it('RFC 7616 §3.9.1 example, SHA-256', () => {
    const ha1 = computeHa1('SHA-256', 'Mufasa', 'http-auth@example.org', 'Circle of Life');
    assert.equal(
      computeDigestResponse({ algorithm: 'SHA-256', ha1, ...rfc7616 }),
      '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    );
  });

  const h = (alg: string, s: string | Buffer) => createHash(alg).update(s).digest('hex');

  it('-sess variants hash HA1 with nonce and cnonce (RFC 2617 §3.2.2.2)', () => {
    for (const [algorithm, node] of [
      ['MD5-sess', 'md5'],
      ['SHA-256-sess', 'sha256'],
      ['SHA-512-256-sess', 'sha512-256'],
    ] as const) {
      const ha1 = h(node, 'u:r:p');
      const sess = h(node, `${ha1}:N:C`);
      const expected = h(node, `${sess}:N:0000000a:C:auth:${h(node, 'MESSAGE:sip:r')}`);
      const got = computeDigestResponse({
        algorithm,
        ha1: computeHa1(algorithm, 'u', 'r', 'p'),
        nonce: 'N',
        method: 'MESSAGE',
        digestUri: 'sip:r',
        qop: 'auth',
        nc: '0000000a',
        cnonce: 'C',
      });
      assert.equal(got, expected, algorithm);
    }
  });

  it('without qop uses RFC 2069 H(HA1:nonce:HA2); auth-int hashes the body', () => {
    const ha1 = h('md5', 'u:r:p');
    assert.equal(
      computeDigestResponse({ algorithm: 'MD5', ha1, nonce: 'N', method: 'REGISTER', digestUri: 'sip:r' }),
      h('md5', `${ha1}:N:${h('md5', 'REGISTER:sip:r')}`),
    );
    const body = Buffer.from('hello');
    assert.equal(
      computeDigestResponse({
        algorithm: 'SHA-256',
        ha1,
        nonce: 'N',
        method: 'MESSAGE',
        digestUri: 'sip:r',
        qop: 'auth-int',
        nc: '00000001',
        cnonce: 'C',
        body,
      }),
      h('sha256', `${ha1}:N:00000001:C:auth-int:${h('sha256', `MESSAGE:sip:r:${h('sha256', body)}`)}`),
    );
  });

  it('formats nc as 8 hex digits and parses algorithm names case-insensitively', () => {
    assert.equal(formatNonceCount(1), '00000001');
    assert.equal(formatNonceCount(255), '000000ff');
    assert.equal(parseAlgorithm(undefined), 'MD5');
    assert.equal(parseAlgorithm('sha-256'), 'SHA-256');
    assert.equal(parseAlgorithm('md5-SESS'), 'MD5-sess');
    assert.equal(parseAlgorithm('SHA-1'), undefined);
  });

  it('compares digests case-insensitively and rejects different lengths', () => {
    assert.ok(digestEquals('ABCDEF', 'abcdef'));
    assert.ok(!digestEquals('abcdef', 'abcdee'));
    assert.ok(!digestEquals('abcdef', 'abcdef0'));
  });
});
