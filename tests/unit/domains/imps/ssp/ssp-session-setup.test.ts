import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { digestMatches, passwordDigest, SspPeer } from '../../../../../domains/imps/ssp/ssp-session-setup.ts';

describe('SSP session setup helpers', () => {
  it('the digest depends on the token and the shared secret', () => {
    const d = passwordDigest('tok', 'secret');
    assert.match(d, /^[A-Za-z0-9+/]{22}==$/);
    assert.ok(digestMatches(d, passwordDigest('tok', 'secret')));
    assert.ok(!digestMatches(d, passwordDigest('tok', 'other')));
    assert.ok(!digestMatches(d, passwordDigest('tok2', 'secret')));
    assert.ok(!digestMatches(d, 'short'));
  });
  it('waiters resolve when the peer is up and reject when setup fails', async () => {
    const p = new SspPeer('d2', 'http://127.0.3.1/ssp', 's');
    const up = p.whenUp();
    p.markUp();
    await up;
    await p.whenUp();
    const q = new SspPeer('d3', 'http://127.0.3.1/ssp', 's');
    const w = q.whenUp();
    q.fail('nope');
    await assert.rejects(w, /nope/);
    assert.equal(q.state, 'idle');
  });
});
