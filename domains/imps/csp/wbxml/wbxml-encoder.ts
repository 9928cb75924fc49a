// XmlElement tree -> WBXML bytes for CSP 1.1/1.2/1.3 (imps.md §9). Byte choices follow the
// Android IMPS encoder (whose vectors we reproduce): header 03 <public id> 6A, every element
// with the content bit, xmlns as attribute-start token + STR_I version, integers and date-times
// as OPAQUE, exact value matches as EXT_T_0, unknown names in the string table as LITERAL.
import type { XmlElement, XmlNode } from '../../../../common/xml/xml-node.ts';
import { type CspVersion, parseCspNamespace, WBXML_PUBLIC_IDS } from '../csp-version.ts';
import { encodeDateTime } from './wbxml-datetime.ts';
import {
  DATETIME_TAGS,
  PRESENCE_ATTRIBUTE_PAGE,
  TABLES,
  UNTOKENISED_TAGS,
  VERSION_INDEX,
  type WbxmlTables,
  XMLNS_PREFIXES,
} from './wbxml-tables.ts';

export interface WbxmlEncodeOptions {
  version: CspVersion;
  /** Public id in the header (default 0x10/0x11/0x12 by version). */
  publicId?: number;
  /**
   * Public id as a string-table reference instead (`00 <index>`), the way libwbxml writes CSP 1.2:
   * e.g. "-//OMA//DTD WV-CSP 1.2//EN". Takes precedence over `publicId`.
   */
  publicIdText?: string;
  /**
   * 'content' (default, Android encoder): every element carries the content bit and an END.
   * 'compact': empty elements are written without content (WBXML §5.8.2), one byte shorter each.
   */
  emptyElements?: 'content' | 'compact';
  /** 'utf8' (default): text inline as UTF-8. 'entity': every non-ASCII character as ENTITY. */
  nonAscii?: 'utf8' | 'entity';
  /** 'opaque' (default): DateTime/DeliveryTime as 6-byte OPAQUE. 'string': as STR_I. */
  dateTimes?: 'opaque' | 'string';
  /** 'opaque' (default): integer elements as OPAQUE. 'string': as STR_I (untyped encoders). */
  integers?: 'opaque' | 'string';
  /** Replace text that exactly matches a value token with EXT_T_0 (default true). */
  valueTokens?: boolean;
}

const SWITCH_PAGE = 0x00;
const END = 0x01;
const ENTITY = 0x02;
const STR_I = 0x03;
const LITERAL = 0x04;
const EXT_T_0 = 0x80;
const STR_T = 0x83;
const OPAQUE = 0xc3;

const KNOWN_NS_PREFIXES = ['http://www.wireless-village.org/', 'http://www.openmobilealliance.org/DTD/'];

// XML 1.0 §2.2 Char (the same set serializeXml keeps).
const NOT_XML_CHAR = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const NOT_XML_CHARS = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Growable output buffer reused across calls (the codec is synchronous, so one is enough). */
let scratch = Buffer.allocUnsafe(64 * 1024);

class Writer {
  buf = scratch;
  pos = 0;

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    if (this.buf === scratch) scratch = next;
    this.buf = next;
  }

  byte(b: number): void {
    if (this.pos >= this.buf.length) this.ensure(1);
    this.buf[this.pos++] = b;
  }

  // WBXML §5.1 mb_u_int32, big-endian groups of 7 bits.
  mbUint(v: number): void {
    this.ensure(5);
    if (v < 0x80) {
      this.buf[this.pos++] = v;
      return;
    }
    let shift = 28;
    while (shift > 0 && Math.floor(v / 2 ** shift) === 0) shift -= 7;
    for (; shift > 0; shift -= 7) this.buf[this.pos++] = 0x80 | (Math.floor(v / 2 ** shift) & 0x7f);
    this.buf[this.pos++] = v & 0x7f;
  }

  /** STR_I with the string's bytes; ASCII is copied char by char (no allocation). */
  strI(s: string): void {
    const n = s.length;
    this.ensure(n * 3 + 2);
    const buf = this.buf;
    let pos = this.pos;
    buf[pos++] = STR_I;
    const start = pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80 || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d)) {
        // Non-ASCII or a control character: UTF-8-encode the whole string, without the characters
        // XML cannot carry (as serializeXml drops them), so a NUL never ends STR_I early and the
        // output always decodes again.
        pos = start + buf.write(NOT_XML_CHAR.test(s) ? s.replace(NOT_XML_CHARS, '') : s, start, 'utf8');
        break;
      }
      buf[pos++] = c;
    }
    buf[pos++] = 0;
    this.pos = pos;
  }
}

interface EncodeState {
  w: Writer;
  t: WbxmlTables;
  page: number;
  /** The string table (LITERAL names, attribute values), made on first use: most messages have none. */
  strings: string[] | undefined;
  /** Where in the body each string was added (so that `rewind` knows which to forget). */
  stringsAt: number[] | undefined;
  stringOffsets: Map<string, number> | undefined;
  stringBytes: number;
  compact: boolean;
  entities: boolean;
  opaqueDates: boolean;
  opaqueInts: boolean;
  valueTokens: boolean;
  /** An element whose content `writeStandIn` writes directly (see `encodeWbxml`). */
  standInElement: XmlElement | undefined;
  standIn: WbxmlStandIn | undefined;
}

/** The encoder state handed to a stand-in writer: opaque outside this file. */
export type WbxmlSink = EncodeState;

/**
 * Lets a caller write one element of the tree itself, straight from its own model, with the
 * element-level helpers below (`openTag`, `leafTag`, `closeTag`, `keptElement`): the CSP codec
 * writes a typed primitive this way without first building its XmlElement tree.
 */
export interface WbxmlStandIn {
  readonly element: XmlElement;
  write(sink: WbxmlSink, presence: boolean): void;
}

// The body is written this far into the scratch buffer, so that a header without string table
// (the usual case) goes in front of it in place and the message leaves in one copy.
const HEADER_ROOM = 16;

/** Encodes a CSP tree as WBXML. The tree must be a CSP message (root WV-CSP-Message). */
export function encodeWbxml(root: XmlElement, options: WbxmlEncodeOptions, standIn?: WbxmlStandIn): Buffer {
  const w = new Writer();
  w.pos = HEADER_ROOM;
  const st: EncodeState = {
    w,
    t: TABLES[VERSION_INDEX[options.version]]!,
    page: 0,
    strings: undefined,
    stringsAt: undefined,
    stringOffsets: undefined,
    stringBytes: 0,
    compact: options.emptyElements === 'compact',
    entities: options.nonAscii === 'entity',
    opaqueDates: options.dateTimes !== 'string',
    opaqueInts: options.integers !== 'string',
    valueTokens: options.valueTokens !== false,
    standInElement: standIn?.element,
    standIn,
  };
  // The public id string must be in the table before any LITERAL name (libwbxml puts it at 0).
  const publicIdIndex = options.publicIdText === undefined ? -1 : tableIndex(st, options.publicIdText);
  element(st, root, false);
  const body = w.buf;
  const end = w.pos;
  // Header goes in front once the string table is known (the body may have added LITERALs).
  const header = new Writer();
  header.buf = HEADER_SCRATCH;
  header.byte(0x03); // WBXML 1.3
  if (publicIdIndex >= 0) {
    header.byte(0x00);
    header.mbUint(publicIdIndex);
  } else header.mbUint(options.publicId ?? WBXML_PUBLIC_IDS[options.version]);
  header.byte(0x6a); // UTF-8 (MIBenum 106)
  header.mbUint(st.stringBytes);
  const strings = st.strings;
  if (strings === undefined) {
    const start = HEADER_ROOM - header.pos;
    HEADER_SCRATCH.copy(body, start, 0, header.pos);
    const out = Buffer.allocUnsafe(end - start);
    body.copy(out, 0, start, end);
    return out;
  }
  const out = Buffer.allocUnsafe(header.pos + st.stringBytes + end - HEADER_ROOM);
  HEADER_SCRATCH.copy(out, 0, 0, header.pos);
  let p = header.pos;
  for (const s of strings) {
    p += out.write(s, p, 'utf8');
    out[p++] = 0;
  }
  body.copy(out, p, HEADER_ROOM, end);
  return out;
}

// At most 1 + 5 + 1 + 5 + 1 + 5 bytes.
const HEADER_SCRATCH = Buffer.alloc(HEADER_ROOM + 2);

function tableIndex(st: EncodeState, s: string): number {
  const known = st.stringOffsets?.get(s);
  if (known !== undefined) return known;
  const offset = st.stringBytes;
  if (st.strings === undefined || st.stringOffsets === undefined || st.stringsAt === undefined) {
    st.strings = [];
    st.stringsAt = [];
    st.stringOffsets = new Map();
  }
  st.strings.push(s);
  st.stringsAt.push(st.w.pos);
  st.stringOffsets.set(s, offset);
  st.stringBytes += Buffer.byteLength(s, 'utf8') + 1;
  return offset;
}

const cspNamespaces = new Map<string, boolean>();

/** Elements of WV/OMA namespaces use tag tokens; others (vendor extensions) go as LITERAL. */
function isCspNamespace(ns: string): boolean {
  if (ns === '') return true;
  let ok = cspNamespaces.get(ns);
  if (ok === undefined) {
    ok = ns.startsWith(KNOWN_NS_PREFIXES[0]!) || ns.startsWith(KNOWN_NS_PREFIXES[1]!);
    if (cspNamespaces.size < 64) cspNamespaces.set(ns, ok);
  }
  return ok;
}

/** xmlns value -> [attribute-start token, version suffix], or null for a non-CSP namespace. */
const xmlnsTokens = new Map<string, readonly [number, string] | null>();

function xmlnsToken(value: string): readonly [number, string] | null {
  let hit = xmlnsTokens.get(value);
  if (hit !== undefined) return hit;
  hit = null;
  if (parseCspNamespace(value) !== undefined) {
    for (const [prefix, token] of XMLNS_PREFIXES) {
      if (value.startsWith(prefix)) {
        hit = [token, value.slice(prefix.length)];
        break;
      }
    }
  }
  if (xmlnsTokens.size < 64) xmlnsTokens.set(value, hit);
  return hit;
}

function element(st: EncodeState, el: XmlElement, presence: boolean): void {
  if (el === st.standInElement) {
    st.standIn!.write(st, presence);
    return;
  }
  const w = st.w;
  const token = isCspNamespace(el.ns) ? st.t.tagTokens.get(el.local) : undefined;
  const hasContent = !st.compact || hasNonBlankChild(el.children);
  const hasAttrs = el.attributes.length > 0;
  const bits = (hasContent ? 0x40 : 0) | (hasAttrs ? 0x80 : 0);
  let page = st.page;
  if (token === undefined) {
    w.byte(LITERAL | bits);
    w.mbUint(tableIndex(st, el.name));
  } else {
    page = token >> 8;
    if (page !== st.page) {
      w.byte(SWITCH_PAGE);
      w.byte(page);
      st.page = page;
    }
    w.byte((token & 0x3f) | bits);
  }
  if (hasAttrs) {
    for (const a of el.attributes) attribute(st, a.name, a.value);
    w.byte(END);
  }
  if (!hasContent) return;
  const inPresence = presence || page === PRESENCE_ATTRIBUTE_PAGE;
  const elementOnly = hasElementChild(el.children);
  if (elementOnly) {
    for (const c of el.children) {
      if (typeof c !== 'string') element(st, c, inPresence);
      else if (!isBlank(c)) text(st, c);
    }
  } else {
    const value = el.children.length === 1 ? (el.children[0] as string) : el.children.join('');
    if (value !== '') leafValue(st, el.local, value, inPresence);
  }
  w.byte(END);
}

// ---- element-level helpers for stand-in writers: the same bytes `element` writes for the same tree ----

/**
 * Opens a CSP-namespace element (tag token, else LITERAL) with the content bit; `attrs` as
 * name/value pairs. Returns whether its content is inside presence attributes (code page 5).
 */
export function openTag(
  st: EncodeState,
  local: string,
  presence: boolean,
  attrs?: ReadonlyArray<{ name: string; value: string }>,
  token: number | undefined = st.t.tagTokens.get(local),
): boolean {
  const w = st.w;
  const bits = attrs !== undefined && attrs.length > 0 ? 0xc0 : 0x40;
  let page = st.page;
  if (token === undefined) {
    w.byte(LITERAL | bits);
    w.mbUint(tableIndex(st, local));
  } else {
    page = token >> 8;
    if (page !== st.page) {
      w.byte(SWITCH_PAGE);
      w.byte(page);
      st.page = page;
    }
    w.byte((token & 0x3f) | bits);
  }
  if (bits === 0xc0) {
    for (const a of attrs!) attribute(st, a.name, a.value);
    w.byte(END);
  }
  return presence || page === PRESENCE_ATTRIBUTE_PAGE;
}

export function closeTag(st: EncodeState): void {
  st.w.byte(END);
}

/** A tag by token (page << 8 | token) with the content bit, switching code page when needed. */
export function tokenTag(st: EncodeState, token: number, withAttributes: boolean): void {
  const w = st.w;
  const page = token >> 8;
  if (page !== st.page) {
    w.byte(SWITCH_PAGE);
    w.byte(page);
    st.page = page;
  }
  w.byte((token & 0x3f) | (withAttributes ? 0xc0 : 0x40));
}

/** One xmlns attribute (a tag's attribute list is closed with `closeTag`). */
export function xmlnsAttribute(st: EncodeState, value: string): void {
  attribute(st, 'xmlns', value);
}

/** The version tables in use (to key caches of plans). */
export function sinkTables(st: EncodeState): WbxmlTables {
  return st.t;
}

/** The output point: where the next byte goes and the code page in force (for `rewind`). */
export function sinkMark(st: EncodeState): number {
  return st.w.pos * 256 + st.page;
}

/**
 * Back to `mark`: forgets the bytes written since, the code page switches and the string-table
 * entries they added (a LITERAL's string is added just after its first byte, so after the mark).
 */
export function rewind(st: EncodeState, mark: number): void {
  const position = Math.floor(mark / 256);
  st.w.pos = position;
  st.page = mark % 256;
  const strings = st.strings;
  if (strings === undefined) return;
  const at = st.stringsAt!;
  while (at.length > 0 && at[at.length - 1]! > position) {
    at.pop();
    const s = strings.pop()!;
    st.stringOffsets!.delete(s);
    st.stringBytes -= Buffer.byteLength(s, 'utf8') + 1;
  }
}

/**
 * A leaf's non-empty text as `element` writes it: integer and date-time elements as OPAQUE,
 * value tokens as EXT_T_0, else STR_I (the flags looked up once by the caller).
 */
export function typedText(
  st: EncodeState,
  value: string,
  presence: boolean,
  integer: boolean,
  dateTime: boolean,
  untokenised: boolean,
): void {
  typedValue(st, value, presence, integer, dateTime, untokenised);
}

/** T or F as `typedValue` writes them (a value token, unless the element is never tokenised). */
export function booleanText(
  st: EncodeState,
  value: boolean,
  presence: boolean,
  integer: boolean,
  dateTime: boolean,
  untokenised: boolean,
): void {
  const token =
    st.valueTokens && !untokenised ? st.t.booleanTokens[(presence ? 2 : 0) + (value ? 1 : 0)] : undefined;
  if (token === undefined) typedValue(st, value ? 'T' : 'F', presence, integer, dateTime, untokenised);
  else {
    const w = st.w;
    w.byte(EXT_T_0);
    w.mbUint(token);
  }
}

/** A number as the text `String(value)` would write, without making the string when it is OPAQUE. */
export function integerText(
  st: EncodeState,
  value: number,
  presence: boolean,
  integer: boolean,
  dateTime: boolean,
  untokenised: boolean,
): void {
  // The numbers String() writes as /^(?:0|[1-9]\d{0,9})$/ and that fit 32 bits: typedValue's OPAQUE.
  if (integer && st.opaqueInts && Number.isInteger(value) && value >= 0 && value <= 0xffffffff)
    opaqueUint(st.w, value);
  else {
    const s = String(value);
    if (s !== '') typedValue(st, s, presence, integer, dateTime, untokenised);
  }
}

/** An element kept as a tree (extensions, raw fields). */
export function keptElement(st: EncodeState, el: XmlElement, presence: boolean): void {
  element(st, el, presence);
}

/** The options a stand-in writer reproduces; others must take the tree path. */
export function standInSupported(options: WbxmlEncodeOptions): boolean {
  return (
    options.emptyElements !== 'compact' &&
    options.nonAscii !== 'entity' &&
    options.dateTimes !== 'string' &&
    options.integers !== 'string' &&
    options.valueTokens !== false
  );
}

function attribute(st: EncodeState, name: string, value: string): void {
  const w = st.w;
  if (name === 'xmlns') {
    const hit = xmlnsToken(value);
    if (hit !== null) {
      w.byte(hit[0]);
      if (hit[1] !== '') w.strI(hit[1]);
      return;
    }
  }
  w.byte(LITERAL);
  w.mbUint(tableIndex(st, name));
  if (value === '') return;
  const known = st.stringOffsets?.get(value);
  if (known !== undefined) {
    w.byte(STR_T);
    w.mbUint(known);
  } else w.strI(value);
}

const UINT = /^(?:0|[1-9]\d{0,9})$/;

function leafValue(st: EncodeState, local: string, value: string, presence: boolean): void {
  typedValue(
    st,
    value,
    presence,
    st.t.integerTags.has(local),
    DATETIME_TAGS.has(local),
    UNTOKENISED_TAGS.has(local),
  );
}

function typedValue(
  st: EncodeState,
  value: string,
  presence: boolean,
  integer: boolean,
  dateTime: boolean,
  untokenised: boolean,
): void {
  const w = st.w;
  if (st.opaqueInts && integer && UINT.test(value)) {
    const v = Number(value);
    if (v <= 0xffffffff) {
      opaqueUint(w, v);
      return;
    }
  }
  if (st.opaqueDates && dateTime) {
    const bytes = encodeDateTime(value);
    if (bytes !== undefined) {
      w.ensure(8);
      w.buf[w.pos++] = OPAQUE;
      w.buf[w.pos++] = 6;
      for (const b of bytes) w.buf[w.pos++] = b;
      return;
    }
  }
  if (st.valueTokens && !untokenised) {
    const token = valueTokenOf(st.t, value, presence);
    if (token !== undefined) {
      w.byte(EXT_T_0);
      w.mbUint(token);
      return;
    }
  }
  text(st, value);
}

/** imps.md §9: an integer as OPAQUE, big-endian in the fewest bytes (0 -> C3 01 00, as Android). */
function opaqueUint(w: Writer, v: number): void {
  let n = v > 0xffffff ? 4 : v > 0xffff ? 3 : v > 0xff ? 2 : 1;
  w.ensure(6);
  w.buf[w.pos++] = OPAQUE;
  w.buf[w.pos++] = n;
  while (n > 0) {
    n--;
    w.buf[w.pos++] = Math.floor(v / 2 ** (n * 8)) & 0xff;
  }
}

/** The EXT_T_0 index of `value` (imps.md §9: inside presence attributes the Presence group wins). */
function valueTokenOf(t: WbxmlTables, value: string, presence: boolean): number | undefined {
  // Most text has no token; its length and first character tell so without hashing it.
  const n = value.length;
  if (n > 32 || t.extTokenShapes[n * 128 + value.charCodeAt(0)] !== 1) return undefined;
  return (presence ? t.extTokensPresence : t.extTokens).get(value);
}

function text(st: EncodeState, value: string): void {
  if (!st.entities) {
    st.w.strI(value);
    return;
  }
  // 'entity' mode: ASCII runs as STR_I, each other character as ENTITY (Android vectors).
  let run = '';
  for (const ch of value) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) {
      run += ch;
      continue;
    }
    if (run !== '') st.w.strI(run);
    run = '';
    st.w.byte(ENTITY);
    st.w.mbUint(cp);
  }
  if (run !== '') st.w.strI(run);
}

function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return false;
  }
  return true;
}

function hasElementChild(children: readonly XmlNode[]): boolean {
  for (const c of children) if (typeof c !== 'string') return true;
  return false;
}

function hasNonBlankChild(children: readonly XmlNode[]): boolean {
  for (const c of children) if (typeof c !== 'string' || c !== '') return true;
  return false;
}
