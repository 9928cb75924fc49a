import { decodeSipMessage } from '../../domains/simple/sip/message/decode.ts';
import type { SipRequest, SipResponse } from '../../domains/simple/sip/message/sip-message.ts';

// Builds model messages from readable text for tests (lines joined with CRLF, Content-Length
// computed), through the real decoder so tests never hand-assemble the model.

export function sipBytes(lines: string[], body = ''): Buffer {
  const head = lines.filter((l) => !/^content-length\s*:/i.test(l));
  return Buffer.from(`${head.join('\r\n')}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}

export function sipRequest(lines: string[], body = ''): SipRequest {
  const r = decodeSipMessage(sipBytes(lines, body), { datagram: true });
  if (!r.ok) throw new Error(`test request does not decode: ${r.error.code}`);
  if (r.message.kind !== 'request') throw new Error('not a request');
  return r.message;
}

export function sipResponse(lines: string[], body = ''): SipResponse {
  const r = decodeSipMessage(sipBytes(lines, body), { datagram: true });
  if (!r.ok) throw new Error(`test response does not decode: ${r.error.code}`);
  if (r.message.kind !== 'response') throw new Error('not a response');
  return r.message;
}

let n = 0;
/** A MESSAGE without Via (the transaction layer adds its own). */
export function messageRequest(
  to = 'sip:jane@127.0.0.2',
  from = 'sip:harry@127.0.0.1',
  body = 'hello',
): SipRequest {
  n++;
  const request = sipRequest(
    [
      `MESSAGE ${to} SIP/2.0`,
      'Max-Forwards: 70',
      `From: <${from}>;tag=f${n}`,
      `To: <${to}>`,
      `Call-ID: call-${n}@test`,
      `CSeq: ${n} MESSAGE`,
      'Content-Type: text/plain',
      'Via: SIP/2.0/UDP 127.0.0.99:5060;branch=z9hG4bKplaceholder',
    ],
    body,
  );
  request.headers.delete('Via');
  return request;
}
