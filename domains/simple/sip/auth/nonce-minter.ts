import { createHmac } from 'node:crypto';
import type { Clock } from '../../../../common/clock.ts';
import type { IdSource } from '../../../../common/ids.ts';
import { digestEquals } from './digest-algorithm.ts';

// Stateless nonces (RFC 2617 §3.2.1 "nonce" suggests time-stamp ":" H(time-stamp ":" ETag ":"
// private-key)): the nonce carries its issue time and a salt, sealed with an HMAC under a server
// secret, so the server checks validity and age without remembering the nonces it issued.
//
//   nonce = base36(issuedAt) "." salt "." hex(HMAC-SHA256(secret, issuedAt "." salt "." realm "." bind))[0..32]

export type NonceCheck = { valid: true; issuedAt: number; expired: boolean } | { valid: false };

const NONCE = /^([0-9a-z]{1,12})\.([A-Za-z0-9]{1,64})\.([0-9a-f]{32})$/;

export class NonceMinter {
  private readonly secret: string;

  constructor(
    private readonly clock: Clock,
    private readonly ids: IdSource,
    readonly realm: string,
    /** How long a nonce is accepted, in milliseconds (after that: stale=TRUE). */
    readonly lifetimeMs: number,
    secret?: string,
  ) {
    this.secret = secret ?? ids.token(32);
  }

  private mac(issuedAt: string, salt: string, bind: string): string {
    return createHmac('sha256', this.secret)
      .update(`${issuedAt}.${salt}.${this.realm}.${bind}`)
      .digest('hex')
      .slice(0, 32);
  }

  /** A fresh nonce; `bind` (e.g. the source address) must be presented again on checking. */
  mint(bind = ''): string {
    const issuedAt = Math.max(0, Math.floor(this.clock.now())).toString(36);
    const salt =
      this.ids
        .token(12)
        .replace(/[^A-Za-z0-9]/g, '')
        .slice(0, 64) || 'x';
    return `${issuedAt}.${salt}.${this.mac(issuedAt, salt, bind)}`;
  }

  check(nonce: string, bind = ''): NonceCheck {
    const m = NONCE.exec(nonce);
    if (!m) return { valid: false };
    if (!digestEquals(this.mac(m[1]!, m[2]!, bind), m[3]!)) return { valid: false };
    const issuedAt = Number.parseInt(m[1]!, 36);
    const age = this.clock.now() - issuedAt;
    // A nonce "from the future" can only come from a clock reset: treat it as expired.
    return { valid: true, issuedAt, expired: age < 0 || age > this.lifetimeMs };
  }
}
