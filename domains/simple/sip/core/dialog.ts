import { formatNameAddr } from '../message/header-values.ts';
import type { NameAddr } from '../message/name-addr.ts';
import { SipHeaders, SipRequest, type SipResponse } from '../message/sip-message.ts';
import { isSipUri } from '../message/uri.ts';
import { formatUri, parseUri } from '../message/uri-codec.ts';

// RFC 3261 §12: a dialog is the peer-to-peer relationship that SUBSCRIBE/NOTIFY usages live in
// (RFC 6665 §4.1.2.4 / §4.2.1). Identified by Call-ID + local tag + remote tag.
//
// A gateway holds one dialog per subscription for hours, so the state is kept compact: the
// name-addrs and the remote target as their text (what the next request carries anyway), parsed
// only when a request is built; every string interned, so a value sliced from a received message
// does not keep the whole message alive and equal texts (our Contact, the peer's target) are
// held once. The route set stays parsed: it is empty (one shared array) unless a proxy
// record-routed.

export interface DialogState {
  callId: string;
  localTag: string;
  remoteTag: string;
  /** From of our requests (without tag), as name-addr text: `<sip:harry@domain1.lab>`. */
  localUri: string;
  /** To of our requests (without tag), as name-addr text. */
  remoteUri: string;
  /** The remote target as URI text (`sip:jane@127.0.2.10:5060`), parsed when a request is built. */
  remoteTarget: string;
  /** Route set, in the order our requests carry it. */
  routeSet: readonly NameAddr[];
  /** Our last CSeq number; the next request uses localSeq + 1. */
  localSeq: number;
  /** The peer's last CSeq number, or undefined before its first request (§12.2.2). */
  remoteSeq: number | undefined;
  /** Our Contact for requests in this dialog. */
  localContact: string;
}

/** The route set of a dialog no proxy record-routed (shared by all of them). */
export const NO_ROUTES: readonly NameAddr[] = Object.freeze([]);

export function dialogId(callId: string, localTag: string, remoteTag: string): string {
  return `${callId}\u0000${localTag}\u0000${remoteTag}`;
}

/**
 * V8's internalized copy of a string: flat, never a slice of a larger string (a header value is
 * a slice of the whole message text), and one copy per distinct text while anything holds it.
 * A null-prototype object is a dictionary, whose keys are always internalized; `for…in` hands
 * the key back. Integer-like texts come back as equal fresh strings.
 */
export function intern(text: string): string {
  const box: Record<string, 0> = Object.create(null);
  box[text] = 0;
  for (const key in box) return key;
  return text;
}

/** A name-addr without its `tag` parameter, as text. */
export function nameAddrText(nameAddr: NameAddr): string {
  if (!nameAddr.params.has('tag')) return formatNameAddr(nameAddr);
  const params = nameAddr.params.clone();
  params.delete('tag');
  return formatNameAddr({ ...nameAddr, params });
}

export class Dialog {
  /** Call-ID + local tag + remote tag (§12), the key its usages are registered under. */
  readonly id: string;

  constructor(readonly state: DialogState) {
    state.callId = intern(state.callId);
    state.localTag = intern(state.localTag);
    state.remoteTag = intern(state.remoteTag);
    state.localUri = intern(state.localUri);
    state.remoteUri = intern(state.remoteUri);
    state.remoteTarget = intern(state.remoteTarget);
    state.localContact = intern(state.localContact);
    if (state.routeSet.length === 0) state.routeSet = NO_ROUTES;
    this.id = intern(dialogId(state.callId, state.localTag, state.remoteTag));
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
      localUri: nameAddrText(request.from),
      remoteUri: nameAddrText(request.to),
      remoteTarget: formatUri(target),
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
      localUri: nameAddrText(request.to),
      remoteUri: nameAddrText(request.from),
      remoteTarget: formatUri(request.contacts[0]?.uri ?? request.uri),
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
    let requestUri = parseUri(s.remoteTarget);
    const routes = s.routeSet.map(formatNameAddr);
    const first = s.routeSet[0];
    if (first && isSipUri(first.uri) && !first.uri.params.has('lr')) {
      requestUri = first.uri;
      routes.shift();
      routes.push(`<${s.remoteTarget}>`);
    }
    for (const r of routes) headers.append('Route', r);
    headers.append('Max-Forwards', '70');
    headers.append('From', `${s.localUri};tag=${s.localTag}`);
    headers.append('To', `${s.remoteUri};tag=${s.remoteTag}`);
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
    if (!contact) return;
    const target = formatUri(contact.uri);
    if (target !== this.state.remoteTarget) this.state.remoteTarget = intern(target);
  }
}
