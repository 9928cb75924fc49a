import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SequentialIdSource } from '../../../../../../common/ids.ts';
import { ManualClock } from '../../../../../../common/manual-clock.ts';
import { NonceMinter } from '../../../../../../domains/simple/sip/auth/nonce-minter.ts';

describe('NonceMinter', () => {
  it('mints nonces it recognises, with their age, without remembering them', () => {
    const clock = new ManualClock();
    const minter = new NonceMinter(clock, new SequentialIdSource('salt'), 'domain2.lab', 60_000, 'k');
    clock.advance(1234);
    const nonce = minter.mint();
    assert.match(nonce, /^[0-9a-z]+\.salt1\.[0-9a-f]{32}$/);
    assert.deepEqual(minter.check(nonce), { valid: true, issuedAt: 1234, expired: false });
    clock.advance(60_000);
    assert.deepEqual(minter.check(nonce), { valid: true, issuedAt: 1234, expired: false });
    clock.advance(1);
    assert.deepEqual(minter.check(nonce), { valid: true, issuedAt: 1234, expired: true });
  });

  it('refuses nonces of another secret, realm or bind value, and tampered or malformed ones', () => {
    const clock = new ManualClock();
    const ids = new SequentialIdSource('s');
    const a = new NonceMinter(clock, ids, 'domain2.lab', 60_000, 'k1');
    const nonce = a.mint('127.0.2.10');
    assert.equal(a.check(nonce, '127.0.2.10').valid, true);
    assert.equal(a.check(nonce).valid, false);
    assert.equal(
      new NonceMinter(clock, ids, 'domain2.lab', 60_000, 'k2').check(nonce, '127.0.2.10').valid,
      false,
    );
    assert.equal(
      new NonceMinter(clock, ids, 'domain1.lab', 60_000, 'k1').check(nonce, '127.0.2.10').valid,
      false,
    );
    const [t, salt, mac] = nonce.split('.');
    assert.equal(a.check(`${t}0.${salt}.${mac}`, '127.0.2.10').valid, false, 'older/newer time claimed');
    for (const bad of ['', 'x', 'a.b.c', `${t}.${salt}.${mac}x`, `${'z'.repeat(13)}.s.${'0'.repeat(32)}`]) {
      assert.equal(a.check(bad).valid, false, bad);
    }
  });

  it('treats a nonce from the future (clock reset) as expired', () => {
    const clock = new ManualClock();
    clock.advance(10_000);
    const minter = new NonceMinter(clock, new SequentialIdSource(), 'r', 60_000, 'k');
    const nonce = minter.mint();
    const restarted = new NonceMinter(new ManualClock(), new SequentialIdSource(), 'r', 60_000, 'k');
    const c = restarted.check(nonce);
    assert.ok(c.valid && c.expired);
  });
});
