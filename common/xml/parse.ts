// parseXml: bytes or text → XmlElement tree, or a typed error. The reading itself is done by
// xml-scanner.ts (a strict, non-validating, namespace-aware XML 1.0 reader; see there for why it
// replaced saxes); this file holds the public contract and the lab's hardening:
// - any DOCTYPE is refused (no DTD means no external entities — XXE — and no entity
//   expansion — "billion laughs"); only the five predefined entities and numeric character
//   references are known, so any other `&name;` is refused as well;
// - size, depth, node and attribute limits are enforced while parsing, not after;
// - UTF-8 only (every SIMPLE/CSP body the lab handles is UTF-8; RFC 3863 §4 mandates it for PIDF);
// - it never throws: every failure is an `XML_ERR_*` code the protocol layer maps to its own answer.
import { isAscii, isUtf8 } from 'node:buffer';
import type { XmlElement } from './xml-node.ts';
import { ScanAbort, scanDocument } from './xml-scanner.ts';

export interface XmlLimits {
  /** Largest accepted document, in bytes of UTF-8. */
  maxBytes?: number;
  /** Deepest element nesting (the root is depth 1). */
  maxDepth?: number;
  /** Most elements + text nodes in the whole document. */
  maxNodes?: number;
  /** Most attributes (namespace declarations included) on one element. */
  maxAttributes?: number;
}

export const DEFAULT_XML_LIMITS: Required<XmlLimits> = {
  maxBytes: 1024 * 1024,
  maxDepth: 64,
  maxNodes: 100_000,
  maxAttributes: 64,
};

export type XmlErrorCode =
  | 'XML_ERR_TOO_LARGE'
  | 'XML_ERR_TOO_DEEP'
  | 'XML_ERR_TOO_MANY_NODES'
  | 'XML_ERR_TOO_MANY_ATTRIBUTES'
  | 'XML_ERR_DTD'
  | 'XML_ERR_ENTITY'
  | 'XML_ERR_ENCODING'
  | 'XML_ERR_NAMESPACE'
  | 'XML_ERR_MALFORMED';

export interface XmlError {
  code: XmlErrorCode;
  message: string;
}

export type ParseXmlResult = { ok: true; root: XmlElement } | { ok: false; error: XmlError };

function decode(input: Buffer | string, maxBytes: number): string | XmlError {
  if (typeof input === 'string') {
    // Cheap upper bound first: a UTF-16 unit is at most 3 UTF-8 bytes.
    if (input.length * 3 > maxBytes && Buffer.byteLength(input, 'utf8') > maxBytes) {
      return { code: 'XML_ERR_TOO_LARGE', message: `document larger than ${maxBytes} bytes` };
    }
    return input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  }
  if (input.byteLength > maxBytes) {
    return { code: 'XML_ERR_TOO_LARGE', message: `document of ${input.byteLength} bytes > ${maxBytes}` };
  }
  // Validate first, then decode without replacement characters: same outcome as a fatal
  // TextDecoder, at a fraction of its cost on short bodies.
  // A plain Uint8Array (the type allows one at run time) is viewed as a Buffer, not copied.
  const view: Uint8Array = input;
  const bytes = Buffer.isBuffer(view) ? view : Buffer.from(view.buffer, view.byteOffset, view.byteLength);
  // Most bodies are pure ASCII (CSP, PIDF with ASCII notes): a one-byte string is cheapest to make.
  if (isAscii(bytes)) return bytes.toString('latin1');
  if (!isUtf8(bytes)) return { code: 'XML_ERR_ENCODING', message: 'document is not valid UTF-8' };
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

export function parseXml(input: Buffer | string, limits?: XmlLimits): ParseXmlResult {
  try {
    const all = limits === undefined ? DEFAULT_XML_LIMITS : { ...DEFAULT_XML_LIMITS, ...limits };
    const text = decode(input, all.maxBytes);
    if (typeof text !== 'string') return { ok: false, error: text };
    return { ok: true, root: scanDocument(text, all) };
  } catch (e) {
    if (e instanceof ScanAbort) return { ok: false, error: { code: e.code, message: e.message } };
    // Not expected (the scanner reports every problem as a ScanAbort), but the contract is "never throws".
    return { ok: false, error: { code: 'XML_ERR_MALFORMED', message: String((e as Error)?.message ?? e) } };
  }
}
