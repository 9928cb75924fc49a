import { formatNameAddr } from '../message/header-values.ts';
import type { NameAddr } from '../message/name-addr.ts';
import { SipHeaders, SipRequest, type SipResponse } from '../message/sip-message.ts';
import type { Uri } from '../message/uri.ts';
import { isSipUri } from '../message/uri.ts';
import { formatUri } from '../message/uri-codec.ts';

// RFC 3261 §12: a dialog is the peer-to-peer relationship that SUBSCRIBE/NOTIFY usages live in
// (RFC 6665 §4.1.2.4 / §4.2.1). Identified by Call-ID + local tag + remote tag.

export interface DialogState {
  callId: string;
  localTag: string;
  remoteTag: string;
  /** From of our requests (without tag). */
  localUri: NameAddr;
  /** To of our requests (without tag). */
  remoteUri: NameAddr;
  remoteTarget: Uri;
  /** Route set, in the order our requests carry it. */
  routeSet: NameAddr[];
  /** Our last CSeq number; the next request uses localSeq + 1. */
  localSeq: number;
  /** The peer's last CSeq number, or undefined before its first request (§12.2.2). */
  remoteSeq: number | undefined;
  /** Our Contact for requests in this dialog. */
  localContact: string;
}

export function dialogId(callId: string, localTag: string, remoteTag: string): string {
  return `${callId}\u0000${localTag}\u0000${remoteTag}`;
}

export class Dialog {
  constructor(readonly state: DialogState) {}

  get id(): string {
    return dialogId(this.state.callId, this.state.localTag, this.state.remoteTag);
  }

  /**
   * §12.1.2: the UAC side from a 2xx (or, RFC 6665 §4.1.2.4, a NOTIFY creating the dialog
   * before the 2xx). Responses give the route set reversed; a NOTIFY, being a request, in order.
   */
  static asUac(request: SipRequest, answer: SipResponse | SipRequest, localContact: string): Dialog {
    const isResponse = answer.kind === 'response';
    const remoteTag = (isResponse ? answer.toTag : answer.fromTag) ?? '';
    const routes = answer.recordRoutes;
    const target = answer.contacts[0]?.uri ?? request.uri;
    return new Dialog({
      callId: request.callId,
      localTag: request.fromTag ?? '',
      remoteTag,
      localUri: stripTag(request.from),
      remoteUri: stripTag(request.to),
      remoteTarget: target,
      routeSet: isResponse ? [...routes].reverse() : routes,
      localSeq: request.cseq.seq,
      remoteSeq: isResponse ? undefined : answer.cseq.seq,
      localContact,
    });
  }

  /** §12.1.1: the UAS side from the dialog-creating request and the To tag we chose. */
  static asUas(request: SipRequest, localTag: string, localContact: string): Dialog {
    return new Dialog({
      callId: request.callId,
      localTag,
      remoteTag: request.fromTag ?? '',
      localUri: stripTag(request.to),
      remoteUri: stripTag(request.from),
      remoteTarget: request.contacts[0]?.uri ?? request.uri,
      routeSet: request.recordRoutes,
      localSeq: 0,
      remoteSeq: request.cseq.seq,
      localContact,
    });
  }

  /**
   * §12.2.1.1: a request inside the dialog. Loose routing puts the remote target in the
   * Request-URI and the route set in Route; a strict first hop (no `lr`) takes the Request-URI
   * and the remote target goes last in Route.
   */
  createRequest(
    method: string,
    options: { headers?: Array<[string, string]>; body?: Buffer; contentType?: string } = {},
  ): SipRequest {
    const s = this.state;
    const headers = new SipHeaders();
    let requestUri = s.remoteTarget;
    const routes = s.routeSet.map(formatNameAddr);
    const first = s.routeSet[0];
    if (first && isSipUri(first.uri) && !first.uri.params.has('lr')) {
      requestUri = first.uri;
      routes.shift();
      routes.push(`<${formatUri(s.remoteTarget)}>`);
    }
    for (const r of routes) headers.append('Route', r);
    headers.append('Max-Forwards', '70');
    headers.append('From', `${formatNameAddr(s.localUri)};tag=${s.localTag}`);
    headers.append('To', `${formatNameAddr(s.remoteUri)};tag=${s.remoteTag}`);
    headers.append('Call-ID', s.callId);
    s.localSeq += 1;
    headers.append('CSeq', `${s.localSeq} ${method}`);
    headers.append('Contact', s.localContact);
    for (const [name, value] of options.headers ?? []) headers.append(name, value);
    if (options.contentType) headers.append('Content-Type', options.contentType);
    return new SipRequest(method, requestUri, headers, options.body ?? Buffer.alloc(0));
  }

  /**
   * §12.2.2: checks an in-dialog request's CSeq ("If the remote sequence number is not empty, but
   * the sequence number of the request is lower than the remote sequence number, the request is
   * out of order and MUST be rejected with a 500") and applies a target refresh.
   */
  acceptRequest(
    request: SipRequest,
    targetRefresh: boolean,
  ): { ok: true } | { ok: false; status: 500; reason: string } {
    const seq = request.cseq.seq;
    if (this.state.remoteSeq !== undefined && seq < this.state.remoteSeq) {
      return { ok: false, status: 500, reason: 'Server Internal Error - CSeq out of order' };
    }
    this.state.remoteSeq = seq;
    if (targetRefresh) this.refreshTarget(request);
    return { ok: true };
  }

  /** Target refresh from a request or a 2xx response (SUBSCRIBE and NOTIFY both refresh). */
  refreshTarget(message: SipRequest | SipResponse): void {
    const contact = message.contacts[0];
    if (contact) this.state.remoteTarget = contact.uri;
  }
}

function stripTag(nameAddr: NameAddr): NameAddr {
  const params = nameAddr.params.clone();
  params.delete('tag');
  return { ...nameAddr, params };
}
