// The public CSP codec: bytes + Content-Type -> CspMessage | CSP status, and CspMessage ->
// bytes in the version and encoding the client used (imps.md §13 item 1). Pure, never throws.
import { type ParseXmlResult, parseXml, type XmlLimits } from '../../../common/xml/parse.ts';
import { serializeXml } from '../../../common/xml/serialize.ts';
import type { XmlElement } from '../../../common/xml/xml-node.ts';
import { type CspDecodeError, cspError } from './csp-errors.ts';
import { readCspMessage, writeCspMessage } from './csp-message-tree.ts';
import {
  CSP_NAMESPACES,
  type CspEncoding,
  type CspVersion,
  contentTypeFor,
  encodingFromContentType,
} from './csp-version.ts';
import type { CspMessage } from './model/envelope.ts';
import { isTypedPrimitiveName, PRIMITIVE_SCHEMAS, type TypedPrimitiveName } from './model/primitives.ts';
import type { Meta, Struct } from './model/schema.ts';
import { decodeWbxml, decodeWbxmlDirect, type WbxmlLimits } from './wbxml/wbxml-decoder.ts';
import {
  encodeWbxml,
  standInSupported,
  type WbxmlEncodeOptions,
  type WbxmlSink,
  type WbxmlStandIn,
} from './wbxml/wbxml-encoder.ts';
import { readCspWbxml } from './wbxml/wbxml-message-reader.ts';
import {
  type ModelWriteContext,
  UNUSUAL,
  writeModelMessage,
  writeModelStruct,
} from './wbxml/wbxml-model-writer.ts';
import { writeCspXml } from './xml-model-writer.ts';

export interface CspLimits {
  /** Largest body accepted, XML or WBXML (default 256 KiB). */
  maxBytes?: number;
  /** Deepest element nesting (default 48; CSP messages are ~12 deep). */
  maxDepth?: number;
  /** Most elements + text nodes (default 20,000). */
  maxNodes?: number;
}

export const DEFAULT_CSP_LIMITS: Required<CspLimits> = {
  maxBytes: 256 * 1024,
  maxDepth: 48,
  maxNodes: 20_000,
};

export type DecodeCspResult = { ok: true; message: CspMessage } | { ok: false; status: CspDecodeError };

export interface EncodeCspOptions {
  version: CspVersion;
  encoding: CspEncoding;
  /** XML only: pretty-print with this indent. */
  indent?: string;
  /** WBXML only: byte-level choices (see WbxmlEncodeOptions). */
  wbxml?: Omit<WbxmlEncodeOptions, 'version'>;
}

export interface EncodedCsp {
  body: Buffer;
  contentType: string;
}

/** Picks the decoder from the Content-Type, or by sniffing the first byte when it says nothing. */
function chooseEncoding(bytes: Uint8Array, contentType: string | undefined): CspEncoding | undefined {
  const declared = encodingFromContentType(contentType);
  if (declared !== undefined) return declared;
  if (contentType !== undefined && contentType.trim() !== '') return undefined;
  const b = bytes[0];
  if (b === undefined) return 'xml';
  // WBXML starts with its version byte 0x00-0x03; XML with '<', a BOM or whitespace.
  return b <= 0x03 ? 'wbxml' : 'xml';
}

/**
 * Decodes one CSP message. `bytes` may be the whole HTTP body or its chunks as they arrived
 * (STYLE.md lesson 1); the size limit is checked before the chunks are joined.
 */
export function decodeCsp(
  bytes: Uint8Array | readonly Uint8Array[] | string,
  contentType?: string,
  limits?: CspLimits,
): DecodeCspResult {
  try {
    const all = { ...DEFAULT_CSP_LIMITS, ...limits };
    if (Array.isArray(bytes)) {
      let total = 0;
      for (const c of bytes as readonly Uint8Array[]) total += c.byteLength;
      if (total > all.maxBytes)
        return { ok: false, status: cspError('CSP_ERR_BODY_TOO_LARGE', `${total} > ${all.maxBytes} bytes`) };
      return decodeUnsafe(Buffer.concat(bytes as readonly Uint8Array[]), contentType, all);
    }
    return decodeUnsafe(bytes as Uint8Array | string, contentType, all);
  } catch (e) {
    // Defence in depth: the parts below return errors as values, but the API promise is "never throws".
    return {
      ok: false,
      status: cspError('CSP_ERR_BAD_ENVELOPE', `internal: ${String((e as Error)?.message ?? e)}`),
    };
  }
}

function decodeUnsafe(
  input: Uint8Array | string,
  contentType: string | undefined,
  limits: Required<CspLimits>,
): DecodeCspResult {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  if (bytes.length === 0) return { ok: false, status: cspError('CSP_ERR_EMPTY_BODY') };
  if (bytes.length > limits.maxBytes)
    return {
      ok: false,
      status: cspError('CSP_ERR_BODY_TOO_LARGE', `${bytes.length} > ${limits.maxBytes} bytes`),
    };
  const encoding = chooseEncoding(bytes, contentType);
  if (encoding === undefined)
    return { ok: false, status: cspError('CSP_ERR_UNSUPPORTED_MEDIA_TYPE', contentType) };
  if (encoding === 'wbxml') {
    const wbxmlLimits: Required<WbxmlLimits> = limits;
    // The plain message straight into the model; else the tree with the primitive read directly;
    // else the tree alone (each one leaves to the next what it does not read exactly as it would).
    const message = readCspWbxml(bytes, wbxmlLimits);
    if (message !== undefined) return { ok: true, message };
    const doc = decodeWbxmlDirect(bytes, wbxmlLimits, typedSchema) ?? decodeWbxml(bytes, wbxmlLimits);
    if (!doc.ok) {
      const name =
        doc.error.code === 'WBXML_ERR_UNSUPPORTED' ? 'CSP_ERR_UNSUPPORTED_WBXML' : 'CSP_ERR_MALFORMED_WBXML';
      const err = doc.error.code === 'WBXML_ERR_TOO_DEEP' ? 'CSP_ERR_TOO_DEEP' : name;
      return { ok: false, status: cspError(err, doc.error.message) };
    }
    const d = doc.document;
    // No xmlns and a public id that names no CSP version (e.g. a future 0x13): 505, not a guess.
    if (!d.versionKnown && d.root.ns === '') {
      const id = d.publicIdText ?? `0x${d.publicId.toString(16)}`;
      return { ok: false, status: cspError('CSP_ERR_VERSION_NOT_SUPPORTED', `WBXML public id ${id}`) };
    }
    return finish(readCspMessage(d.root, 'wbxml', d.versionKnown ? d.version : undefined, d.primitive));
  }
  let buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const blanked = blankExternalDoctype(buffer);
  if (blanked === 'internal-subset')
    return { ok: false, status: cspError('CSP_ERR_DTD_FORBIDDEN', 'internal DTD subset') };
  if (blanked !== undefined) buffer = blanked;
  const xmlLimits: XmlLimits = {
    maxBytes: limits.maxBytes,
    maxDepth: limits.maxDepth,
    maxNodes: limits.maxNodes,
  };
  const parsed: ParseXmlResult = parseXml(buffer, xmlLimits);
  if (!parsed.ok) return { ok: false, status: xmlError(parsed.error.code, parsed.error.message) };
  return finish(readCspMessage(parsed.root, 'xml'));
}

// `<!DOCTYPE WV-CSP-Message PUBLIC "-//OMA//DTD WV-CSP 1.1//EN" "http://…">` (imps.md §1.2: optional,
// libwbxml needs it, the 1.1 spec examples carry it). With no internal subset it declares nothing and
// nothing is fetched, so it is blanked out before the DTD-refusing parser sees it; any `[` subset
// (where entities live: XML bombs) is refused.
const DOCTYPE_HEAD = /^(?:\uFEFF)?\s*(?:<\?xml[^>]{0,200}\?>)?\s*(<!DOCTYPE\s)/;
const EXTERNAL_DOCTYPE =
  /^<!DOCTYPE\s+[A-Za-z][\w.:-]{0,63}(?:\s+(?:PUBLIC\s+("[^"<>]{0,256}"|'[^'<>]{0,256}')\s+("[^"<>]{0,512}"|'[^'<>]{0,512}')|PUBLIC\s+("[^"<>]{0,256}"|'[^'<>]{0,256}')|SYSTEM\s+("[^"<>]{0,512}"|'[^'<>]{0,512}')))?\s*>/;

function blankExternalDoctype(buffer: Buffer): Buffer | 'internal-subset' | undefined {
  const head = buffer.toString('latin1', 0, Math.min(buffer.length, 1200));
  const m = DOCTYPE_HEAD.exec(head);
  if (m === null) return undefined;
  const start = m.index + m[0].length - m[1]!.length;
  const decl = EXTERNAL_DOCTYPE.exec(head.slice(start));
  // Not a plain external reference: leave it to the parser, which refuses every DTD.
  if (decl === null) return head.slice(start).includes('[') ? 'internal-subset' : undefined;
  const copy = Buffer.from(buffer);
  copy.fill(0x20, start, start + decl[0].length);
  return copy;
}

function typedSchema(name: string): Struct | undefined {
  return isTypedPrimitiveName(name) ? PRIMITIVE_SCHEMAS[name] : undefined;
}

function xmlError(code: string, message: string): CspDecodeError {
  switch (code) {
    case 'XML_ERR_DTD':
    case 'XML_ERR_ENTITY':
      return cspError('CSP_ERR_DTD_FORBIDDEN', message);
    case 'XML_ERR_TOO_LARGE':
      return cspError('CSP_ERR_BODY_TOO_LARGE', message);
    case 'XML_ERR_TOO_DEEP':
    case 'XML_ERR_TOO_MANY_NODES':
    case 'XML_ERR_TOO_MANY_ATTRIBUTES':
      return cspError('CSP_ERR_TOO_DEEP', message);
    default:
      return cspError('CSP_ERR_MALFORMED_XML', message);
  }
}

function finish(r: ReturnType<typeof readCspMessage>): DecodeCspResult {
  return r.ok ? r : { ok: false, status: r.error };
}

/** The tree `encodeCsp` would serialize (useful to compare encodings or to log). */
export function cspMessageTree(message: CspMessage, version: CspVersion = message.version): XmlElement {
  return writeCspMessage(message, version);
}

/** Encodes `message` in the given version and encoding (answer a client in its own, imps.md §13). */
export function encodeCsp(message: CspMessage, options: EncodeCspOptions): EncodedCsp {
  const contentType = contentTypeFor(options.version, options.encoding);
  if (options.encoding === 'wbxml') {
    const wbxmlOptions: WbxmlEncodeOptions = { ...options.wbxml, version: options.version };
    const fast = encodeWbxmlDirect(message, wbxmlOptions);
    if (fast !== undefined) return { body: fast, contentType };
    return { body: encodeWbxml(writeCspMessage(message, options.version), wbxmlOptions), contentType };
  }
  if (options.indent === undefined) {
    const fast = writeCspXml(message, options.version);
    if (fast !== undefined) return { body: fast, contentType };
  }
  const tree = writeCspMessage(message, options.version);
  const xml = serializeXml(tree, options.indent === undefined ? {} : { indent: options.indent });
  return { body: Buffer.from(xml, 'utf8'), contentType };
}

/**
 * The stand-in that writes from the model (a class: no closure per message): the whole message
 * when its envelope is plain (it then stands in for the root), else the typed primitive only.
 */
class ModelWriter implements WbxmlStandIn {
  readonly element: XmlElement;
  constructor(
    private readonly message: CspMessage,
    private readonly name: TypedPrimitiveName,
    private readonly body: Record<string, unknown> & Meta,
    private readonly version: CspVersion,
    readonly whole: boolean,
  ) {
    this.element = whole ? MESSAGE_STAND_IN : PRIMITIVE_STAND_IN;
  }
  write(sink: WbxmlSink, presence: boolean): void {
    const ctx: ModelWriteContext = { paNs: CSP_NAMESPACES[this.version].pa, version: this.version };
    if (this.whole) {
      if (!writeModelMessage(sink, this.message, this.version, ctx)) throw UNUSUAL;
      return;
    }
    const schema: Struct = PRIMITIVE_SCHEMAS[this.name];
    writeModelStruct(sink, this.name, this.body, schema, presence, ctx);
  }
}

// Where the fast path writes: identity-compared by the WBXML encoder.
const PRIMITIVE_STAND_IN: XmlElement = { name: '', local: '', ns: '', attributes: [], children: [] };
const MESSAGE_STAND_IN: XmlElement = { name: '', local: '', ns: '', attributes: [], children: [] };

/**
 * WBXML fast path: the message written straight from its model by the same schema, no XmlElement
 * per field (a plain envelope directly too, else as a small tree around the primitive). Same bytes
 * as the tree path (tested on every sample); undefined when the message needs the tree path
 * (several transactions, a generic primitive, non-default byte options, a sender's own child order).
 */
function encodeWbxmlDirect(message: CspMessage, options: WbxmlEncodeOptions): Buffer | undefined {
  const env = message.envelope;
  const transactions = env.transactions;
  if (transactions.length !== 1 || !standInSupported(options)) return undefined;
  const tx = transactions[0]!;
  const p = tx.primitive;
  if ('generic' in p) return undefined;
  const version = options.version;
  const plain =
    env.$attributes === undefined &&
    env.$extensions === undefined &&
    tx.segmentInfo === undefined &&
    tx.extBlocks === undefined &&
    tx.$extensions === undefined &&
    tx.$descriptorText === undefined;
  const writer = new ModelWriter(message, p.name, p.body as Record<string, unknown> & Meta, version, plain);
  try {
    const root = plain ? MESSAGE_STAND_IN : writeCspMessage(message, version, PRIMITIVE_STAND_IN);
    return encodeWbxml(root, options, writer);
  } catch (e) {
    if (e === UNUSUAL) return undefined;
    throw e;
  }
}
