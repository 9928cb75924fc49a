import type { Params } from './params.ts';

/** One Via header value: `SIP/2.0/UDP host:port;branch=z9hG4bK…;rport;received=…`. */
export interface Via {
  /** `SIP/2.0` in every case we accept; kept for round-trips. */
  protocol: string;
  /** UDP, TCP, TLS, SCTP, WS … or an unknown token (RFC 4475 transports), upper-cased. */
  transport: string;
  host: string;
  port?: number;
  params: Params;
}

/** RFC 3261 §8.1.1.7: branches of RFC 3261 transactions start with this magic cookie. */
export const BRANCH_MAGIC_COOKIE = 'z9hG4bK';
