import type { SipRequest } from '../message/sip-message.ts';
import { isSipUri, isTelUri, type Uri } from '../message/uri.ts';

// RFC 2617 §3.2.2 digest-uri: the Request-URI as it is written on the request line (RFC 3261
// §22.4 item 4 says the "uri" directive carries the Request-URI). Written from the URI model
// field by field, the same way the request line is written.

export function uriToString(uri: Uri): string {
  if (isSipUri(uri)) {
    let out = `${uri.scheme}:`;
    if (uri.user !== undefined)
      out += uri.password !== undefined ? `${uri.user}:${uri.password}@` : `${uri.user}@`;
    out += uri.host;
    if (uri.port !== undefined) out += `:${uri.port}`;
    out += uri.params.toString();
    if (uri.headers.length > 0) out += `?${uri.headers.map(([n, v]) => `${n}=${v}`).join('&')}`;
    return out;
  }
  if (isTelUri(uri)) return `tel:${uri.number}${uri.params.toString()}`;
  return `${uri.scheme}:${(uri as { opaque: string }).opaque}`;
}

export function requestDigestUri(request: SipRequest): string {
  return uriToString(request.uri);
}
