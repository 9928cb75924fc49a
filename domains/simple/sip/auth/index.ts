// Digest authentication (RFC 3261 §22, RFC 2617, RFC 7616, RFC 8760): header codec, the
// computation, the UAC helper and the UAS/proxy authenticator.
export { AUTH_HEADER_LIMITS, type AuthField, formatAuthField, parseAuthFields } from './auth-header.ts';
export {
  ALGORITHM_PREFERENCE,
  baseAlgorithm,
  computeDigestResponse,
  computeHa1,
  type DigestAlgorithm,
  type DigestInput,
  type DigestQop,
  digestHash,
  formatNonceCount,
  parseAlgorithm,
} from './digest-algorithm.ts';
export {
  type AuthenticatorRole,
  type AuthFailure,
  type AuthResult,
  type BaseAlgorithm,
  type ChallengeField,
  DigestAuthenticator,
  type DigestAuthenticatorOptions,
  type Ha1Store,
  MemoryHa1Store,
} from './digest-authenticator.ts';
export {
  type AuthorizationField,
  type AuthorizationHeaderName,
  answerChallenge,
  applyAuthorization,
  buildCredentials,
  DigestClientState,
  type DigestUserCredentials,
  preemptiveAuthorization,
} from './digest-client.ts';
export {
  type DigestChallenge,
  type DigestCredentials,
  formatDigestChallenge,
  formatDigestCredentials,
  parseDigestChallenges,
  parseDigestCredentials,
} from './digest-fields.ts';
export { requestDigestUri } from './digest-uri.ts';
export { type NonceCheck, NonceMinter } from './nonce-minter.ts';
