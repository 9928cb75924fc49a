import type { IdSource } from '../../../../common/ids.ts';
import { type HeaderField, SipHeaders, type SipRequest, SipResponse } from '../message/sip-message.ts';

// RFC 3261 §8.2.6.2: a response copies From, Call-ID, CSeq and every Via (in order) of the
// request, and To with a tag added "with the exception of 100 (Trying)". The layer needs this for
// the answers it gives on its own (408/503 synthesized, 501, 481, 200 to CANCEL, 487, 100).

/** The copied headers, in the order the response lists them (lower-case → slot). */
const COPIED = new Map([
  ['via', 0],
  ['from', 1],
  ['to', 2],
  ['call-id', 3],
  ['cseq', 4],
]);

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
  // One pass over the request's fields, grouped as Via, From, To, Call-ID, CSeq with each
  // group in request order (Via order is what matters, §8.2.6.2). Names are already canonical,
  // so the fields are taken over without re-normalising them.
  const slots: HeaderField[][] = [[], [], [], [], []];
  for (const f of request.headers.all) {
    const slot = COPIED.get(f.name.toLowerCase());
    if (slot === undefined) continue;
    const value = slot === 2 && status > 100 ? withToTag(f.value, toTag ?? ids.token(10)) : f.value;
    slots[slot]!.push({ name: f.name, value });
  }
  const fields = slots.flat();
  return new SipResponse(status, reason, new SipHeaders(fields));
}
