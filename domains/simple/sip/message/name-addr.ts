import type { Params } from './params.ts';
import type { Uri } from './uri.ts';

/**
 * `"Display" <uri>;tag=x` — the value of From, To, Contact, Route, Record-Route, Reply-To …
 * `params` are header parameters (outside the angle brackets), distinct from URI parameters
 * (RFC 4475 cparam01/cparam02).
 */
export interface NameAddr {
  /** Unquoted and unescaped display name, if any. */
  displayName?: string;
  uri: Uri;
  params: Params;
}

/** `Contact: *` (RFC 3261 §10.2.2, remove all bindings). */
export const WILDCARD_CONTACT = '*';
