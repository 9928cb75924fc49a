// IMPS → SIMPLE instant message: a SendMessage-Request (imps.md §6.1; arriving from PS1 over
// SSP) becomes one MESSAGE per recipient (RFC 3428), text as text/plain;charset=UTF-8, binary
// content decoded from BASE64, and message/cpim with IMDN headers when the sender asked for a
// delivery report (RFC 5438 §6). Rows IM1–IM7 of MESSAGE_ROWS. Pure: the IdSource is injected.
import type { IdSource } from '../../../common/ids.ts';
import { type CpimMessage, emptyCpim, serializeCpim } from '../../../domains/simple/payloads/cpim.ts';
import { addImdnRequest } from '../../../domains/simple/payloads/imdn.ts';
import { formatMediaType, parseMediaType } from '../../../domains/simple/payloads/mime.ts';
import { impsToSip } from '../address.ts';
import type { RecipientFailure, SendMessageRequest, SipMessage } from './message-types.ts';

export const CPIM_TYPE = 'message/cpim';

export interface SendMessageOptions {
  ids: IdSource;
  /** RFC 3339 time to stamp when MessageInfo has no DateTime (from the face's Clock). */
  now: string;
}

export interface MappedSendMessage {
  messages: SipMessage[];
  failures: RecipientFailure[];
  rows: string[];
}

/** The body and its Content-Type, before any CPIM wrapping (rows IM1, IM2). */
function content(
  req: SendMessageRequest,
  rows: Set<string>,
): { type: string; body: Buffer } | RecipientFailure {
  const info = req.messageInfo ?? {};
  const data = req.contentData ?? '';
  const media = parseMediaType(info.contentType ?? 'text/plain');
  if (!media) return { code: 415, description: `ContentType "${info.contentType}" is not a media type` };
  if ((info.contentEncoding ?? '').trim().toUpperCase() === 'BASE64') {
    rows.add('IM2');
    return { type: formatMediaType(media), body: Buffer.from(data.replace(/\s+/g, ''), 'base64') };
  }
  if (!media.type.startsWith('text/')) {
    return { code: 415, description: `${media.type} content must be BASE64-encoded (imps.md §6.2)` };
  }
  rows.add('IM1');
  return {
    type: formatMediaType({ type: media.type, params: { ...media.params, charset: 'UTF-8' } }),
    body: Buffer.from(data, 'utf8'),
  };
}

export function sendMessageToSip(req: SendMessageRequest, options: SendMessageOptions): MappedSendMessage {
  const rows = new Set<string>();
  const failures: RecipientFailure[] = [];
  const info = req.messageInfo ?? {};
  const recipient = info.recipient ?? {};
  for (const g of recipient.groups ?? []) {
    failures.push({
      groupId: g.groupId ?? g.screenName?.groupId,
      code: 405,
      description: 'Groups are not interworked',
    });
    rows.add('IM6');
  }
  for (const contactList of recipient.contactLists ?? []) {
    failures.push({ contactList, code: 405, description: 'Contact lists are not interworked' });
    rows.add('IM6');
  }
  const senderId = info.sender?.user?.userId;
  const from = senderId === undefined ? undefined : impsToSip(senderId);
  if (!from?.ok) {
    const code = { code: 402, description: `Sender ${senderId ?? '(none)'} is not an address` };
    return {
      messages: [],
      failures: [...failures, ...(recipient.users ?? []).map((u) => ({ userId: u.userId, ...code }))],
      rows: [...rows, 'IM6'],
    };
  }
  const body = content(req, rows);
  const users = recipient.users ?? [];
  if (users.length > 1) rows.add('IM5');
  if (info.validity !== undefined || info.messageUri !== undefined) rows.add('IM7');
  const messages: SipMessage[] = [];
  for (const user of users) {
    const to = user.userId === undefined ? undefined : impsToSip(user.userId);
    if (!to?.ok) {
      failures.push({ userId: user.userId, code: 531, description: 'Unknown user' });
      rows.add('IM6');
      continue;
    }
    if ('code' in body) {
      failures.push({ userId: user.userId, ...body });
      continue;
    }
    rows.add('IM4');
    if (!req.deliveryReport) {
      messages.push({
        requestUri: to.value,
        from: from.value,
        to: to.value,
        contentType: body.type,
        body: body.body,
      });
      continue;
    }
    // RFC 5438 §6.1-6.3: the request rides in CPIM headers; DateTime is mandatory there.
    const imdnMessageId = options.ids.token(16);
    let cpim: CpimMessage = {
      ...emptyCpim(),
      from: { uri: from.value },
      to: [{ uri: to.value }],
      dateTime: info.dateTime ?? options.now,
      contentHeaders: [['Content-Type', body.type]],
      body: body.body,
    };
    cpim = addImdnRequest(cpim, imdnMessageId, ['positive-delivery', 'negative-delivery']);
    rows.add('IM3');
    messages.push({
      requestUri: to.value,
      from: from.value,
      to: to.value,
      contentType: CPIM_TYPE,
      body: serializeCpim(cpim),
      imdnMessageId,
    });
  }
  return { messages, failures, rows: [...rows] };
}
