import type { Params } from './params.ts';

// URI model for the schemes SIP carries. sip:/sips: and tel: are parsed into parts; any other
// scheme (pres:, im:, http:, urn: …) is kept as an opaque absolute URI, as RFC 3261 §19.1 and
// §25.1 (absoluteURI) allow.
//
// Escapes: `user`, `password`, parameter values and header values are stored exactly as they
// appeared on the wire (still %-escaped). Comparison unescapes once; nothing is unescaped twice
// (RFC 4475 esc01: `value%41` must stay distinct from `valueA` only where the RFC says so).

export interface SipUri {
  readonly scheme: 'sip' | 'sips';
  user?: string;
  password?: string;
  /** Host as written: a hostname, an IPv4 address, or an IPv6 reference in brackets. */
  host: string;
  port?: number;
  params: Params;
  /** `?name=value&…` header part, raw (escaped) values. */
  headers: Array<[string, string]>;
}

export interface TelUri {
  readonly scheme: 'tel';
  /** The telephone-subscriber number, e.g. `+358401234567` or a local number. */
  number: string;
  params: Params;
}

export interface AbsoluteUri {
  readonly scheme: string;
  /** Everything after `scheme:`. */
  opaque: string;
}

export type Uri = SipUri | TelUri | AbsoluteUri;

export function isSipUri(uri: Uri): uri is SipUri {
  return uri.scheme === 'sip' || uri.scheme === 'sips';
}

export function isTelUri(uri: Uri): uri is TelUri {
  return uri.scheme === 'tel';
}

export function isAbsoluteUri(uri: Uri): uri is AbsoluteUri {
  return !isSipUri(uri) && !isTelUri(uri);
}
