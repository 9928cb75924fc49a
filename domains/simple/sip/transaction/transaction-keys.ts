import { formatVia } from '../message/header-values.ts';
import type { SipRequest, SipResponse } from '../message/sip-message.ts';
import { isSipUri, type Uri } from '../message/uri.ts';
import { BRANCH_MAGIC_COOKIE, type Via } from '../message/via.ts';

// Transaction matching, RFC 3261 §17.1.3 (client) and §17.2.3 (server), as map keys: every key
// is one string built once per message, so matching is one Map lookup.

const SEP = '\u0000';

function sentBy(via: Via): string {
  // §17.2.3: "the sent-by value in the top Via of the request is equal to the one in the request
  // that created the transaction". Hosts compare case-insensitively (§20.42 / §19.1.4).
  return via.port === undefined ? via.host.toLowerCase() : `${via.host.toLowerCase()}:${via.port}`;
}

function hasMagicCookie(branch: string | null | undefined): branch is string {
  return typeof branch === 'string' && branch.startsWith(BRANCH_MAGIC_COOKIE);
}

/**
 * §17.1.3: "1. If the response has the same value of the branch parameter in the top Via header
 * field as the branch parameter in the top Via header field of the request that created the
 * transaction. 2. If the method parameter in the CSeq header field matches the method of the
 * request that created the transaction."
 */
export function clientKey(branch: string, method: string): string {
  return branch + SEP + method;
}

export function clientKeyOfResponse(response: SipResponse): string | undefined {
  const branch = response.topVia?.params.get('branch');
  if (!branch) return undefined;
  return clientKey(branch, response.cseq.method);
}

/** A stable text for a Request-URI in RFC 2543 matching (hosts are case-insensitive). */
function uriKey(uri: Uri): string {
  if (isSipUri(uri)) return `${uri.scheme}:${uri.user ?? ''}@${uri.host.toLowerCase()}:${uri.port ?? ''}`;
  return 'opaque' in uri
    ? `${uri.scheme}:${uri.opaque}`
    : `${uri.scheme}:${(uri as { number: string }).number}`;
}

function rfc2543Base(request: SipRequest, via: Via): string {
  // §17.2.3: "...the Request-URI, To tag, From tag, Call-ID, CSeq, and top Via header field"
  return (
    uriKey(request.uri) +
    SEP +
    (request.fromTag ?? '') +
    SEP +
    request.callId +
    SEP +
    request.cseq.seq +
    SEP +
    formatVia(via)
  );
}

export interface ServerKeys {
  /** The key of the transaction this request belongs to (ACK: its INVITE's). */
  key: string;
  /** For a request that can be cancelled: the key a CANCEL for it computes. */
  cancelKey: string | undefined;
  /** For CANCEL: the cancelKey of the transaction it targets. */
  cancelTargetKey: string | undefined;
  /** RFC 2543 ACK: the To tag that must equal the one of the final response sent. */
  ackToTag: string | undefined;
}

/** §17.2.3, including the RFC 2543 fallback for branches without the magic cookie. */
export function serverKeys(request: SipRequest): ServerKeys | undefined {
  const via = request.topVia;
  if (!via) return undefined;
  const method = request.method;
  const branch = via.params.get('branch');
  if (hasMagicCookie(branch)) {
    // "1. the branch parameter in the request is equal to the one in the top Via header field of
    // the request that created the transaction, and 2. the sent-by value in the top Via of the
    // request is equal to the one in the request that created the transaction, and 3. the method
    // of the request matches the one that created the transaction, except for ACK, where the
    // method of the request that created the transaction is INVITE."
    const base = branch + SEP + sentBy(via);
    const isCancel = method === 'CANCEL';
    return {
      key: base + SEP + (method === 'ACK' ? 'INVITE' : method),
      cancelKey: isCancel || method === 'ACK' ? undefined : base,
      cancelTargetKey: isCancel ? base : undefined,
      ackToTag: undefined,
    };
  }
  // RFC 2543 fallback: "The INVITE request matches a transaction if the Request-URI, To tag,
  // From tag, Call-ID, CSeq, and top Via header field match ... The ACK request matches a
  // transaction if the Request-URI, From tag, Call-ID, CSeq number (not the method), and top Via
  // header field match those of the INVITE request which created the transaction, and the To tag
  // of the ACK matches the To tag of the response sent by the server transaction."
  const base = `2543${SEP}${rfc2543Base(request, via)}`;
  if (method === 'ACK') {
    // The INVITE carried no To tag (it is the response's), so the ACK looks up the tagless key.
    return {
      key: `${base + SEP}${SEP}INVITE`,
      cancelKey: undefined,
      cancelTargetKey: undefined,
      ackToTag: request.toTag,
    };
  }
  const toTag = request.toTag ?? '';
  return {
    key: base + SEP + toTag + SEP + method,
    cancelKey: method === 'CANCEL' ? undefined : base + SEP + toTag,
    cancelTargetKey: method === 'CANCEL' ? base + SEP + toTag : undefined,
    ackToTag: undefined,
  };
}
