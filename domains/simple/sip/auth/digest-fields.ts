import { type AuthField, formatAuthField, parseAuthFields } from './auth-header.ts';
import { type DigestAlgorithm, type DigestQop, parseAlgorithm } from './digest-algorithm.ts';

// Typed Digest challenges (RFC 2617 §3.2.1, RFC 7616 §3.3) and credentials (RFC 2617 §3.2.2,
// RFC 7616 §3.4) on top of the generic auth-header codec. Non-Digest schemes, unknown algorithms
// and fields missing a mandatory directive are dropped here, never thrown about.

export interface DigestChallenge {
  realm: string;
  nonce: string;
  opaque?: string;
  algorithm: DigestAlgorithm;
  /** qop options we understand, in the server's order; empty when the challenge has no qop. */
  qop: DigestQop[];
  /** True when the challenge had a qop directive (even if none of its values is known). */
  qopOffered: boolean;
  /** RFC 2617 §3.2.1: TRUE means the previous nonce was stale, the credentials were fine. */
  stale: boolean;
  domain?: string;
}

export interface DigestCredentials {
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  response: string;
  algorithm: DigestAlgorithm;
  /** The algorithm directive as written (absent means MD5). */
  algorithmGiven: boolean;
  opaque?: string;
  qop?: DigestQop;
  /** 8 hex digits, required with qop. */
  nc?: string;
  cnonce?: string;
}

function isDigest(field: AuthField | undefined): field is AuthField {
  return field !== undefined && field.scheme.toLowerCase() === 'digest';
}

/** The usable Digest challenges among the header field values (WWW- or Proxy-Authenticate). */
export function parseDigestChallenges(values: readonly string[]): DigestChallenge[] {
  const out: DigestChallenge[] = [];
  for (const field of parseAuthFields(values)) {
    if (!isDigest(field)) continue;
    const p = field.params;
    const realm = p.get('realm');
    const nonce = p.get('nonce');
    const algorithm = parseAlgorithm(p.get('algorithm'));
    if (realm === undefined || nonce === undefined || algorithm === undefined) continue;
    const qopRaw = p.get('qop');
    const qop = (qopRaw ?? '')
      .split(',')
      .map((q) => q.trim().toLowerCase())
      .filter((q): q is DigestQop => q === 'auth' || q === 'auth-int');
    const challenge: DigestChallenge = {
      realm,
      nonce,
      algorithm,
      qop,
      qopOffered: qopRaw !== undefined,
      stale: (p.get('stale') ?? '').toLowerCase() === 'true',
    };
    const opaque = p.get('opaque');
    if (opaque !== undefined) challenge.opaque = opaque;
    const domain = p.get('domain');
    if (domain !== undefined) challenge.domain = domain;
    out.push(challenge);
  }
  return out;
}

export function formatDigestChallenge(c: DigestChallenge): string {
  return formatAuthField(
    'Digest',
    [
      ['realm', c.realm],
      ['domain', c.domain],
      ['nonce', c.nonce],
      ['opaque', c.opaque],
      ['stale', c.stale ? 'TRUE' : undefined],
      ['algorithm', c.algorithm],
      ['qop', c.qop.length > 0 ? c.qop.join(',') : undefined],
    ],
    'challenge',
  );
}

const NC = /^[0-9a-fA-F]{8}$/;

/** Digest credentials among the header field values; other schemes (regaut01) are skipped. */
export function parseDigestCredentials(values: readonly string[]): DigestCredentials[] {
  const out: DigestCredentials[] = [];
  for (const field of parseAuthFields(values)) {
    if (!isDigest(field)) continue;
    const p = field.params;
    const username = p.get('username');
    const realm = p.get('realm');
    const nonce = p.get('nonce');
    const uri = p.get('uri');
    const response = p.get('response');
    const algorithm = parseAlgorithm(p.get('algorithm'));
    if (!username || realm === undefined || !nonce || uri === undefined || !response || !algorithm) continue;
    const credentials: DigestCredentials = {
      username,
      realm,
      nonce,
      uri,
      response,
      algorithm,
      algorithmGiven: p.has('algorithm'),
    };
    const qop = p.get('qop')?.toLowerCase();
    if (qop !== undefined) {
      const nc = p.get('nc');
      const cnonce = p.get('cnonce');
      // RFC 2617 §3.2.2: with qop, cnonce and nc MUST be present.
      if ((qop !== 'auth' && qop !== 'auth-int') || nc === undefined || !NC.test(nc) || !cnonce) continue;
      credentials.qop = qop;
      credentials.nc = nc.toLowerCase();
      credentials.cnonce = cnonce;
    }
    const opaque = p.get('opaque');
    if (opaque !== undefined) credentials.opaque = opaque;
    out.push(credentials);
  }
  return out;
}

export function formatDigestCredentials(c: DigestCredentials): string {
  return formatAuthField(
    'Digest',
    [
      ['username', c.username],
      ['realm', c.realm],
      ['nonce', c.nonce],
      ['uri', c.uri],
      ['response', c.response],
      ['algorithm', c.algorithmGiven || c.algorithm !== 'MD5' ? c.algorithm : undefined],
      ['cnonce', c.cnonce],
      ['opaque', c.opaque],
      ['qop', c.qop],
      ['nc', c.nc],
    ],
    'credentials',
  );
}
