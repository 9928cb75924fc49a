// The byte level of WBXML 1.3 (WAP-192) shared by the CSP decoders: header, mb_u_int32, inline
// and string-table strings, OPAQUE data, limits and errors. The tree decoder (wbxml-decoder.ts)
// and the direct readers (wbxml-struct-reader.ts, wbxml-message-reader.ts) build on it.
import type { CspVersion } from '../csp-version.ts';
import { decodeDateTime } from './wbxml-datetime.ts';
import { DATETIME_TAGS, TABLES, VERSION_INDEX, type WbxmlTables } from './wbxml-tables.ts';

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

// WBXML 1.3 §7.1 global tokens.
export const SWITCH_PAGE = 0x00;
export const END = 0x01;
export const ENTITY = 0x02;
export const STR_I = 0x03;
export const LITERAL = 0x04;
export const PI = 0x43;
export const EXT_T_0 = 0x80;
export const STR_T = 0x83;
export const OPAQUE = 0xc3;

/** Thrown inside the readers and turned into a value at their public entry points. */
export class WbxmlFail {
  constructor(readonly error: WbxmlError) {}
}

export function fail(code: WbxmlErrorCode, message: string): never {
  throw new WbxmlFail({ code, message });
}

// XML 1.0 §2.2: a decoded string must still be writable as XML.
const NOT_XML_CHAR = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/**
 * Buffer's own slicers (what toString(encoding, start, end) ends in, without its argument
 * checks and encoding look-up: most strings here are a few bytes long, and the wrapper cost
 * as much as the copy).
 */
interface FastSlices {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

export interface WbxmlHeader {
  /** WBXML version byte (0x03 = 1.3). */
  wbxmlVersion: number;
  /** Numeric public id, or 0 when given as a string-table reference. */
  publicId: number;
  /** Public id text when it came from the string table. */
  publicIdText: string | undefined;
  /** IANA MIBenum of the charset (106 = UTF-8). */
  charset: number;
}

export class WbxmlByteReader {
  pos = 0;
  readonly buf: Buffer;
  protected strtblStart = 0;
  protected strtblEnd = 0;
  protected latin1 = false;
  /** The token tables of the version being read, and its index (VERSION_INDEX). */
  tables: WbxmlTables;
  vi: number;
  /** Elements and text nodes so far (limits.maxNodes). */
  nodes = 0;

  constructor(
    bytes: Uint8Array,
    readonly limits: Required<WbxmlLimits>,
    version: CspVersion = '1.2',
  ) {
    this.buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.vi = VERSION_INDEX[version];
    this.tables = TABLES[this.vi]!;
  }

  useVersion(vi: number): void {
    this.vi = vi;
    this.tables = TABLES[vi]!;
  }

  /** WBXML §5.4–5.7: version, public id, charset and string table; leaves `pos` on the body. */
  header(): WbxmlHeader {
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
    return { wbxmlVersion, publicId, publicIdText, charset };
  }

  byte(): number {
    if (this.pos >= this.buf.length) fail('WBXML_ERR_MALFORMED', 'unexpected end of document');
    return this.buf[this.pos++]!;
  }

  // WBXML §5.1 mb_u_int32: at most 5 bytes, value < 2^32.
  mbUint(): number {
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
  inlineString(): string {
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

  /** STR_T: the string at `offset` in the string table. */
  tableString(offset: number): string {
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
  text(start: number, end: number): string {
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

  /** ENTITY (§5.8.4.3): one character by code point. */
  entity(): string {
    const cp = this.mbUint();
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
      fail('WBXML_ERR_MALFORMED', `ENTITY U+${cp.toString(16)} is not a character`);
    const s = String.fromCodePoint(cp);
    if (NOT_XML_CHAR.test(s)) fail('WBXML_ERR_MALFORMED', 'ENTITY holds a character XML cannot carry');
    return s;
  }

  /** OPAQUE of `element` as text: integer elements and date-times are typed (imps.md §9). */
  opaqueText(element: string): string {
    return this.opaqueTyped(this.tables.integerTags.has(element), DATETIME_TAGS.has(element), element);
  }

  /** OPAQUE (length already due) as text, the element's typing looked up by the caller. */
  opaqueTyped(integer: boolean, dateTime: boolean, element: string): string {
    const length = this.mbUint();
    const b = this.buf;
    const start = this.pos;
    if (start + length > b.length) fail('WBXML_ERR_MALFORMED', 'OPAQUE runs past the end');
    this.pos += length;
    if (integer) {
      if (length > 6) fail('WBXML_ERR_MALFORMED', `integer OPAQUE of ${length} bytes in ${element}`);
      let v = 0;
      for (let i = 0; i < length; i++) v = v * 256 + b[start + i]!;
      return String(v);
    }
    if (dateTime) {
      const s = decodeDateTime(b, start, length);
      if (s === undefined) fail('WBXML_ERR_MALFORMED', `bad date-time OPAQUE in ${element}`);
      return s;
    }
    // Binary content (ContentData with ContentEncoding BASE64, imps.md §9) comes back as base64 text.
    return b.toString('base64', start, start + length);
  }

  /** EXT_T_0 (index already due): the value token of this version's table. */
  valueToken(): string | undefined {
    const index = this.mbUint();
    return index < 256 ? this.tables.extValues[index] : undefined;
  }

  countNode(): void {
    if (++this.nodes > this.limits.maxNodes)
      fail('WBXML_ERR_TOO_DEEP', `more than ${this.limits.maxNodes} nodes`);
  }
}
