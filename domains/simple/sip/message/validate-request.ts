import type { SipDecodeError } from './decode.ts';
import { SIP_ERRORS, type SipErrorCode } from './errors.ts';
import { splitHeaderList } from './header-values.ts';
import { isKnownMethod } from './methods.ts';
import type { SipRequest } from './sip-message.ts';
import { BRANCH_MAGIC_COOKIE } from './via.ts';

// UAS-level checks on a request the codec decoded (RFC 3261 §8.2, §16.3): the answer a role sends
// before handing the request to its transaction user, or null to go on. The syntax is already
// sound (decodeSipMessage); what is left depends on the role: which methods, extensions, URI
// schemes and body types it serves.

export interface UasRole {
  /** Methods the element serves, written in Allow (RFC 3261 §8.2.1). */
  allow: readonly string[];
  /** Option tags it supports; others in Require give 420 (§8.2.2.3). */
  supported: readonly string[];
  /** Body media types it accepts (`type/subtype`, `type/*`, `*\/*`); undefined accepts any. */
  accept?: readonly string[];
  /** Content-Encodings it can decode (default: none besides identity). */
  acceptEncoding?: readonly string[];
  /** Request-URI schemes it serves (default sip, sips); others give 416 (§8.2.2.1). */
  uriSchemes?: readonly string[];
  /** Media types it would put in a response body, per method: none acceptable → 406 (§21.4.7). */
  responseBodyTypes?: Readonly<Record<string, readonly string[]>>;
  /** A proxy checks Proxy-Require instead of Require and answers Max-Forwards 0 with 483 (§16.3). */
  proxy?: boolean;
  /** A registrar wants a SIP/SIPS address-of-record and a well-formed wildcard (§10.3). */
  registrar?: boolean;
  /** Reject requests without Max-Forwards (default false: RFC 2543 peers omit it, RFC 4475 inv2543). */
  requireMaxForwards?: boolean;
  /** Methods that must carry a Contact (default SUBSCRIBE, NOTIFY, REFER: RFC 6665, RFC 3515). */
  requireContactFor?: readonly string[];
  /** warn-agent of the Warning header of a 406 (default `lab`). */
  warnAgent?: string;
}

export interface RequestRejection {
  code: SipErrorCode;
  status: number;
  reason: string;
  /** Header fields the answer must carry (Allow, Unsupported, Accept, Warning …). */
  headers: Array<[string, string]>;
}

/** Single-value headers (RFC 3261 §7.3.1 / §20): more than one field is a 400 (RFC 4475 multi01). */
const SINGLE_VALUE = [
  'From',
  'To',
  'Call-ID',
  'CSeq',
  'Max-Forwards',
  'Content-Type',
  'Content-Length',
  'Expires',
  'Min-Expires',
  'Event',
  'Subscription-State',
  'SIP-If-Match',
];

const MANDATORY: Array<[string, SipErrorCode]> = [
  ['Via', 'SIP_ERR_MISSING_VIA'],
  ['From', 'SIP_ERR_MISSING_FROM'],
  ['To', 'SIP_ERR_MISSING_TO'],
  ['Call-ID', 'SIP_ERR_MISSING_CALL_ID'],
  ['CSeq', 'SIP_ERR_MISSING_CSEQ'],
];

function reject(code: SipErrorCode, headers: Array<[string, string]> = []): RequestRejection {
  const entry = SIP_ERRORS[code];
  return { code, status: entry.status, reason: entry.reason, headers };
}

/** `type/subtype` of a Content-Type or Accept element, lower-cased, parameters dropped. */
function mediaType(v: string): string {
  const semi = v.indexOf(';');
  return (semi === -1 ? v : v.slice(0, semi)).trim().toLowerCase();
}

function mediaMatches(range: string, type: string): boolean {
  if (range === '*/*' || range === type) return true;
  return range.endsWith('/*') && type.startsWith(range.slice(0, -1));
}

/** The answer to send before the request reaches the TU, or null when it may proceed. */
export function validateRequest(req: SipRequest, role: UasRole): RequestRejection | null {
  // RFC 3261 §17.2.3 / §8.2: an ACK is never answered.
  if (req.method === 'ACK') return null;
  const headers = req.headers;

  for (const [name, code] of MANDATORY) if (!headers.has(name)) return reject(code);
  if (role.requireMaxForwards && !headers.has('Max-Forwards')) return reject('SIP_ERR_MISSING_MAX_FORWARDS');
  const counts = new Map<string, number>();
  for (const f of headers.all) counts.set(f.name, (counts.get(f.name) ?? 0) + 1);
  for (const name of SINGLE_VALUE) if ((counts.get(name) ?? 0) > 1) return reject('SIP_ERR_MULTIPLE_VALUES');

  // RFC 3261 §8.1.1.7: a branch that is only the magic cookie identifies no transaction
  // (RFC 4475 badbranch); RFC 2543 branches without the cookie fall back to §17.2.3 matching.
  if (req.topVia?.params.get('branch') === BRANCH_MAGIC_COOKIE) return reject('SIP_ERR_BRANCH_WITHOUT_ID');

  // §8.2.1 method inspection: 405 for a method the role knows but does not serve, 501 otherwise.
  if (!role.allow.includes(req.method)) {
    const allow: Array<[string, string]> = [['Allow', role.allow.join(', ')]];
    return reject(
      isKnownMethod(req.method) ? 'SIP_ERR_METHOD_NOT_ALLOWED' : 'SIP_ERR_METHOD_NOT_IMPLEMENTED',
      allow,
    );
  }

  // §8.2.2.1: Request-URI scheme (RFC 4475 unkscm, novelsc).
  const schemes = role.uriSchemes ?? ['sip', 'sips'];
  if (!schemes.includes(req.uri.scheme)) return reject('SIP_ERR_UNSUPPORTED_URI_SCHEME');

  if (role.registrar && req.method === 'REGISTER') {
    const aor = req.to.uri.scheme;
    if (aor !== 'sip' && aor !== 'sips') return reject('SIP_ERR_REGISTER_TO_NOT_SIP');
    const contactValues = headers.getList('Contact');
    if (contactValues.includes('*')) {
      // §10.3 step 6: '*' only alone and only with Expires: 0.
      if (contactValues.length !== 1 || headers.get('Expires')?.trim() !== '0') {
        return reject('SIP_ERR_BAD_WILDCARD_CONTACT');
      }
    }
  }

  // §8.2.2.3 (UAS: Require) and §16.3 item 5 (proxy: Proxy-Require); not for CANCEL.
  if (req.method !== 'CANCEL') {
    const tags = headers.getList(role.proxy ? 'Proxy-Require' : 'Require').filter((t) => t.length > 0);
    const unsupported = tags.filter((t) => !role.supported.some((s) => s.toLowerCase() === t.toLowerCase()));
    if (unsupported.length > 0)
      return reject('SIP_ERR_BAD_EXTENSION', [['Unsupported', unsupported.join(', ')]]);
  }

  const needContact = role.requireContactFor ?? ['SUBSCRIBE', 'NOTIFY', 'REFER'];
  if (needContact.includes(req.method) && !headers.has('Contact')) return reject('SIP_ERR_MISSING_CONTACT');

  if (role.proxy) {
    // §16.3 item 3 (RFC 4475 zeromf): a proxy does not forward with Max-Forwards 0.
    if (req.maxForwards === 0) return reject('SIP_ERR_TOO_MANY_HOPS');
    return null;
  }

  // §8.2.3 content processing.
  const contentType = headers.get('Content-Type');
  if (req.body.length > 0 && contentType === undefined) return reject('SIP_ERR_MISSING_CONTENT_TYPE');
  if (req.body.length > 0) {
    const encodings = headers
      .getList('Content-Encoding')
      .map((e) => e.toLowerCase())
      .filter((e) => e.length > 0 && e !== 'identity');
    const known = (role.acceptEncoding ?? []).map((e) => e.toLowerCase());
    if (encodings.some((e) => !known.includes(e))) {
      return reject('SIP_ERR_UNSUPPORTED_CONTENT_ENCODING', [
        ['Accept-Encoding', ['identity', ...known].join(', ')],
      ]);
    }
  }
  if (contentType !== undefined && role.accept !== undefined && req.body.length > 0) {
    const type = mediaType(contentType);
    if (!role.accept.some((range) => mediaMatches(range.toLowerCase(), type))) {
      return reject('SIP_ERR_UNSUPPORTED_MEDIA_TYPE', [['Accept', role.accept.join(', ')]]);
    }
  }

  // §21.4.7 (RFC 4475 sdp01): the response body this role would send is not in Accept.
  const produces = role.responseBodyTypes?.[req.method];
  const acceptHeader = headers.getFields('Accept');
  if (produces !== undefined && produces.length > 0 && acceptHeader.length > 0) {
    const ranges = acceptHeader
      .flatMap(splitHeaderList)
      .filter((r) => r.length > 0 && !/;\s*q\s*=\s*0(?:\.0{0,3})?\s*(?:;|$)/i.test(r))
      .map(mediaType);
    const ok = produces.some((type) => ranges.some((range) => mediaMatches(range, type.toLowerCase())));
    if (!ok) {
      const agent = role.warnAgent ?? 'lab';
      return reject('SIP_ERR_NOT_ACCEPTABLE', [
        ['Warning', `399 ${agent} "No acceptable body type in Accept"`],
      ]);
    }
  }
  return null;
}

/**
 * The stateless answer to a request the decoder refused, or null when nothing may be sent
 * (a response, an ACK, or bytes that were not recognisably a request).
 */
export function answerDecodeError(error: SipDecodeError, role: UasRole): RequestRejection | null {
  if (error.isRequest !== true || error.method === 'ACK') return null;
  const headers: Array<[string, string]> = [];
  if (error.code === 'SIP_ERR_METHOD_NOT_IMPLEMENTED') headers.push(['Allow', role.allow.join(', ')]);
  return { code: error.code, status: error.status, reason: error.reason, headers };
}
