// The payload error catalogue: one stable code per failure, with the SIP answer a UAS gives when
// the body of a request fails (RFC 3261 §21.4; 413/415 per §21.4.14/§21.4.16).
import type { XmlErrorCode } from '../../../common/xml/parse.ts';

export type PayloadErrorCode =
  | 'PAYLOAD_ERR_MALFORMED_XML'
  | 'PAYLOAD_ERR_FORBIDDEN_MARKUP'
  | 'PAYLOAD_ERR_TOO_LARGE'
  | 'PAYLOAD_ERR_WRONG_ROOT'
  | 'PAYLOAD_ERR_INVALID'
  | 'PAYLOAD_ERR_MUST_UNDERSTAND'
  | 'PAYLOAD_ERR_UNSUPPORTED'
  | 'PAYLOAD_ERR_MALFORMED_MIME';

export interface PayloadError {
  code: PayloadErrorCode;
  message: string;
  /** What a SIP UAS answers when a request body fails with this code. */
  sipStatus: number;
  sipReason: string;
  /** The underlying XML error, when the XML layer refused the bytes. */
  xmlCode?: XmlErrorCode;
}

export type PayloadResult<T> = { ok: true; value: T } | { ok: false; error: PayloadError };

export const PAYLOAD_ERRORS: Record<
  PayloadErrorCode,
  { sipStatus: number; sipReason: string; meaning: string }
> = {
  PAYLOAD_ERR_MALFORMED_XML: {
    sipStatus: 400,
    sipReason: 'Malformed Body',
    meaning: 'not well-formed XML / not UTF-8',
  },
  PAYLOAD_ERR_FORBIDDEN_MARKUP: {
    sipStatus: 400,
    sipReason: 'DTD Not Allowed',
    meaning: 'DOCTYPE or a non-predefined entity reference',
  },
  PAYLOAD_ERR_TOO_LARGE: {
    sipStatus: 413,
    sipReason: 'Request Entity Too Large',
    meaning: 'a byte, depth, node or attribute limit was exceeded',
  },
  PAYLOAD_ERR_WRONG_ROOT: {
    sipStatus: 400,
    sipReason: 'Unexpected Document Root',
    meaning: 'root element is not the one of the declared format',
  },
  PAYLOAD_ERR_INVALID: {
    sipStatus: 400,
    sipReason: 'Invalid Body',
    meaning: 'well-formed but structurally invalid for the format',
  },
  PAYLOAD_ERR_MUST_UNDERSTAND: {
    sipStatus: 400,
    sipReason: 'Unsupported mustUnderstand Element',
    meaning: 'RFC 3863 §4.1.7: an extension marked mustUnderstand that we do not understand',
  },
  PAYLOAD_ERR_UNSUPPORTED: {
    sipStatus: 415,
    sipReason: 'Unsupported Media Type',
    meaning: 'a feature of the format the lab does not implement (e.g. a filter type)',
  },
  PAYLOAD_ERR_MALFORMED_MIME: {
    sipStatus: 400,
    sipReason: 'Malformed MIME Body',
    meaning: 'multipart or CPIM framing is broken',
  },
};

export function payloadError(code: PayloadErrorCode, message: string, xmlCode?: XmlErrorCode): PayloadError {
  const { sipStatus, sipReason } = PAYLOAD_ERRORS[code];
  return xmlCode === undefined
    ? { code, message, sipStatus, sipReason }
    : { code, message, sipStatus, sipReason, xmlCode };
}

export function fromXmlError(code: XmlErrorCode, message: string): PayloadError {
  switch (code) {
    case 'XML_ERR_DTD':
    case 'XML_ERR_ENTITY':
      return payloadError('PAYLOAD_ERR_FORBIDDEN_MARKUP', message, code);
    case 'XML_ERR_TOO_LARGE':
    case 'XML_ERR_TOO_DEEP':
    case 'XML_ERR_TOO_MANY_NODES':
    case 'XML_ERR_TOO_MANY_ATTRIBUTES':
      return payloadError('PAYLOAD_ERR_TOO_LARGE', message, code);
    default:
      return payloadError('PAYLOAD_ERR_MALFORMED_XML', message, code);
  }
}
