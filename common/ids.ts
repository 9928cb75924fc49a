import { randomBytes } from 'node:crypto';

// Identifiers the protocols need to be unique (branch, tag, Call-ID, ETag, TransactionID,
// SessionCookie). Injected like the Clock so tests can make them predictable.
export interface IdSource {
  /** A URL- and token-safe random string of `length` characters. */
  token(length?: number): string;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const POOL_SIZE = 4096;

/** Random ids from a pooled CSPRNG buffer: one syscall per few hundred ids on hot paths. */
export class RandomIdSource implements IdSource {
  private pool = randomBytes(POOL_SIZE);
  private offset = 0;

  token(length = 16): string {
    if (this.offset + length > POOL_SIZE) {
      this.pool = randomBytes(POOL_SIZE);
      this.offset = 0;
    }
    let out = '';
    for (let i = 0; i < length; i++) out += ALPHABET[this.pool[this.offset++]! % 62];
    return out;
  }
}

/** Deterministic ids for tests: prefix + counter. */
export class SequentialIdSource implements IdSource {
  private n = 0;
  constructor(private readonly prefix = 'id') {}
  token(): string {
    return `${this.prefix}${++this.n}`;
  }
}

export const randomIds: IdSource = new RandomIdSource();
