// The SIP codec's error catalogue (STYLE.md lesson 10): every fault the codec or the UAS-level
// request checks can find has a stable code and the wire answer a stateless responder sends.
// Tests assert codes, never message text. docs/sip-errors.md renders this table.

export interface SipErrorEntry {
  /** Status code of the answer (RFC 3261 §21). */
  readonly status: number;
  /** Reason phrase naming the fault. */
  readonly reason: string;
  /** The rule broken, for the docs. */
  readonly clause: string;
}

export const SIP_ERRORS = {
  SIP_ERR_EMPTY_MESSAGE: { status: 400, reason: 'Bad Request - Empty Message', clause: 'RFC 3261 §7' },
  SIP_ERR_MALFORMED_REQUEST_LINE: {
    status: 400,
    reason: 'Bad Request - Malformed Request-Line',
    clause: 'RFC 3261 §7.1, §25.1 (single SP, RFC 4475 lwsstart/trws)',
  },
  SIP_ERR_MALFORMED_STATUS_LINE: {
    status: 400,
    reason: 'Bad Request - Malformed Status-Line',
    clause: 'RFC 3261 §7.2 (3-digit Status-Code, RFC 4475 bigcode)',
  },
  SIP_ERR_VERSION_NOT_SUPPORTED: {
    status: 505,
    reason: 'Version Not Supported',
    clause: 'RFC 3261 §8.1.1, §21.5.7 (RFC 4475 badvers)',
  },
  SIP_ERR_MALFORMED_REQUEST_URI: {
    status: 400,
    reason: 'Bad Request - Malformed Request-URI',
    clause: 'RFC 3261 §19.1, §25.1 (RFC 4475 ltgtruri)',
  },
  SIP_ERR_REQUEST_URI_HEADERS: {
    status: 400,
    reason: 'Bad Request - Headers In Request-URI',
    clause: 'RFC 3261 §19.1.1 table 1 (RFC 4475 escruri)',
  },
  SIP_ERR_INVALID_UTF8: {
    status: 400,
    reason: 'Bad Request - Invalid UTF-8',
    clause: 'RFC 3261 §25.1 (TEXT-UTF8)',
  },
  SIP_ERR_MALFORMED_HEADER: {
    status: 400,
    reason: 'Bad Request - Malformed Header Field',
    clause: 'RFC 3261 §7.3.1 (name HCOLON value)',
  },
  SIP_ERR_MISSING_HEADER_TERMINATOR: {
    status: 400,
    reason: 'Bad Request - Missing Empty Line After Headers',
    clause: 'RFC 3261 §7 (CRLF before the body is mandatory)',
  },
  SIP_ERR_TOO_MANY_HEADERS: {
    status: 513,
    reason: 'Message Too Large - Too Many Header Fields',
    clause: 'RFC 3261 §21.5.9 (receiver limit)',
  },
  SIP_ERR_MESSAGE_TOO_LARGE: {
    status: 513,
    reason: 'Message Too Large',
    clause: 'RFC 3261 §21.5.9 (receiver limit)',
  },
  SIP_ERR_MALFORMED_VIA: { status: 400, reason: 'Bad Request - Malformed Via', clause: 'RFC 3261 §20.42' },
  SIP_ERR_MALFORMED_FROM: { status: 400, reason: 'Bad Request - Malformed From', clause: 'RFC 3261 §20.20' },
  SIP_ERR_MALFORMED_TO: { status: 400, reason: 'Bad Request - Malformed To', clause: 'RFC 3261 §20.39' },
  SIP_ERR_MALFORMED_CONTACT: {
    status: 400,
    reason: 'Bad Request - Malformed Contact',
    clause: 'RFC 3261 §20.10 (RFC 4475 regbadct)',
  },
  SIP_ERR_MALFORMED_ROUTE: {
    status: 400,
    reason: 'Bad Request - Malformed Route',
    clause: 'RFC 3261 §20.34',
  },
  SIP_ERR_MALFORMED_RECORD_ROUTE: {
    status: 400,
    reason: 'Bad Request - Malformed Record-Route',
    clause: 'RFC 3261 §20.30',
  },
  SIP_ERR_MALFORMED_CALL_ID: {
    status: 400,
    reason: 'Bad Request - Malformed Call-ID',
    clause: 'RFC 3261 §20.8',
  },
  SIP_ERR_MALFORMED_CSEQ: { status: 400, reason: 'Bad Request - Malformed CSeq', clause: 'RFC 3261 §20.16' },
  SIP_ERR_CSEQ_OUT_OF_RANGE: {
    status: 400,
    reason: 'Bad Request - CSeq Number Out Of Range',
    clause: 'RFC 3261 §8.1.1.5 (< 2^32, RFC 4475 scalar02/scalarlg)',
  },
  SIP_ERR_CSEQ_METHOD_MISMATCH: {
    status: 400,
    reason: 'Bad Request - CSeq Method Does Not Match',
    clause: 'RFC 3261 §8.1.1.5 (RFC 4475 mismatch01)',
  },
  SIP_ERR_MALFORMED_MAX_FORWARDS: {
    status: 400,
    reason: 'Bad Request - Malformed Max-Forwards',
    clause: 'RFC 3261 §20.22 (0-255)',
  },
  SIP_ERR_MALFORMED_CONTENT_LENGTH: {
    status: 400,
    reason: 'Bad Request - Malformed Content-Length',
    clause: 'RFC 3261 §20.14 (RFC 4475 ncl)',
  },
  SIP_ERR_MULTIPLE_CONTENT_LENGTH: {
    status: 400,
    reason: 'Bad Request - Multiple Content-Length',
    clause: 'RFC 3261 §20.14 (RFC 4475 mcl01)',
  },
  SIP_ERR_MISSING_CONTENT_LENGTH: {
    status: 400,
    reason: 'Bad Request - Missing Content-Length',
    clause: 'RFC 3261 §18.3 (mandatory on streams)',
  },
  SIP_ERR_CONTENT_LENGTH_EXCEEDS_MESSAGE: {
    status: 400,
    reason: 'Bad Request - Content-Length Larger Than Message',
    clause: 'RFC 3261 §18.3 (RFC 4475 clerr)',
  },
  SIP_ERR_MISSING_VIA: { status: 400, reason: 'Bad Request - Missing Via', clause: 'RFC 3261 §8.1.1' },
  SIP_ERR_MISSING_FROM: { status: 400, reason: 'Bad Request - Missing From', clause: 'RFC 3261 §8.1.1' },
  SIP_ERR_MISSING_TO: { status: 400, reason: 'Bad Request - Missing To', clause: 'RFC 3261 §8.1.1' },
  SIP_ERR_MISSING_CALL_ID: {
    status: 400,
    reason: 'Bad Request - Missing Call-ID',
    clause: 'RFC 3261 §8.1.1 (RFC 4475 insuf)',
  },
  SIP_ERR_MISSING_CSEQ: { status: 400, reason: 'Bad Request - Missing CSeq', clause: 'RFC 3261 §8.1.1' },
  SIP_ERR_MISSING_MAX_FORWARDS: {
    status: 400,
    reason: 'Bad Request - Missing Max-Forwards',
    clause: 'RFC 3261 §8.1.1.6 (optional by role: RFC 4475 inv2543)',
  },
  SIP_ERR_MISSING_CONTACT: {
    status: 400,
    reason: 'Bad Request - Missing Contact',
    clause: 'RFC 3261 §8.1.1.8, RFC 6665 §4.1.1/§4.2.1',
  },
  SIP_ERR_MISSING_CONTENT_TYPE: {
    status: 400,
    reason: 'Bad Request - Missing Content-Type',
    clause: 'RFC 3261 §20.15 (body present)',
  },
  SIP_ERR_MULTIPLE_VALUES: {
    status: 400,
    reason: 'Bad Request - Multiple Values In Single-Value Header',
    clause: 'RFC 3261 §7.3.1 (RFC 4475 multi01)',
  },
  SIP_ERR_BRANCH_WITHOUT_ID: {
    status: 400,
    reason: 'Bad Request - Via Branch Without Transaction Identifier',
    clause: 'RFC 3261 §8.1.1.7 (RFC 4475 badbranch)',
  },
  SIP_ERR_REGISTER_TO_NOT_SIP: {
    status: 400,
    reason: 'Bad Request - Address-Of-Record Must Be A SIP URI',
    clause: 'RFC 3261 §10.2, §10.3 (RFC 4475 unksm2)',
  },
  SIP_ERR_BAD_WILDCARD_CONTACT: {
    status: 400,
    reason: 'Bad Request - Invalid Wildcard Contact',
    clause: 'RFC 3261 §10.3 step 6',
  },
  SIP_ERR_METHOD_NOT_ALLOWED: {
    status: 405,
    reason: 'Method Not Allowed',
    clause: 'RFC 3261 §8.2.1 (Allow added)',
  },
  SIP_ERR_NOT_ACCEPTABLE: {
    status: 406,
    reason: 'Not Acceptable',
    clause: 'RFC 3261 §21.4.7 (RFC 4475 sdp01, Warning 399)',
  },
  SIP_ERR_UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    reason: 'Unsupported Media Type',
    clause: 'RFC 3261 §8.2.3 (Accept added, RFC 4475 invut)',
  },
  SIP_ERR_UNSUPPORTED_CONTENT_ENCODING: {
    status: 415,
    reason: 'Unsupported Media Type - Content-Encoding',
    clause: 'RFC 3261 §8.2.3 (Accept-Encoding added)',
  },
  SIP_ERR_UNSUPPORTED_URI_SCHEME: {
    status: 416,
    reason: 'Unsupported URI Scheme',
    clause: 'RFC 3261 §8.2.2.1 (RFC 4475 unkscm, novelsc)',
  },
  SIP_ERR_BAD_EXTENSION: {
    status: 420,
    reason: 'Bad Extension',
    clause: 'RFC 3261 §8.2.2.3 (Unsupported added, RFC 4475 bext01)',
  },
  SIP_ERR_TOO_MANY_HOPS: {
    status: 483,
    reason: 'Too Many Hops',
    clause: 'RFC 3261 §16.3 item 3 (proxy only, RFC 4475 zeromf)',
  },
  SIP_ERR_METHOD_NOT_IMPLEMENTED: {
    status: 501,
    reason: 'Not Implemented',
    clause: 'RFC 3261 §8.2.1 (Allow added, RFC 4475 intmeth/esc02/mismatch02)',
  },
  SIP_ERR_INTERNAL: {
    status: 500,
    reason: 'Server Internal Error - Decoder Fault',
    clause: 'RFC 3261 §21.5.1 (a codec bug, never expected; tests assert it never occurs)',
  },
} as const satisfies Record<string, SipErrorEntry>;

export type SipErrorCode = keyof typeof SIP_ERRORS;

/**
 * Thrown by the internal value parsers (uri-codec, header-values). The public decoder catches
 * it and turns it into a DecodeResult; it never escapes decodeSipMessage.
 */
export class SipSyntaxError extends Error {
  readonly code: SipErrorCode;
  readonly status: number;
  readonly reason: string;

  constructor(code: SipErrorCode, detail?: string) {
    const entry = SIP_ERRORS[code];
    super(detail === undefined ? `${code}: ${entry.reason}` : `${code}: ${entry.reason} (${detail})`);
    this.name = 'SipSyntaxError';
    this.code = code;
    this.status = entry.status;
    this.reason = entry.reason;
  }
}

export function isSipSyntaxError(e: unknown): e is SipSyntaxError {
  return e instanceof SipSyntaxError;
}

/** The catalogue as a Markdown table (docs/sip-errors.md holds this text; a test keeps them equal). */
export function renderSipErrorTable(): string {
  const rows = Object.entries(SIP_ERRORS).map(
    ([code, e]: [string, SipErrorEntry]) => `| \`${code}\` | ${e.status} | ${e.reason} | ${e.clause} |`,
  );
  return ['| code | status | reason phrase | rule |', '|---|---|---|---|', ...rows].join('\n');
}
