import type { Clock } from '../../../../common/clock.ts';
import type { IdSource } from '../../../../common/ids.ts';
import type { SipRequest } from '../message/sip-message.ts';
import { isSipUri, type Uri } from '../message/uri.ts';
import { parseUri } from '../message/uri-codec.ts';
import {
  baseAlgorithm,
  computeDigestResponse,
  computeHa1,
  type DigestAlgorithm,
  digestEquals,
} from './digest-algorithm.ts';
import { type DigestCredentials, formatDigestChallenge, parseDigestCredentials } from './digest-fields.ts';
import { requestDigestUri } from './digest-uri.ts';
import { NonceMinter } from './nonce-minter.ts';

// UAS/registrar (401 + WWW-Authenticate, RFC 3261 §22.2) and proxy (407 + Proxy-Authenticate,
// §22.3) side of Digest. Passwords are never held: the store hands out HA1 per base algorithm
// (RFC 3261 §22.4 last paragraph; Kamailio's `ha1`/`ha1b` columns). Nonces are stateless
// (nonce-minter.ts); the only state is the nc values seen per live nonce, for replay detection.

export type BaseAlgorithm = 'MD5' | 'SHA-256' | 'SHA-512-256';

export interface Ha1Store {
  lookupHa1(username: string, realm: string, algorithm: BaseAlgorithm): string | undefined;
}

/** An in-memory HA1 table; `addUser` hashes the password and drops it. */
export class MemoryHa1Store implements Ha1Store {
  private readonly table = new Map<string, string>();

  addUser(username: string, realm: string, password: string): this {
    for (const a of ['MD5', 'SHA-256', 'SHA-512-256'] as const)
      this.addHa1(username, realm, a, computeHa1(a, username, realm, password));
    return this;
  }

  addHa1(username: string, realm: string, algorithm: BaseAlgorithm, ha1: string): this {
    this.table.set(`${algorithm}\u0000${realm}\u0000${username}`, ha1.toLowerCase());
    return this;
  }

  lookupHa1(username: string, realm: string, algorithm: BaseAlgorithm): string | undefined {
    return this.table.get(`${algorithm}\u0000${realm}\u0000${username}`);
  }
}

export type AuthenticatorRole = 'uas' | 'proxy';

export interface DigestAuthenticatorOptions {
  realm: string;
  store: Ha1Store;
  clock: Clock;
  ids: IdSource;
  /** 'uas' (registrar, presence agent): 401 / WWW-Authenticate; 'proxy': 407 / Proxy-Authenticate. */
  role?: AuthenticatorRole;
  /** Offered in this order, one challenge each (RFC 8760 §2.4: most preferred first). */
  algorithms?: DigestAlgorithm[];
  /** Nonce lifetime in ms; older nonces get `stale=TRUE` (default 300 s). */
  nonceLifetimeMs?: number;
  /** HMAC key for nonces; random per instance when absent. */
  secret?: string;
  /** Accept RFC 2069 credentials without qop (no replay protection possible); default false. */
  allowNoQop?: boolean;
  /** Most nonces whose nc values are remembered (oldest dropped first). */
  maxTrackedNonces?: number;
  /** How the `uri` directive is compared with the Request-URI (default 'equivalent'). */
  digestUriCheck?: 'exact' | 'equivalent' | 'off';
}

export type AuthFailure =
  | 'missing'
  | 'unknown-user'
  | 'algorithm'
  | 'bad-nonce'
  | 'bad-response'
  | 'stale'
  | 'replay'
  | 'no-qop'
  | 'uri-mismatch';

export interface ChallengeField {
  name: 'WWW-Authenticate' | 'Proxy-Authenticate';
  value: string;
}

export type AuthResult =
  | { ok: true; user: string; realm: string; algorithm: DigestAlgorithm }
  | {
      ok: false;
      /** 401/407 with challenges, or 400 when the digest-uri is not the Request-URI. */
      status: 400 | 401 | 407;
      reason: string;
      failure: AuthFailure;
      /** Challenge header fields to put on the response (empty for 400). */
      headers: ChallengeField[];
    };

export class DigestAuthenticator {
  readonly realm: string;
  readonly role: AuthenticatorRole;
  private readonly store: Ha1Store;
  private readonly minter: NonceMinter;
  private readonly algorithms: DigestAlgorithm[];
  private readonly allowNoQop: boolean;
  private readonly maxTracked: number;
  private readonly clock: Clock;
  private readonly uriCheck: 'exact' | 'equivalent' | 'off';
  /** nonce → nc values seen (RFC 2617 §3.2.2: the server detects replays by nc). */
  private readonly seen = new Map<string, { issuedAt: number; nc: Set<string> }>();

  constructor(options: DigestAuthenticatorOptions) {
    this.realm = options.realm;
    this.role = options.role ?? 'uas';
    this.store = options.store;
    this.algorithms = options.algorithms ?? ['SHA-256', 'MD5'];
    this.allowNoQop = options.allowNoQop ?? false;
    this.maxTracked = options.maxTrackedNonces ?? 10_000;
    this.clock = options.clock;
    this.uriCheck = options.digestUriCheck ?? 'equivalent';
    this.minter = new NonceMinter(
      options.clock,
      options.ids,
      this.realm,
      options.nonceLifetimeMs ?? 300_000,
      options.secret,
    );
  }

  /** Challenge header fields with a fresh nonce. */
  challenge(stale = false, bind = ''): ChallengeField[] {
    const nonce = this.minter.mint(bind);
    const name = this.role === 'proxy' ? 'Proxy-Authenticate' : 'WWW-Authenticate';
    return this.algorithms.map((algorithm) => ({
      name,
      value: formatDigestChallenge({
        realm: this.realm,
        nonce,
        algorithm,
        qop: ['auth'],
        qopOffered: true,
        stale,
      }),
    }));
  }

  /**
   * Checks the request's credentials for our realm. `bind` must be what the nonce was minted
   * with (e.g. the source address) when the caller binds nonces to it.
   */
  authenticate(request: SipRequest, bind = ''): AuthResult {
    const header = this.role === 'proxy' ? 'Proxy-Authorization' : 'Authorization';
    // Credentials for other realms or other schemes (RFC 4475 regaut01) are ignored.
    const mine = parseDigestCredentials(request.headers.getFields(header)).filter(
      (c) => c.realm === this.realm,
    );
    const credentials = mine[0];
    if (!credentials) return this.fail('missing', false, bind);
    if (!this.algorithms.includes(credentials.algorithm)) return this.fail('algorithm', false, bind);
    if (credentials.qop === undefined && !this.allowNoQop) return this.fail('no-qop', false, bind);
    const nonce = this.minter.check(credentials.nonce, bind);
    if (!nonce.valid) return this.fail('bad-nonce', false, bind);
    // RFC 2617 §3.2.2.5: the digest-uri must name the Request-URI; a mismatch is a 400.
    if (!this.digestUriMatches(credentials.uri, request)) {
      return {
        ok: false,
        status: 400,
        reason: 'Bad Request - digest uri mismatch',
        failure: 'uri-mismatch',
        headers: [],
      };
    }
    const ha1 = this.store.lookupHa1(credentials.username, this.realm, baseAlgorithm(credentials.algorithm));
    if (ha1 === undefined) return this.fail('unknown-user', false, bind);
    if (!digestEquals(this.expected(request, credentials, ha1), credentials.response)) {
      return this.fail('bad-response', false, bind);
    }
    // Right password, old nonce: RFC 2617 §3.2.1 stale=TRUE lets the UA retry without asking the user.
    if (nonce.expired) return this.fail('stale', true, bind);
    if (
      credentials.nc !== undefined &&
      !this.recordNonceCount(credentials.nonce, nonce.issuedAt, credentials.nc)
    ) {
      return this.fail('replay', true, bind);
    }
    return { ok: true, user: credentials.username, realm: this.realm, algorithm: credentials.algorithm };
  }

  /**
   * Exact text, or (default, `digestUriCheck: 'equivalent'`) the same scheme, user, host and port
   * with 5060/5061 standing in for an absent port and URI parameters ignored: SIPp 3.6, for one,
   * writes `uri="sip:host:5060"` for a `sip:host` Request-URI (docs/interop.md).
   */
  private digestUriMatches(uri: string, request: SipRequest): boolean {
    if (this.uriCheck === 'off' || uri === requestDigestUri(request)) return true;
    if (this.uriCheck === 'exact') return false;
    let given: Uri;
    try {
      given = parseUri(uri);
    } catch {
      return false;
    }
    const target = request.uri;
    if (!isSipUri(given) || !isSipUri(target) || given.scheme !== target.scheme) return false;
    const defaultPort = given.scheme === 'sips' ? 5061 : 5060;
    return (
      (given.user ?? '') === (target.user ?? '') &&
      given.host.toLowerCase() === target.host.toLowerCase() &&
      (given.port ?? defaultPort) === (target.port ?? defaultPort)
    );
  }

  private expected(request: SipRequest, c: DigestCredentials, ha1: string): string {
    return computeDigestResponse({
      algorithm: c.algorithm,
      ha1,
      nonce: c.nonce,
      method: request.method,
      digestUri: c.uri,
      body: request.body,
      ...(c.qop !== undefined ? { qop: c.qop, nc: c.nc!, cnonce: c.cnonce! } : {}),
    });
  }

  /** False when this nc was already used with this nonce. */
  private recordNonceCount(nonce: string, issuedAt: number, nc: string): boolean {
    let entry = this.seen.get(nonce);
    if (!entry) {
      entry = { issuedAt, nc: new Set() };
      this.seen.set(nonce, entry);
      this.prune();
    }
    if (entry.nc.has(nc)) return false;
    // A UA sends a few requests per nonce; a flood of nc values on one nonce is cut short.
    if (entry.nc.size >= 1024) return false;
    entry.nc.add(nc);
    return true;
  }

  /** Drops entries of expired nonces (and the oldest beyond the cap): a replay of those gets stale anyway. */
  private prune(): void {
    const now = this.clock.now();
    for (const [nonce, entry] of this.seen) {
      const expired = now - entry.issuedAt > this.minter.lifetimeMs;
      if (!expired && this.seen.size <= this.maxTracked) break;
      this.seen.delete(nonce);
    }
  }

  private fail(failure: AuthFailure, stale: boolean, bind: string): AuthResult {
    const proxy = this.role === 'proxy';
    return {
      ok: false,
      status: proxy ? 407 : 401,
      reason: proxy ? 'Proxy Authentication Required' : 'Unauthorized',
      failure,
      headers: this.challenge(stale, bind),
    };
  }
}
