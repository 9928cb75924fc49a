// The value types the message mappers exchange with the faces: the CSP primitives as the CSP
// model declares them, and the parts of a SIP MESSAGE the mapping decides (the SIP face adds
// Call-ID, CSeq, Via and sends it).
import type { IM_PRIMITIVES } from '../../../domains/imps/csp/model/im-primitives.ts';
import type { Model } from '../../../domains/imps/csp/model/schema.ts';

export type SendMessageRequest = Model<(typeof IM_PRIMITIVES)['SendMessage-Request']>;
export type DeliveryReportRequest = Model<(typeof IM_PRIMITIVES)['DeliveryReport-Request']>;
export type MessageInfo = NonNullable<SendMessageRequest['messageInfo']>;

/** The mapped MESSAGE (RFC 3428 §4): where it goes, who sends it, what it carries. */
export interface SipMessage {
  requestUri: string;
  from: string;
  to: string;
  /** The Content-Type header value. */
  contentType: string;
  body: Buffer;
  /** imdn.Message-ID when a delivery report was asked for (the correlation key, RFC 5438 §6.3). */
  imdnMessageId?: string;
}

/** A recipient the mapping could not serve: a DetailedResult of a 201 answer (imps.md §6.2). */
export interface RecipientFailure {
  userId?: string;
  groupId?: string;
  contactList?: string;
  code: number;
  description: string;
}

/** A SIP refusal of an incoming request (code, reason phrase, optional Accept for 415). */
export interface SipRefusal {
  status: number;
  reason: string;
  accept?: string;
}
