import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { digestBytes } from '../../../../../domains/imps/client/digest.ts';
import { attributeNames } from '../../../../../domains/imps/client/imps-client.ts';
import { digestBytes as serverDigest } from '../../../../../domains/imps/server/session-handlers.ts';

describe('client digest and attribute names', () => {
  it('DigestBytes = Base64(H(nonce || password)) as ISO-8859-1 (imps.md §2.2)', () => {
    // Vectors computed independently (Python hashlib): md5(b"abcsecret"), sha1(latin1("népé")).
    assert.equal(digestBytes('MD5', 'abc', 'secret'), 'M+fLaU+2+y+EivZ3TZ/xOA==');
    assert.equal(digestBytes('SHA', 'né', 'pé'), 'I+Lg0dmKMo9yF6xL28yNVp69rHw=');
    assert.equal(digestBytes('md5', 'n', 'p'), serverDigest('MD5', 'n', 'p'));
    assert.equal(digestBytes('SHA', 'n', 'p'), serverDigest('SHA', 'n', 'p'));
    assert.notEqual(digestBytes('SHA', 'n', 'p'), digestBytes('MD5', 'n', 'p'));
    assert.equal(digestBytes('MD6', 'n', 'p'), undefined);
    assert.equal(Buffer.from(digestBytes('SHA', 'n', 'p')!, 'base64').length, 20);
  });
  it('attributeNames builds a request PresenceSubList from element names', () => {
    assert.deepEqual(attributeNames(['OnlineStatus', 'PLMN', 'InfoLink']), {
      onlineStatus: {},
      plmn: {},
      infoLink: {},
    });
  });
});
