import type { IdSource } from '../../../../common/ids.ts';
import type { SipRequest, SipResponse } from '../message/sip-message.ts';
import { createResponse } from '../transaction/response-factory.ts';
import type { ServerTransaction } from '../transaction/transaction-user.ts';
import type { InboundMessage } from '../transport/transport.ts';
import type { Dialog } from './dialog.ts';

export interface ReplyOptions {
  headers?: Array<[string, string]>;
  body?: Buffer | string;
  contentType?: string;
  /** The To tag to use (a dialog-creating 2xx passes the dialog's local tag). */
  toTag?: string;
}

/**
 * A request as a handler sees it: the message, where it came from, the dialog it belongs to (if
 * any), and `reply`. Every request is answered exactly once; a second reply is ignored.
 */
export class IncomingRequest {
  private answered = false;
  /** The dialog the request arrived in, when the user agent matched one. */
  dialog: Dialog | undefined;

  constructor(
    readonly request: SipRequest,
    readonly inbound: InboundMessage,
    private readonly tx: ServerTransaction,
    private readonly ids: IdSource,
    private readonly serverHeader: string | undefined,
  ) {}

  get method(): string {
    return this.request.method;
  }

  get isAnswered(): boolean {
    return this.answered;
  }

  /** Builds a response per RFC 3261 §8.2.6 without sending it. */
  createResponse(
    status: number,
    reason: string = defaultReason(status),
    options: ReplyOptions = {},
  ): SipResponse {
    const response = createResponse(this.request, status, reason, this.ids, options.toTag);
    if (status > 100 && status < 300 && DIALOG_CREATING.has(this.request.method)) {
      // RFC 3261 §12.1.1: "the UAS MUST copy all Record-Route header field values from the
      // request into the response (including the URIs, URI parameters, and any Record-Route
      // header field parameters, whether they are known or unknown to the UAS)".
      for (const rr of this.request.headers.getFields('Record-Route'))
        response.headers.append('Record-Route', rr);
    }
    if (this.serverHeader) response.headers.append('Server', this.serverHeader);
    for (const [name, value] of options.headers ?? []) response.headers.append(name, value);
    if (options.body !== undefined) {
      response.body = typeof options.body === 'string' ? Buffer.from(options.body, 'utf8') : options.body;
      if (options.contentType) response.headers.append('Content-Type', options.contentType);
    }
    return response;
  }

  reply(status: number, reason?: string, options: ReplyOptions = {}): SipResponse | undefined {
    const response = this.createResponse(status, reason, options);
    return this.send(response) ? response : undefined;
  }

  /** Sends a response built elsewhere; false if a final answer was already given. */
  send(response: SipResponse): boolean {
    if (this.answered) return false;
    if (response.status >= 200) this.answered = true;
    return this.tx.respond(response) === undefined;
  }
}

const DIALOG_CREATING = new Set(['SUBSCRIBE', 'INVITE', 'REFER']);

const REASONS: Record<number, string> = {
  100: 'Trying',
  200: 'OK',
  202: 'Accepted',
  204: 'No Notification',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  407: 'Proxy Authentication Required',
  408: 'Request Timeout',
  412: 'Conditional Request Failed',
  413: 'Request Entity Too Large',
  415: 'Unsupported Media Type',
  416: 'Unsupported URI Scheme',
  420: 'Bad Extension',
  423: 'Interval Too Brief',
  480: 'Temporarily Unavailable',
  481: 'Call/Transaction Does Not Exist',
  482: 'Loop Detected',
  483: 'Too Many Hops',
  488: 'Not Acceptable Here',
  489: 'Bad Event',
  500: 'Server Internal Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
  504: 'Server Time-out',
  505: 'Version Not Supported',
  513: 'Message Too Large',
  603: 'Decline',
  604: 'Does Not Exist Anywhere',
};

export function defaultReason(status: number): string {
  return REASONS[status] ?? (status < 300 ? 'OK' : 'Error');
}
