// The codec's error catalogue (STYLE.md lesson 10): every way decoding can fail has a stable
// name and the CSP Status it is answered with (imps.md §7, §13 item 2). Tests assert the code.
import { type CspStatus, describeStatus } from './status-codes.ts';

export type CspErrorName =
  | 'CSP_ERR_EMPTY_BODY'
  | 'CSP_ERR_BODY_TOO_LARGE'
  | 'CSP_ERR_UNSUPPORTED_MEDIA_TYPE'
  | 'CSP_ERR_MALFORMED_XML'
  | 'CSP_ERR_DTD_FORBIDDEN'
  | 'CSP_ERR_TOO_DEEP'
  | 'CSP_ERR_MALFORMED_WBXML'
  | 'CSP_ERR_UNSUPPORTED_WBXML'
  | 'CSP_ERR_NOT_CSP'
  | 'CSP_ERR_VERSION_NOT_SUPPORTED'
  | 'CSP_ERR_BAD_ENVELOPE'
  | 'CSP_ERR_NO_PRIMITIVE'
  | 'CSP_ERR_UNKNOWN_PRIMITIVE'
  | 'CSP_ERR_BAD_PARAMETER';

/** [CSP status code, Description prefix] per error name. */
export const CSP_ERRORS: Readonly<Record<CspErrorName, readonly [number, string]>> = {
  CSP_ERR_EMPTY_BODY: [400, 'Bad request: empty body'],
  CSP_ERR_BODY_TOO_LARGE: [400, 'Bad request: message larger than the parser limit'],
  CSP_ERR_UNSUPPORTED_MEDIA_TYPE: [415, 'Unsupported media type'],
  CSP_ERR_MALFORMED_XML: [400, 'Bad request: malformed XML'],
  CSP_ERR_DTD_FORBIDDEN: [400, 'Bad request: DTDs and entity declarations are not accepted'],
  CSP_ERR_TOO_DEEP: [400, 'Bad request: element nesting too deep'],
  CSP_ERR_MALFORMED_WBXML: [400, 'Bad request: malformed WBXML'],
  CSP_ERR_UNSUPPORTED_WBXML: [400, 'Bad request: unsupported WBXML feature'],
  CSP_ERR_NOT_CSP: [400, 'Bad request: not a WV-CSP-Message'],
  CSP_ERR_VERSION_NOT_SUPPORTED: [505, 'Version not supported'],
  CSP_ERR_BAD_ENVELOPE: [400, 'Bad request: invalid CSP envelope'],
  CSP_ERR_NO_PRIMITIVE: [400, 'Bad request: TransactionContent holds no primitive'],
  CSP_ERR_UNKNOWN_PRIMITIVE: [405, 'Service not supported'],
  CSP_ERR_BAD_PARAMETER: [402, 'Bad parameter'],
};

export interface CspDecodeError extends CspStatus {
  name: CspErrorName;
}

export function cspError(name: CspErrorName, detail?: string): CspDecodeError {
  const [code, text] = CSP_ERRORS[name];
  return { name, code, description: detail === undefined ? text : `${text} (${detail})` };
}

export { describeStatus };
