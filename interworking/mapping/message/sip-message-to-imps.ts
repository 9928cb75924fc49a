// SIMPLE → IMPS instant message: an incoming MESSAGE (RFC 3428) for an IMPS user becomes the
// SendMessage-Request the IWF forwards to PS1 over SSP (PS1 pushes it as NewMessage), or an IMDN
// to turn into a DeliveryReport, or nothing (isComposing). Rows IN1–IN7 of MESSAGE_ROWS.
// Pure: the MESSAGE's parts in, a CSP value or the SIP refusal out.
import { CPIM_CONTENT_TYPE, type CpimMessage, parseCpim } from '../../../domains/simple/payloads/cpim.ts';
import {
  IMDN_CONTENT_TYPE,
  type Imdn,
  type ImdnRequest,
  parseImdn,
  readImdnRequest,
} from '../../../domains/simple/payloads/imdn.ts';
import { formatMediaType, headerValue, parseMediaType } from '../../../domains/simple/payloads/mime.ts';
import { sipToImps } from '../address.ts';
import type { SendMessageRequest, SipRefusal } from './message-types.ts';

export interface IncomingMessage {
  /** SIP From URI (the authenticated sender). */
  from: string;
  /** Request-URI or To: the IMPS recipient's SIP identity. */
  to: string;
  contentType?: string;
  body: Buffer;
}

export interface IncomingOptions {
  /** The recipient's AcceptedContentType list (CapabilityList, imps.md §2.3); absent = anything. */
  acceptedContentTypes?: readonly string[];
  /** tel: senders need a domain (address row S4). */
  defaultDomain?: string;
}

export type MappedIncoming =
  | { kind: 'message'; request: SendMessageRequest; imdn?: ImdnRequest; rows: string[] }
  | { kind: 'imdn'; imdn: Imdn; rows: string[] }
  | { kind: 'ignored'; rows: string[] }
  | { kind: 'refused'; refusal: SipRefusal; rows: string[] };

const refuse = (status: number, reason: string, rows: string[], accept?: string): MappedIncoming => ({
  kind: 'refused',
  refusal: accept === undefined ? { status, reason } : { status, reason, accept },
  rows: [...rows, 'IN7'],
});

/** Text → ContentData in its declared charset (RFC 2046 §4.1.2; RFC 3428 §8 recommends UTF-8). */
function decodeText(body: Buffer, charset: string | undefined): string | SipRefusal {
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(charset ?? 'utf-8', { fatal: true });
  } catch {
    return { status: 415, reason: `Unsupported charset ${charset}`, accept: 'text/plain;charset=UTF-8' };
  }
  try {
    return decoder.decode(body);
  } catch {
    return { status: 400, reason: `Body is not valid ${charset ?? 'UTF-8'}` };
  }
}

export function sipMessageToImps(msg: IncomingMessage, options: IncomingOptions = {}): MappedIncoming {
  const rows: string[] = [];
  const media = parseMediaType(msg.contentType ?? 'text/plain');
  if (!media) return refuse(400, 'Malformed Content-Type', rows);
  let type = media;
  let body = msg.body;
  let cpim: CpimMessage | undefined;
  if (media.type === CPIM_CONTENT_TYPE) {
    const parsed = parseCpim(msg.body);
    if (!parsed.ok) return refuse(400, 'Malformed CPIM', rows);
    cpim = parsed.value;
    const inner = parseMediaType(headerValue(cpim.contentHeaders, 'Content-Type') ?? '');
    if (!inner) return refuse(400, 'CPIM content has no Content-Type', rows);
    // RFC 5438 §7.1: a disposition notification, not a message for the user.
    if (inner.type === IMDN_CONTENT_TYPE) {
      const imdn = parseImdn(cpim.body);
      if (!imdn.ok) return refuse(400, 'Malformed IMDN', rows);
      return { kind: 'imdn', imdn: imdn.value, rows: ['IN5'] };
    }
    type = inner;
    body = cpim.body;
    rows.push('IN3');
  }
  if (type.type === 'application/im-iscomposing+xml') return { kind: 'ignored', rows: ['IN6'] };
  if (body.length === 0) return refuse(400, 'Empty message', rows);
  const accepted = options.acceptedContentTypes;
  if (accepted && !accepted.some((a) => a.toLowerCase() === type.type || a === '*/*')) {
    return refuse(415, 'Unsupported Media Type', rows, accepted.join(', '));
  }
  const sender = sipToImps(msg.from, options.defaultDomain ? { defaultDomain: options.defaultDomain } : {});
  const recipient = sipToImps(msg.to);
  if (!sender.ok) return refuse(400, 'Sender not addressable in IMPS', rows);
  if (!recipient.ok) return refuse(404, 'Not Found', rows);

  const info: NonNullable<SendMessageRequest['messageInfo']> = {
    contentSize: 0,
    recipient: { users: [{ userId: recipient.value }] },
    sender: { user: { userId: sender.value } },
  };
  let contentData: string;
  if (type.type.startsWith('text/')) {
    const text = decodeText(body, type.params.charset);
    if (typeof text !== 'string') return refuse(text.status, text.reason, rows, text.accept);
    const { charset: _label, ...params } = type.params;
    info.contentType = formatMediaType({ type: type.type, params });
    contentData = text;
    info.contentSize = Buffer.byteLength(text, 'utf8');
    rows.push('IN1');
  } else {
    info.contentType = formatMediaType(type);
    info.contentEncoding = 'BASE64';
    contentData = body.toString('base64');
    info.contentSize = body.length;
    rows.push('IN2');
  }
  if (cpim?.dateTime !== undefined) info.dateTime = cpim.dateTime;
  const imdn = cpim ? readImdnRequest(cpim) : undefined;
  const wantsDelivery =
    imdn?.dispositions.some((d) => d === 'positive-delivery' || d === 'negative-delivery') ?? false;
  if (imdn) rows.push('IN4');
  const request: SendMessageRequest = { deliveryReport: wantsDelivery, messageInfo: info, contentData };
  return imdn ? { kind: 'message', request, imdn, rows } : { kind: 'message', request, rows };
}
