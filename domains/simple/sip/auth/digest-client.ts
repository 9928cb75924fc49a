import type { IdSource } from '../../../../common/ids.ts';
import type { SipRequest, SipResponse } from '../message/sip-message.ts';
import {
  ALGORITHM_PREFERENCE,
  baseAlgorithm,
  computeDigestResponse,
  computeHa1,
  type DigestAlgorithm,
  type DigestQop,
  formatNonceCount,
} from './digest-algorithm.ts';
import {
  type DigestChallenge,
  type DigestCredentials,
  formatDigestCredentials,
  parseDigestChallenges,
  parseDigestCredentials,
} from './digest-fields.ts';
import { requestDigestUri } from './digest-uri.ts';

// UAC side of RFC 3261 §22.2 (401, UAS/registrar) and §22.3 (407, proxy): answer a challenge by
// resending the request with credentials. Pure: the caller owns the request and the transaction;
// this returns the header fields to put on the retried request.

export type AuthorizationHeaderName = 'Authorization' | 'Proxy-Authorization';

export interface AuthorizationField {
  name: AuthorizationHeaderName;
  value: string;
  realm: string;
}

/** What the user knows. An HA1 per base algorithm can stand in for the password. */
export interface DigestUserCredentials {
  username: string;
  password?: string;
  ha1?: Partial<Record<'MD5' | 'SHA-256' | 'SHA-512-256', string>>;
  /** Only answer challenges of this realm (RFC 3261 §22.1: credentials are per realm). */
  realm?: string;
}

interface NonceUse {
  nc: number;
  challenge: DigestChallenge;
  name: AuthorizationHeaderName;
}

/**
 * Per-UA memory of the nonces in use: the nonce count per nonce (RFC 2617 §3.2.2: nc counts
 * the requests sent with one nonce) and the last challenge per realm for pre-emptive use.
 */
export class DigestClientState {
  private readonly nonces = new Map<string, NonceUse>();
  private readonly byRealm = new Map<string, string>();

  constructor(
    readonly ids: IdSource,
    private readonly maxNonces = 64,
  ) {}

  /** The next nc for this nonce, as 8 hex digits. */
  nextNonceCount(challenge: DigestChallenge, name: AuthorizationHeaderName): string {
    let use = this.nonces.get(challenge.nonce);
    if (!use) {
      use = { nc: 0, challenge, name };
      this.nonces.set(challenge.nonce, use);
      const previous = this.byRealm.get(challenge.realm);
      if (previous !== undefined && previous !== challenge.nonce) this.nonces.delete(previous);
      this.byRealm.set(challenge.realm, challenge.nonce);
      // Bounded: the oldest nonce goes first (Map keeps insertion order).
      while (this.nonces.size > this.maxNonces) this.nonces.delete(this.nonces.keys().next().value!);
    }
    use.nc++;
    return formatNonceCount(use.nc);
  }

  /** The last challenge seen for each realm, for pre-emptive credentials on the next request. */
  cachedChallenges(): Array<{ challenge: DigestChallenge; name: AuthorizationHeaderName }> {
    const out: Array<{ challenge: DigestChallenge; name: AuthorizationHeaderName }> = [];
    for (const nonce of this.byRealm.values()) {
      const use = this.nonces.get(nonce);
      if (use) out.push({ challenge: use.challenge, name: use.name });
    }
    return out;
  }

  /** Forgets a realm's nonce (after it was refused). */
  forgetRealm(realm: string): void {
    const nonce = this.byRealm.get(realm);
    if (nonce !== undefined) this.nonces.delete(nonce);
    this.byRealm.delete(realm);
  }
}

function ha1For(
  credentials: DigestUserCredentials,
  algorithm: DigestAlgorithm,
  realm: string,
): string | undefined {
  const base = baseAlgorithm(algorithm);
  if (credentials.password !== undefined)
    return computeHa1(base, credentials.username, realm, credentials.password);
  return credentials.ha1?.[base];
}

/** Strongest usable challenge per realm, in the order the realms first appear. */
function pickChallenges(
  challenges: DigestChallenge[],
  credentials: DigestUserCredentials,
): DigestChallenge[] {
  const best = new Map<string, DigestChallenge>();
  for (const c of challenges) {
    if (credentials.realm !== undefined && c.realm !== credentials.realm) continue;
    // A challenge with only unknown qop values cannot be answered (RFC 2617 §3.2.2: qop MUST be one offered).
    if (c.qopOffered && c.qop.length === 0) continue;
    if (credentials.password === undefined && credentials.ha1?.[baseAlgorithm(c.algorithm)] === undefined)
      continue;
    const current = best.get(c.realm);
    if (
      !current ||
      ALGORITHM_PREFERENCE.indexOf(c.algorithm) < ALGORITHM_PREFERENCE.indexOf(current.algorithm)
    ) {
      best.set(c.realm, c);
    }
  }
  return [...best.values()];
}

/** Builds one credentials value for a challenge (also used pre-emptively). */
export function buildCredentials(
  request: SipRequest,
  challenge: DigestChallenge,
  credentials: DigestUserCredentials,
  state: DigestClientState,
  name: AuthorizationHeaderName,
  digestUri = requestDigestUri(request),
): AuthorizationField | undefined {
  const ha1 = ha1For(credentials, challenge.algorithm, challenge.realm);
  if (ha1 === undefined) return undefined;
  // Prefer qop=auth; auth-int only when it is all the server offers (RFC 2617 §3.2.1).
  const qop: DigestQop | undefined = challenge.qop.includes('auth') ? 'auth' : challenge.qop[0];
  const answer: DigestCredentials = {
    username: credentials.username,
    realm: challenge.realm,
    nonce: challenge.nonce,
    uri: digestUri,
    response: '',
    algorithm: challenge.algorithm,
    algorithmGiven: true,
  };
  if (qop !== undefined) {
    answer.qop = qop;
    answer.nc = state.nextNonceCount(challenge, name);
    answer.cnonce = state.ids.token(16);
  } else {
    state.nextNonceCount(challenge, name);
  }
  if (challenge.opaque !== undefined) answer.opaque = challenge.opaque;
  const input = {
    algorithm: challenge.algorithm,
    ha1,
    nonce: challenge.nonce,
    method: request.method,
    digestUri,
    body: request.body,
    ...(qop !== undefined ? { qop, nc: answer.nc!, cnonce: answer.cnonce! } : {}),
  };
  answer.response = computeDigestResponse(input);
  return { name, value: formatDigestCredentials(answer), realm: challenge.realm };
}

/**
 * Answers a 401/407: returns the credentials to add to the retried request (new CSeq, same
 * Call-ID and From tag, RFC 3261 §22.2), or undefined when it cannot or must not be answered —
 * no usable Digest challenge, or the request already carried our credentials for that realm and
 * the server did not say `stale=TRUE` (wrong password: retrying would loop, §22.2 last para).
 */
export function answerChallenge(
  request: SipRequest,
  response: SipResponse,
  credentials: DigestUserCredentials,
  state: DigestClientState,
): AuthorizationField[] | undefined {
  const name: AuthorizationHeaderName | undefined =
    response.status === 401 ? 'Authorization' : response.status === 407 ? 'Proxy-Authorization' : undefined;
  if (!name) return undefined;
  const challengeHeader = name === 'Authorization' ? 'WWW-Authenticate' : 'Proxy-Authenticate';
  const chosen = pickChallenges(
    parseDigestChallenges(response.headers.getFields(challengeHeader)),
    credentials,
  );
  if (chosen.length === 0) return undefined;
  const alreadySent = new Set(
    parseDigestCredentials(request.headers.getFields(name))
      .filter((c) => c.username === credentials.username)
      .map((c) => c.realm),
  );
  const out: AuthorizationField[] = [];
  for (const challenge of chosen) {
    if (alreadySent.has(challenge.realm) && !challenge.stale) {
      state.forgetRealm(challenge.realm);
      return undefined;
    }
    const field = buildCredentials(request, challenge, credentials, state, name);
    if (field) out.push(field);
  }
  return out.length > 0 ? out : undefined;
}

/**
 * Puts the fields on a request: drops earlier credentials for the same realms (a retry replaces
 * them) and appends the new ones. Mutates `request.headers`.
 */
export function applyAuthorization(request: SipRequest, fields: readonly AuthorizationField[]): void {
  for (const name of ['Authorization', 'Proxy-Authorization'] as const) {
    const realms = new Set(fields.filter((f) => f.name === name).map((f) => f.realm));
    if (realms.size === 0) continue;
    const kept = request.headers
      .getFields(name)
      .filter((v) => !parseDigestCredentials([v]).some((c) => realms.has(c.realm)));
    request.headers.delete(name);
    for (const v of kept) request.headers.append(name, v);
  }
  for (const f of fields) request.headers.append(f.name, f.value);
}

/** Pre-emptive credentials from the cached nonces (e.g. for a REGISTER refresh, RFC 3261 §22.1). */
export function preemptiveAuthorization(
  request: SipRequest,
  credentials: DigestUserCredentials,
  state: DigestClientState,
): AuthorizationField[] {
  const out: AuthorizationField[] = [];
  for (const { challenge, name } of state.cachedChallenges()) {
    if (credentials.realm !== undefined && challenge.realm !== credentials.realm) continue;
    const field = buildCredentials(request, challenge, credentials, state, name);
    if (field) out.push(field);
  }
  return out;
}
