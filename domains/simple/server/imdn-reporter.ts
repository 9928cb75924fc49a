// Negative delivery notifications from PS2 (RFC 5438 §7 / §8.2: an intermediary that stores a
// message and cannot deliver it reports "failed" when the sender asked for negative-delivery).
import { CPIM_CONTENT_TYPE, parseCpim, serializeCpim } from '../payloads/cpim.ts';
import { buildImdnNotification, readImdnRequest } from '../payloads/imdn.ts';
import type { SipUserAgent } from '../sip/core/index.ts';
import { parseNameAddr } from '../sip/message/header-values.ts';
import { aorKey } from '../sip/registrar/index.ts';
import type { StoredMessage } from './message-relay.ts';

/** Sends the IMDN "failed" for a stored message if its CPIM asked for negative-delivery. */
export async function sendFailureImdn(
  ua: SipUserAgent,
  message: StoredMessage,
  wallNow: number,
  notificationId: string,
): Promise<boolean> {
  const type = (message.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== CPIM_CONTENT_TYPE) return false;
  const cpim = parseCpim(message.body);
  if (!cpim.ok) return false;
  const request = readImdnRequest(cpim.value);
  if (!request?.dispositions.includes('negative-delivery')) return false;
  const sender = cpim.value.from?.uri ?? aorKey(parseNameAddr(message.from).uri);
  const recipient = aorKey(parseNameAddr(message.to).uri);
  if (!sender || !recipient) return false;
  const now = new Date(wallNow).toISOString();
  const notification = buildImdnNotification({
    from: { uri: recipient },
    to: { uri: sender },
    dateTime: now,
    notificationMessageId: notificationId,
    imdn: {
      messageId: request.messageId,
      datetime: cpim.value.dateTime ?? now,
      recipientUri: recipient,
      notification: { kind: 'delivery', status: 'failed' },
      extensions: [],
    },
  });
  const response = await ua.request({
    method: 'MESSAGE',
    uri: sender,
    from: recipient,
    body: serializeCpim(notification),
    contentType: CPIM_CONTENT_TYPE,
    credentials: null,
  });
  return response.status < 300;
}
