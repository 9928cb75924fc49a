import { createHash } from 'node:crypto';

// The Digest computation of RFC 2617 §3.2.2.1-3 with the hash functions of RFC 7616 §3.2 and
// RFC 8760 (SHA-256 and SHA-512/256 in SIP). Pure functions: strings in, lower-case hex out.
//
//   HA1      = H(username ":" realm ":" password)
//   HA1-sess = H(HA1 ":" nonce ":" cnonce)                     (-sess algorithms, §3.2.2.2)
//   HA2      = H(method ":" digest-uri)                        (qop absent or "auth")
//   HA2      = H(method ":" digest-uri ":" H(entity-body))     (qop "auth-int", §3.2.2.3)
//   response = H(HA1 ":" nonce ":" nc ":" cnonce ":" qop ":" HA2)   (qop present)
//   response = H(HA1 ":" nonce ":" HA2)                             (RFC 2069 compatibility)

export type DigestAlgorithm =
  | 'MD5'
  | 'MD5-sess'
  | 'SHA-256'
  | 'SHA-256-sess'
  | 'SHA-512-256'
  | 'SHA-512-256-sess';
export type DigestQop = 'auth' | 'auth-int';

const HASH: Record<DigestAlgorithm, string> = {
  MD5: 'md5',
  'MD5-sess': 'md5',
  'SHA-256': 'sha256',
  'SHA-256-sess': 'sha256',
  'SHA-512-256': 'sha512-256',
  'SHA-512-256-sess': 'sha512-256',
};

/** Client preference, strongest first (RFC 7616 §3.7: pick the first one supported, best first). */
export const ALGORITHM_PREFERENCE: readonly DigestAlgorithm[] = [
  'SHA-512-256',
  'SHA-512-256-sess',
  'SHA-256',
  'SHA-256-sess',
  'MD5',
  'MD5-sess',
];

/** The algorithm named in a challenge or credentials (absent means MD5, RFC 2617 §3.2.1). */
export function parseAlgorithm(value: string | undefined): DigestAlgorithm | undefined {
  if (value === undefined) return 'MD5';
  const lower = value.toLowerCase();
  return (Object.keys(HASH) as DigestAlgorithm[]).find((a) => a.toLowerCase() === lower);
}

/** The algorithm that stored HA1 values are keyed by (-sess variants reuse the plain HA1). */
export function baseAlgorithm(algorithm: DigestAlgorithm): 'MD5' | 'SHA-256' | 'SHA-512-256' {
  return algorithm.replace(/-sess$/, '') as 'MD5' | 'SHA-256' | 'SHA-512-256';
}

export function isSessAlgorithm(algorithm: DigestAlgorithm): boolean {
  return algorithm.endsWith('-sess');
}

export function digestHash(algorithm: DigestAlgorithm, data: string | Buffer): string {
  return createHash(HASH[algorithm]).update(data).digest('hex');
}

/** HA1 as a registrar stores it instead of the password (RFC 3261 §22.4 last paragraph). */
export function computeHa1(
  algorithm: DigestAlgorithm,
  username: string,
  realm: string,
  password: string,
): string {
  return digestHash(algorithm, `${username}:${realm}:${password}`);
}

export interface DigestInput {
  algorithm: DigestAlgorithm;
  /** HA1 of the base algorithm (the -sess step is applied here). */
  ha1: string;
  nonce: string;
  method: string;
  digestUri: string;
  qop?: DigestQop;
  /** 8 lower-case hex digits (RFC 2617 §3.2.2); required with qop. */
  nc?: string;
  cnonce?: string;
  /** Entity body, for qop=auth-int. */
  body?: Buffer;
}

/** The request-digest of RFC 2617 §3.2.2.1. */
export function computeDigestResponse(input: DigestInput): string {
  const { algorithm } = input;
  const ha1 = isSessAlgorithm(algorithm)
    ? digestHash(algorithm, `${input.ha1}:${input.nonce}:${input.cnonce ?? ''}`)
    : input.ha1;
  const ha2 =
    input.qop === 'auth-int'
      ? digestHash(
          algorithm,
          `${input.method}:${input.digestUri}:${digestHash(algorithm, input.body ?? Buffer.alloc(0))}`,
        )
      : digestHash(algorithm, `${input.method}:${input.digestUri}`);
  if (input.qop === undefined) return digestHash(algorithm, `${ha1}:${input.nonce}:${ha2}`);
  return digestHash(
    algorithm,
    `${ha1}:${input.nonce}:${input.nc ?? ''}:${input.cnonce ?? ''}:${input.qop}:${ha2}`,
  );
}

/** nc as RFC 2617 §3.2.2 writes it: 8 hex digits. */
export function formatNonceCount(n: number): string {
  return (n >>> 0).toString(16).padStart(8, '0');
}

/** Constant-time comparison of two hex digests (no early exit on the first differing byte). */
export function digestEquals(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++)
    diff |= (x.charCodeAt(i) || 0) ^ (y.charCodeAt(i) || 0);
  return diff === 0;
}
