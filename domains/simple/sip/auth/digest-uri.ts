import type { SipRequest } from '../message/sip-message.ts';
import { formatUri } from '../message/uri-codec.ts';

// RFC 2617 §3.2.2 digest-uri: RFC 3261 §22.4 item 4 says the "uri" directive carries the
// Request-URI, written exactly as on the request line (escapes as stored, so both sides agree).
export function requestDigestUri(request: SipRequest): string {
  return formatUri(request.uri);
}
