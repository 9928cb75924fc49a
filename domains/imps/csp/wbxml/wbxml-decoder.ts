// WBXML bytes -> XmlElement tree for CSP 1.1/1.2/1.3 (WAP-192 WBXML 1.3 + imps.md §9).
// Pure and allocation-light: one pass over the bytes, an explicit element stack (no recursion),
// strings sliced straight out of the input buffer. Never throws: errors come back as values.
import type { XmlAttribute, XmlElement } from '../../../../common/xml/xml-node.ts';
import { CSP_NAMESPACES, type CspVersion, parseCspNamespace, versionFromPublicId } from '../csp-version.ts';
import {
  compile,
  isDigits,
  K_BOOL,
  K_INT,
  K_STRUCT,
  K_TEXT,
  type Meta,
  type Slot,
  type Struct,
} from '../model/schema.ts';
import { decodeDateTime } from './wbxml-datetime.ts';
import {
  ATTR_START_PREFIXES,
  DATETIME_TAGS,
  TABLES,
  VERSION_INDEX,
  type WbxmlTables,
} from './wbxml-tables.ts';

export const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

export interface WbxmlLimits {
  /** Largest accepted document (default 1 MiB, like the XML parser). */
  maxBytes?: number;
  /** Deepest element nesting (default 64). */
  maxDepth?: number;
  /** Most elements + text nodes (default 100,000). */
  maxNodes?: number;
}

export const DEFAULT_WBXML_LIMITS: Required<WbxmlLimits> = {
  maxBytes: 1024 * 1024,
  maxDepth: 64,
  maxNodes: 100_000,
};

export type WbxmlErrorCode =
  | 'WBXML_ERR_TOO_LARGE'
  | 'WBXML_ERR_TOO_DEEP'
  | 'WBXML_ERR_MALFORMED'
  | 'WBXML_ERR_UNSUPPORTED';

export interface WbxmlError {
  code: WbxmlErrorCode;
  message: string;
}

export interface WbxmlDocument {
  root: XmlElement;
  /** WBXML version byte (0x03 = 1.3). */
  wbxmlVersion: number;
  /** Numeric public id, or 0 when given as a string-table reference. */
  publicId: number;
  /** Public id text when it came from the string table. */
  publicIdText: string | undefined;
  /** IANA MIBenum of the charset (106 = UTF-8). */
  charset: number;
  /** Version used for the token tables: the root xmlns if known, else the public id. */
  version: CspVersion;
  /** False when neither the root xmlns nor the public id named a CSP version (`version` is a guess). */
  versionKnown: boolean;
  /** `decodeWbxmlDirect` only: the first typed primitive, read straight into its model (see there). */
  primitive?: DirectPrimitive;
}

/** A primitive read into its model: `element` is in the tree (no children), `body` holds its content. */
export interface DirectPrimitive {
  element: XmlElement;
  body: Record<string, unknown> & Meta;
}

export type DecodeWbxmlResult = { ok: true; document: WbxmlDocument } | { ok: false; error: WbxmlError };

// WBXML 1.3 §7.1 global tokens.
const SWITCH_PAGE = 0x00;
const END = 0x01;
const ENTITY = 0x02;
const STR_I = 0x03;
const LITERAL = 0x04;
const PI = 0x43;
const EXT_T_0 = 0x80;
const STR_T = 0x83;
const OPAQUE = 0xc3;

class Fail {
  constructor(readonly error: WbxmlError) {}
}
function fail(code: WbxmlErrorCode, message: string): never {
  throw new Fail({ code, message });
}

// XML 1.0 §2.2: a decoded string must still be writable as XML.
const NOT_XML_CHAR = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

export function decodeWbxml(
  input: Uint8Array,
  limits?: WbxmlLimits,
  fallbackVersion?: CspVersion,
): DecodeWbxmlResult {
  try {
    return {
      ok: true,
      document: new Reader(input, { ...DEFAULT_WBXML_LIMITS, ...limits }, fallbackVersion).read(),
    };
  } catch (e) {
    if (e instanceof Fail) return { ok: false, error: e.error };
    return { ok: false, error: { code: 'WBXML_ERR_MALFORMED', message: String((e as Error)?.message ?? e) } };
  }
}

/** Thrown by the direct reader when the tree path must decide (it never leaves this file). */
const BAIL = Symbol('wbxml-direct-bail');
function bail(): never {
  throw BAIL;
}

/**
 * `decodeWbxml`, except that the first typed primitive (the child of TransactionContent whose
 * schema `schemaFor` gives) is read straight into its model by the schema, without an
 * XmlElement per field: the hot half of `decodeCsp` for WBXML. It reads only what the tree path
 * would turn into the same model with nothing to keep aside (no extensions, foreign attributes,
 * stray text, sender order, raw elements, malformed or oversized input); on anything else it
 * returns undefined and the caller decodes with `decodeWbxml`, so results and errors are the
 * tree path's (tests/unit/domains/imps/csp/wbxml/wbxml-direct-reader.test.ts).
 */
export function decodeWbxmlDirect(
  input: Uint8Array,
  limits: WbxmlLimits | undefined,
  schemaFor: (primitiveName: string) => Struct | undefined,
): DecodeWbxmlResult | undefined {
  try {
    const reader = new Reader(input, { ...DEFAULT_WBXML_LIMITS, ...limits }, undefined);
    reader.schemaFor = schemaFor;
    return { ok: true, document: reader.read() };
  } catch {
    return undefined;
  }
}

/**
 * Buffer's own slicers (what toString(encoding, start, end) ends in, without its argument
 * checks and encoding look-up: most strings here are a few bytes long, and the wrapper cost
 * as much as the copy).
 */
interface FastSlices {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

const ROOT_SCOPE: ReadonlyMap<string, string> = new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]);

class Reader {
  private pos = 0;
  private readonly buf: Buffer;
  private strtblStart = 0;
  private strtblEnd = 0;
  private latin1 = false;
  private tables: WbxmlTables;
  private nodes = 0;
  schemaFor: ((primitiveName: string) => Struct | undefined) | undefined;
  private primitive: DirectPrimitive | undefined;
  private directPage = 0;

  constructor(
    bytes: Uint8Array,
    private readonly limits: Required<WbxmlLimits>,
    private readonly fallbackVersion: CspVersion | undefined,
  ) {
    this.buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.tables = TABLES[VERSION_INDEX[fallbackVersion ?? '1.2']]!;
  }

  read(): WbxmlDocument {
    const b = this.buf;
    if (b.length === 0) fail('WBXML_ERR_MALFORMED', 'empty document');
    if (b.length > this.limits.maxBytes)
      fail('WBXML_ERR_TOO_LARGE', `document of ${b.length} bytes > ${this.limits.maxBytes}`);
    const wbxmlVersion = this.byte();
    if (wbxmlVersion > 0x03) fail('WBXML_ERR_UNSUPPORTED', `WBXML version 0x${wbxmlVersion.toString(16)}`);
    let publicId = this.mbUint();
    let publicIdIndex = -1;
    if (publicId === 0) publicIdIndex = this.mbUint();
    // WBXML 1.0 has no charset field; 0 means "unknown" and is read as UTF-8.
    const charset = wbxmlVersion === 0 ? 106 : this.mbUint();
    if (charset === 4) this.latin1 = true;
    else if (charset !== 106 && charset !== 3 && charset !== 0)
      fail('WBXML_ERR_UNSUPPORTED', `charset MIBenum ${charset} (UTF-8, US-ASCII and ISO-8859-1 only)`);
    const strtblLength = this.mbUint();
    this.strtblStart = this.pos;
    this.strtblEnd = this.pos + strtblLength;
    if (this.strtblEnd > b.length) fail('WBXML_ERR_MALFORMED', 'string table runs past the end');
    this.pos = this.strtblEnd;
    let publicIdText: string | undefined;
    if (publicIdIndex >= 0) {
      publicIdText = this.tableString(publicIdIndex);
      publicId = 0;
    }
    const declared = versionFromPublicId(publicId) ?? versionFromText(publicIdText);
    let versionKnown = declared !== undefined;
    let version = declared ?? this.fallbackVersion ?? '1.2';
    this.tables = TABLES[VERSION_INDEX[version]]!;

    this.skipPis();
    const root = this.body((v) => {
      version = v;
      versionKnown = true;
      this.tables = TABLES[VERSION_INDEX[v]]!;
    });
    this.skipPis();
    if (this.pos !== b.length)
      fail('WBXML_ERR_MALFORMED', `${b.length - this.pos} bytes after the root element`);
    const doc: WbxmlDocument = { root, wbxmlVersion, publicId, publicIdText, charset, version, versionKnown };
    if (this.primitive !== undefined) doc.primitive = this.primitive;
    return doc;
  }

  private byte(): number {
    if (this.pos >= this.buf.length) fail('WBXML_ERR_MALFORMED', 'unexpected end of document');
    return this.buf[this.pos++]!;
  }

  // WBXML §5.1 mb_u_int32: at most 5 bytes, value < 2^32.
  private mbUint(): number {
    let value = 0;
    for (let i = 0; i < 5; i++) {
      const c = this.byte();
      value = value * 128 + (c & 0x7f);
      if ((c & 0x80) === 0) {
        if (value > 0xffffffff) fail('WBXML_ERR_MALFORMED', 'mb_u_int32 overflow');
        return value;
      }
    }
    return fail('WBXML_ERR_MALFORMED', 'mb_u_int32 longer than 5 bytes');
  }

  /**
   * STR_I: finds the terminator and checks the characters (as `text`) in one scan; a refused
   * character is reported only once the terminator is known to be there, as `text` would.
   */
  private inlineString(): string {
    const b = this.buf;
    const start = this.pos;
    const n = b.length;
    let ascii = true;
    let refused = false;
    let i = start;
    for (; i < n; i++) {
      const c = b[i]!;
      if (c < 0x20) {
        if (c === 0) break;
        if (c !== 0x09 && c !== 0x0a && c !== 0x0d) refused = true;
      } else if (c >= 0x80) {
        ascii = false;
        if (c === 0xef && b[i + 1] === 0xbf && (b[i + 2]! & 0xfe) === 0xbe && !this.latin1) refused = true;
      }
    }
    if (i >= n) fail('WBXML_ERR_MALFORMED', 'STR_I without terminator');
    this.pos = i + 1;
    if (refused) return this.text(start, i); // fails with text's own message
    const slices = b as unknown as FastSlices;
    return ascii || this.latin1 ? slices.latin1Slice(start, i) : slices.utf8Slice(start, i);
  }

  private tableString(offset: number): string {
    const start = this.strtblStart + offset;
    if (start >= this.strtblEnd) fail('WBXML_ERR_MALFORMED', `string table reference ${offset} out of range`);
    const end = this.buf.indexOf(0, start);
    if (end < 0 || end >= this.strtblEnd) fail('WBXML_ERR_MALFORMED', 'unterminated string table entry');
    return this.text(start, end);
  }

  /**
   * Bytes -> string, refusing what XML 1.0 §2.2 cannot carry: C0 controls other than TAB/LF/CR and
   * U+FFFE/U+FFFF (EF BF BE/BF). One scan over the bytes also finds pure-ASCII runs, which are
   * sliced without UTF-8 decoding. Invalid UTF-8 becomes U+FFFD, which XML allows.
   */
  private text(start: number, end: number): string {
    const b = this.buf;
    let ascii = true;
    for (let i = start; i < end; i++) {
      const c = b[i]!;
      if (c < 0x20) {
        if (c !== 0x09 && c !== 0x0a && c !== 0x0d)
          fail('WBXML_ERR_MALFORMED', 'string holds characters XML cannot carry');
      } else if (c >= 0x80) {
        ascii = false;
        if (c === 0xef && b[i + 1] === 0xbf && (b[i + 2]! & 0xfe) === 0xbe && !this.latin1)
          fail('WBXML_ERR_MALFORMED', 'string holds U+FFFE/U+FFFF');
      }
    }
    const slices = b as unknown as FastSlices;
    return ascii || this.latin1 ? slices.latin1Slice(start, end) : slices.utf8Slice(start, end);
  }

  private skipPis(): void {
    while (this.pos < this.buf.length && this.buf[this.pos] === PI) {
      this.pos++;
      this.attributes(null, undefined);
    }
  }

  private body(onVersion: (v: CspVersion) => void): XmlElement {
    // The open elements as parallel arrays (element, prefix scope, default namespace): no frame
    // object per element.
    const els: XmlElement[] = [];
    const scopes: Array<ReadonlyMap<string, string>> = [];
    const defaults: string[] = [];
    let depth = 0;
    let page = 0;
    let root: XmlElement | undefined;
    const b = this.buf;
    const tagNames = this.tables.tagNames;
    for (;;) {
      if (this.pos >= b.length) fail('WBXML_ERR_MALFORMED', 'document ends inside an element');
      const t = b[this.pos++]!;
      if (t === SWITCH_PAGE) {
        page = this.byte();
        continue;
      }
      if (t === END) {
        if (depth === 0) fail('WBXML_ERR_MALFORMED', 'END outside the root element');
        depth--;
        if (depth === 0) return root!;
        continue;
      }
      const top = depth === 0 ? undefined : els[depth - 1]!;
      if (top !== undefined && this.content(t, top)) continue;
      // A tag: low 6 bits token (or LITERAL), 0x40 content, 0x80 attributes.
      const low = t & 0x3f;
      if (low < LITERAL) fail('WBXML_ERR_MALFORMED', `token 0x${t.toString(16)} where an element must start`);
      let name: string;
      if (low === LITERAL) name = this.tableString(this.mbUint());
      else {
        // The root's xmlns may switch the version's table: read it from this.tables after the root.
        const known =
          page < 16 ? (root === undefined ? tagNames : this.tables.tagNames)[page * 64 + low] : undefined;
        if (known === undefined)
          fail('WBXML_ERR_UNSUPPORTED', `unknown tag token 0x${low.toString(16)} on code page ${page}`);
        name = known;
      }
      if (depth >= this.limits.maxDepth)
        fail('WBXML_ERR_TOO_DEEP', `nesting deeper than ${this.limits.maxDepth}`);
      this.countNode();
      let scope = depth === 0 ? ROOT_SCOPE : scopes[depth - 1]!;
      let defaultNs = depth === 0 ? '' : defaults[depth - 1]!;
      const attributes: XmlAttribute[] = [];
      if ((t & 0x80) !== 0) {
        this.attributes(attributes, top === undefined ? onVersion : undefined);
        const declared = declaredScope(attributes, scope);
        if (declared !== scope) {
          scope = declared;
          defaultNs = scope.get('') ?? '';
        }
      }
      const el: XmlElement = { name, local: name, ns: defaultNs, attributes, children: [] };
      if (low === LITERAL) resolveName(el, scope);
      if (top === undefined) root = el;
      else top.children.push(el);
      if ((t & 0x40) !== 0) {
        if (
          this.schemaFor !== undefined &&
          this.primitive === undefined &&
          low !== LITERAL &&
          top?.local === 'TransactionContent'
        ) {
          const schema = this.schemaFor(name);
          if (schema !== undefined) {
            this.directPage = page;
            this.primitive = { element: el, body: this.directStruct(schema, attributes, depth + 1) };
            page = this.directPage;
            continue;
          }
        }
        els[depth] = el;
        scopes[depth] = scope;
        defaults[depth] = defaultNs;
        depth++;
      } else if (top === undefined) return el;
    }
  }

  /**
   * The content of a struct element (its tag and attributes already read) into its model, up to
   * its END, as readStruct would read the tree; bails on whatever readStruct would keep aside.
   * `depth` counts the open elements, this one included.
   */
  private directStruct(
    schema: Struct,
    attributes: readonly XmlAttribute[],
    depth: number,
  ): Record<string, unknown> & Meta {
    for (let i = 0; i < attributes.length; i++) if (!schemaXmlns(attributes[i]!)) bail();
    const out: Record<string, unknown> & Meta = {};
    const b = this.buf;
    const byToken = tokenSlots(schema, this.tables);
    let lastRank = -1;
    let lastList: unknown[] = [];
    for (;;) {
      if (this.pos >= b.length) bail();
      const t = b[this.pos++]!;
      if (t === END) return out;
      if (t === SWITCH_PAGE) {
        this.directPage = this.byte();
        continue;
      }
      const low = t & 0x3f;
      // Text, PI, extension tokens and LITERAL names all have low bits <= 4.
      if (low <= LITERAL) bail();
      const page = this.directPage;
      const slot = page < 16 ? byToken[page * 64 + low] : undefined;
      // Ranks never decrease here (else bail), so an earlier child of the same field is the one
      // just before: a repeated single field is rank === lastRank, and a list is `lastList`.
      if (slot === undefined || slot.rank < lastRank || (!slot.many && slot.rank === lastRank)) bail();
      const sameField = slot.rank === lastRank;
      lastRank = slot.rank;
      if (depth >= this.limits.maxDepth || ++this.nodes > this.limits.maxNodes) bail();
      let attrs: XmlAttribute[] = NO_ATTRIBUTES;
      if ((t & 0x80) !== 0) {
        attrs = [];
        this.attributes(attrs, undefined);
      }
      let value: unknown;
      if (slot.kind === K_STRUCT) {
        value =
          (t & 0x40) !== 0 ? this.directStruct(slot.schema!, attrs, depth + 1) : this.emptyStruct(attrs);
      } else {
        for (let i = 0; i < attrs.length; i++) if (!schemaXmlns(attrs[i]!)) bail();
        const s = (t & 0x40) !== 0 ? this.directText(slot.el) : '';
        if (slot.kind === K_TEXT) value = s;
        else if (slot.kind === K_INT) {
          const v = s.trim();
          if (!isDigits(v)) bail();
          value = Number(v);
        } else if (slot.kind === K_BOOL) {
          const v = s.trim();
          if (v === 'T') value = true;
          else if (v === 'F') value = false;
          else bail();
        } else bail(); // raw elements are kept as trees: the tree path builds them
      }
      if (!slot.many) out[slot.key] = value;
      else if (sameField) lastList.push(value);
      else {
        lastList = [value];
        out[slot.key] = lastList;
      }
    }
  }

  private emptyStruct(attributes: readonly XmlAttribute[]): Record<string, unknown> & Meta {
    for (let i = 0; i < attributes.length; i++) if (!schemaXmlns(attributes[i]!)) bail();
    return {};
  }

  /** The text of a leaf element up to its END (the concatenation the tree's textOf gives). */
  private directText(element: string): string {
    let s = '';
    let counted = false;
    for (;;) {
      const t = this.byte();
      let piece: string;
      switch (t) {
        case END:
          return s;
        case STR_I:
          piece = this.inlineString();
          break;
        case STR_T:
          piece = this.tableString(this.mbUint());
          break;
        case EXT_T_0: {
          const index = this.mbUint();
          const v = index < 256 ? this.tables.extValues[index] : undefined;
          if (v === undefined) bail();
          piece = v;
          break;
        }
        case OPAQUE: {
          const length = this.mbUint();
          if (this.pos + length > this.buf.length) bail();
          const start = this.pos;
          this.pos += length;
          piece = this.opaqueText(element, start, length);
          break;
        }
        default:
          return bail(); // ENTITY, PI, a child element, extension tokens: the tree path decides
      }
      if (piece !== '' && !counted) {
        counted = true;
        if (++this.nodes > this.limits.maxNodes) bail();
      }
      s += piece;
    }
  }

  /** Content tokens of an open element; false when `t` is a tag token. */
  private content(t: number, top: XmlElement): boolean {
    switch (t) {
      case STR_I:
        this.appendText(top, this.inlineString());
        return true;
      case STR_T:
        this.appendText(top, this.tableString(this.mbUint()));
        return true;
      case ENTITY: {
        const cp = this.mbUint();
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
          fail('WBXML_ERR_MALFORMED', `ENTITY U+${cp.toString(16)} is not a character`);
        this.appendText(top, this.checked(String.fromCodePoint(cp)));
        return true;
      }
      case EXT_T_0: {
        const index = this.mbUint();
        const value = index < 256 ? this.tables.extValues[index] : undefined;
        if (value === undefined)
          fail('WBXML_ERR_UNSUPPORTED', `unknown EXT_T_0 value token 0x${index.toString(16)}`);
        this.appendText(top, value);
        return true;
      }
      case OPAQUE: {
        const length = this.mbUint();
        if (this.pos + length > this.buf.length) fail('WBXML_ERR_MALFORMED', 'OPAQUE runs past the end');
        const start = this.pos;
        this.pos += length;
        this.appendText(top, this.opaqueText(top.local, start, length));
        return true;
      }
      case PI:
        this.attributes(null, undefined);
        return true;
      case 0x40:
      case 0x41:
      case 0x42:
      case 0x81:
      case 0x82:
      case 0xc0:
      case 0xc1:
      case 0xc2:
        // EXT_I_*, EXT_T_1/2, EXT_0..2: CSP defines no meaning for them (imps.md §9).
        return fail('WBXML_ERR_UNSUPPORTED', `extension token 0x${t.toString(16)} has no CSP meaning`);
      default:
        return false;
    }
  }

  private checked(s: string): string {
    if (NOT_XML_CHAR.test(s)) fail('WBXML_ERR_MALFORMED', 'ENTITY holds a character XML cannot carry');
    return s;
  }

  private opaqueText(element: string, start: number, length: number): string {
    const b = this.buf;
    if (this.tables.integerTags.has(element)) {
      if (length > 6) fail('WBXML_ERR_MALFORMED', `integer OPAQUE of ${length} bytes in ${element}`);
      let v = 0;
      for (let i = 0; i < length; i++) v = v * 256 + b[start + i]!;
      return String(v);
    }
    if (DATETIME_TAGS.has(element)) {
      const s = decodeDateTime(b, start, length);
      if (s === undefined) fail('WBXML_ERR_MALFORMED', `bad date-time OPAQUE in ${element}`);
      return s;
    }
    // Binary content (ContentData with ContentEncoding BASE64, imps.md §9) comes back as base64 text.
    return b.toString('base64', start, start + length);
  }

  private appendText(el: XmlElement, s: string): void {
    if (s === '') return;
    const children = el.children;
    const last = children[children.length - 1];
    if (typeof last === 'string') children[children.length - 1] = last + s;
    else {
      this.countNode();
      children.push(s);
    }
  }

  private countNode(): void {
    if (++this.nodes > this.limits.maxNodes)
      fail('WBXML_ERR_TOO_DEEP', `more than ${this.limits.maxNodes} nodes`);
  }

  /**
   * Attribute list up to END (WBXML §5.8.3). CSP only defines the xmlns attribute-start tokens
   * 0x05-0x0D: prefix from the table + the version suffix as STR_I (imps.md §9). `out` null = PI.
   */
  private attributes(out: XmlAttribute[] | null, onVersion: ((v: CspVersion) => void) | undefined): void {
    let current: XmlAttribute | undefined;
    for (;;) {
      const t = this.byte();
      if (t === END) break;
      if (t === SWITCH_PAGE) {
        this.byte(); // attribute code pages other than 0 define nothing for CSP
        continue;
      }
      if (t === STR_I || t === STR_T || t === ENTITY || t === EXT_T_0 || t === OPAQUE) {
        if (current === undefined) fail('WBXML_ERR_MALFORMED', 'attribute value before an attribute start');
        current.value += this.attrValue(t);
        continue;
      }
      if (t >= 0x80) fail('WBXML_ERR_UNSUPPORTED', `attribute value token 0x${t.toString(16)}`);
      let name: string;
      let value = '';
      if (t === LITERAL) name = this.tableString(this.mbUint());
      else {
        const prefix = ATTR_START_PREFIXES[t];
        if (prefix === undefined)
          fail('WBXML_ERR_UNSUPPORTED', `unknown attribute start token 0x${t.toString(16)}`);
        name = 'xmlns';
        value = prefix;
      }
      current = { name, local: name, ns: '', value };
      out?.push(current);
    }
    if (out === null) return;
    for (const a of out) {
      const colon = a.name.indexOf(':');
      if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) {
        a.ns = XMLNS_NS;
        // One string per CSP namespace, so the many checks of it downstream compare pointers.
        a.value = KNOWN_NAMESPACES.get(a.value) ?? a.value;
        if (colon > 0) a.local = a.name.slice(colon + 1);
      } else if (colon > 0) a.local = a.name.slice(colon + 1);
    }
    if (onVersion !== undefined) {
      const xmlns = out.find((a) => a.name === 'xmlns');
      const parsed = xmlns === undefined ? undefined : parseCspNamespace(xmlns.value);
      if (parsed?.version !== undefined) onVersion(parsed.version);
    }
  }

  private attrValue(t: number): string {
    switch (t) {
      case STR_I:
        return this.inlineString();
      case STR_T:
        return this.tableString(this.mbUint());
      case ENTITY: {
        const cp = this.mbUint();
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) fail('WBXML_ERR_MALFORMED', 'bad ENTITY');
        return this.checked(String.fromCodePoint(cp));
      }
      case EXT_T_0: {
        const v = this.tables.extValues[this.mbUint()];
        if (v === undefined) fail('WBXML_ERR_UNSUPPORTED', 'unknown EXT_T_0 value in attribute');
        return v;
      }
      default: {
        const length = this.mbUint();
        if (this.pos + length > this.buf.length) fail('WBXML_ERR_MALFORMED', 'OPAQUE runs past the end');
        const s = this.buf.toString('base64', this.pos, this.pos + length);
        this.pos += length;
        return s;
      }
    }
  }
}

const NO_ATTRIBUTES: XmlAttribute[] = [];

let lastSchemaNs = '';

/** An xmlns naming a CSP/TRC/PA namespace: readStruct skips it (anything else it would keep). */
function schemaXmlns(a: XmlAttribute): boolean {
  if (a.name !== 'xmlns') return false;
  const v = a.value;
  if (v === lastSchemaNs) return true;
  if (v === '' || parseCspNamespace(v) === undefined) return false;
  lastSchemaNs = v;
  return true;
}

interface TokenSlots {
  tables: WbxmlTables;
  /** Slot by page * 64 + tag token under `tables`: the schema's Map<name, Slot> without a name. */
  slots: ReadonlyArray<Slot | undefined>;
}

// Per schema, for the version tables last used with it (peers rarely change version mid-run).
const tokenSlotCache = new WeakMap<Struct, TokenSlots>();

function tokenSlots(schema: Struct, tables: WbxmlTables): ReadonlyArray<Slot | undefined> {
  const hit = tokenSlotCache.get(schema);
  if (hit !== undefined && hit.tables === tables) return hit.slots;
  const byName = compile(schema);
  const slots = tables.tagNames.map((name) => (name === undefined ? undefined : byName.get(name)));
  tokenSlotCache.set(schema, { tables, slots });
  return slots;
}

function versionFromText(text: string | undefined): CspVersion | undefined {
  if (text === undefined) return undefined;
  const m = /(\d\.\d)\/\/EN/.exec(text);
  const v = m?.[1];
  return v === '1.1' || v === '1.2' || v === '1.3' ? v : undefined;
}

const KNOWN_NAMESPACES: ReadonlyMap<string, string> = new Map(
  Object.values(CSP_NAMESPACES).flatMap((n) => Object.values(n).map((ns: string) => [ns, ns] as const)),
);

const sharedScopes = new WeakMap<ReadonlyMap<string, string>, Map<string, ReadonlyMap<string, string>>>();

function declaredScope(
  attributes: XmlAttribute[],
  parent: ReadonlyMap<string, string>,
): ReadonlyMap<string, string> {
  // The usual case, one default xmlns (WV-CSP-Message, TransactionContent, PresenceSubList):
  // the same few scopes every message, so they are shared rather than copied (scopes are never
  // changed once built).
  if (attributes.length === 1) {
    const a = attributes[0]!;
    if (a.ns !== XMLNS_NS) return parent;
    if (a.name === 'xmlns') {
      let byValue = sharedScopes.get(parent);
      if (byValue === undefined) {
        byValue = new Map();
        sharedScopes.set(parent, byValue);
      }
      let scope = byValue.get(a.value);
      if (scope === undefined) {
        scope = new Map(parent).set('', a.value);
        // Bounded: the value is peer-controlled.
        if (byValue.size < 16) byValue.set(a.value, scope);
      }
      return scope;
    }
  }
  let scope: Map<string, string> | undefined;
  for (const a of attributes) {
    if (a.ns !== XMLNS_NS) continue;
    scope ??= new Map(parent);
    scope.set(a.name === 'xmlns' ? '' : a.local, a.value);
  }
  return scope ?? parent;
}

function resolveName(el: XmlElement, scope: ReadonlyMap<string, string>): void {
  const colon = el.name.indexOf(':');
  if (colon < 0) {
    el.ns = scope.get('') ?? '';
    return;
  }
  el.local = el.name.slice(colon + 1);
  const ns = scope.get(el.name.slice(0, colon));
  if (ns === undefined) fail('WBXML_ERR_MALFORMED', `undeclared prefix in ${el.name}`);
  el.ns = ns;
  for (const a of el.attributes) {
    const c = a.name.indexOf(':');
    if (c > 0 && a.ns !== XMLNS_NS) a.ns = scope.get(a.name.slice(0, c)) ?? '';
  }
}
