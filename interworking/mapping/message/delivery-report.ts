// Delivery reports and final outcomes of instant messages (imps.md §6.1–6.2; RFC 3428 §7;
// RFC 5438 §7): IMDN delivery notifications ⇄ DeliveryReport-Request, and a MESSAGE's final
// response ⇄ the CSP Result, whose codes come from the lead's status rows (status.ts).
// Rows DR1–DR9 and X1–X6 of MESSAGE_ROWS. Pure: values in, values out; ids and time injected.
import type { IdSource } from '../../../common/ids.ts';
import type { CpimMessage } from '../../../domains/simple/payloads/cpim.ts';
import {
  buildImdnNotification,
  type DeliveryStatus,
  type Disposition,
  type Imdn,
} from '../../../domains/simple/payloads/imdn.ts';
import { cspStatusToSip, type MappedStatus, sipStatusToCsp } from '../status.ts';
import type { DeliveryReportRequest, MessageInfo } from './message-types.ts';

/** RFC 5438 delivery status → CSP Result of the DeliveryReport (rows DR1–DR4). */
const IMDN_TO_RESULT: Record<DeliveryStatus, { code: number; description: string; row: string }> = {
  delivered: { code: 200, description: 'Successful', row: 'DR1' },
  failed: { code: 410, description: 'Unable to deliver', row: 'DR2' },
  forbidden: { code: 532, description: 'Recipient blocked the sender', row: 'DR3' },
  error: { code: 500, description: 'Internal server or network error', row: 'DR4' },
};

/**
 * An IMDN for a message an IMPS user sent → the DeliveryReport-Request PS1 gets over SSP.
 * `original` is the MessageInfo kept by the correlation (messageId set to the IMPS MessageID).
 */
export function imdnToDeliveryReport(
  imdn: Imdn,
  original: MessageInfo,
  deliveryTime: string,
): { value: DeliveryReportRequest | undefined; row: string } {
  if (imdn.notification?.kind !== 'delivery') return { value: undefined, row: 'DR5' };
  const r = IMDN_TO_RESULT[imdn.notification.status];
  return {
    value: { result: { code: r.code, description: r.description }, deliveryTime, messageInfo: original },
    row: r.row,
  };
}

/** CSP Result → RFC 5438 delivery status (rows DR6–DR9). */
function resultToImdn(code: number): { status: DeliveryStatus; row: string } {
  if (code >= 200 && code < 300) return { status: 'delivered', row: 'DR6' };
  if ([410, 533, 538, 542, 507].includes(code)) return { status: 'failed', row: 'DR7' };
  if (code === 532 || code === 534) return { status: 'forbidden', row: 'DR8' };
  return { status: 'error', row: 'DR9' };
}

export interface ImdnLink {
  /** The SIMPLE sender's imdn.Message-ID and DateTime of the original message (RFC 5438 §7.2.1.2). */
  imdnMessageId: string;
  dateTime: string;
  /** What the sender asked for (imdn.Disposition-Notification). */
  dispositions: readonly Disposition[];
  /** SIP URIs: the SIMPLE sender (gets the IMDN) and the IMPS recipient (sends it). */
  sender: string;
  recipient: string;
}

/**
 * PS1's DeliveryReport-Request for a message a SIMPLE user sent → the IMDN the IWF sends back
 * (a CPIM body for a MESSAGE), or nothing when that disposition was not asked for (RFC 5438 §7).
 */
export function deliveryReportToImdn(
  report: DeliveryReportRequest,
  link: ImdnLink,
  options: { ids: IdSource },
): { value: CpimMessage | undefined; row: string } {
  const { status, row } = resultToImdn(report.result?.code ?? 500);
  const wanted: Disposition = status === 'delivered' ? 'positive-delivery' : 'negative-delivery';
  if (!link.dispositions.includes(wanted)) return { value: undefined, row };
  const imdn: Imdn = {
    messageId: link.imdnMessageId,
    datetime: link.dateTime,
    recipientUri: link.recipient,
    originalRecipientUri: link.recipient,
    notification: { kind: 'delivery', status },
    extensions: [],
  };
  return {
    value: buildImdnNotification({
      from: { uri: link.recipient },
      to: { uri: link.sender },
      dateTime: report.deliveryTime ?? link.dateTime,
      notificationMessageId: options.ids.token(16),
      imdn,
    }),
    row,
  };
}

export interface MessageOutcome {
  /** SSP/CSP Result for the SendMessage the IWF relayed. */
  result: MappedStatus;
  /** DeliveryReport Result to send at once (row X1), when the sender asked for one. */
  reportNow?: { code: number; description: string };
  rows: string[];
}

/** The final response to a MESSAGE the IWF sent for an IMPS sender (rows X1–X3 + the status row). */
export function messageResponseToCsp(status: number, deliveryReport: boolean): MessageOutcome {
  const result = sipStatusToCsp(status);
  if (status === 200) {
    // RFC 3428 §7: 200 means the UA has the message — that is the delivery.
    return {
      result,
      ...(deliveryReport ? { reportNow: { code: 200, description: 'Successful' } } : {}),
      rows: ['X1', result.row],
    };
  }
  if (status >= 200 && status < 300) return { result, rows: ['X2', result.row] };
  return { result, rows: ['X3', result.row] };
}

/** PS1's Result for a MESSAGE the IWF relayed from a SIMPLE sender → the SIP final response (X4–X6). */
export function impsResultToSip(code: number): { status: MappedStatus; rows: string[] } {
  const status = cspStatusToSip(code);
  const row = status.code === 200 ? 'X4' : status.code === 202 ? 'X5' : 'X6';
  return { status, rows: [row, status.row] };
}
