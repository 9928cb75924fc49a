import type { IdSource } from '../../../../common/ids.ts';
import { SipHeaders, type SipRequest, SipResponse } from '../message/sip-message.ts';

// RFC 3261 §8.2.6.2: a response copies From, Call-ID, CSeq and every Via (in order) of the
// request, and To with a tag added "with the exception of 100 (Trying)". The layer needs this for
// the answers it gives on its own (408/503 synthesized, 501, 481, 200 to CANCEL, 487, 100).

const COPIED = ['Via', 'From', 'To', 'Call-ID', 'CSeq'] as const;

/** Appends `;tag=` to a To value that has none (textual: the value may be all we have). */
export function withToTag(to: string, tag: string): string {
  return /;\s*tag\s*=/i.test(to) ? to : `${to};tag=${tag}`;
}

export function createResponse(
  request: SipRequest,
  status: number,
  reason: string,
  ids: IdSource,
  toTag?: string,
): SipResponse {
  const headers = new SipHeaders();
  for (const name of COPIED) {
    for (const value of request.headers.getFields(name)) {
      headers.append(name, name === 'To' && status > 100 ? withToTag(value, toTag ?? ids.token(10)) : value);
    }
  }
  return new SipResponse(status, reason, headers);
}
