// WBXML bytes -> XmlElement tree for CSP 1.1/1.2/1.3 (WAP-192 WBXML 1.3 + imps.md §9).
// Pure and allocation-light: one pass over the bytes, an explicit element stack (no recursion),
// strings sliced straight out of the input buffer. Never throws: errors come back as values.
// The byte level is wbxml-byte-reader.ts; `decodeWbxmlDirect` reads the first typed primitive
// with wbxml-struct-reader.ts instead of as a tree.
import type { XmlAttribute, XmlElement } from '../../../../common/xml/xml-node.ts';
import { CSP_NAMESPACES, type CspVersion, parseCspNamespace, versionFromPublicId } from '../csp-version.ts';
import type { Meta, Struct } from '../model/schema.ts';
import {
  DEFAULT_WBXML_LIMITS,
  END,
  ENTITY,
  EXT_T_0,
  fail,
  LITERAL,
  OPAQUE,
  PI,
  STR_I,
  STR_T,
  SWITCH_PAGE,
  type WbxmlError,
  WbxmlFail,
  type WbxmlLimits,
} from './wbxml-byte-reader.ts';
import { bail, readPlan, WbxmlStructReader } from './wbxml-struct-reader.ts';
import { ATTR_START_PREFIXES, PAGE_COUNT, VERSION_INDEX } from './wbxml-tables.ts';

export {
  DEFAULT_WBXML_LIMITS,
  type WbxmlError,
  type WbxmlErrorCode,
  type WbxmlLimits,
} from './wbxml-byte-reader.ts';

export const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

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

export function decodeWbxml(
  input: Uint8Array,
  limits?: WbxmlLimits,
  fallbackVersion?: CspVersion,
): DecodeWbxmlResult {
  try {
    return {
      ok: true,
      document: new TreeReader(input, { ...DEFAULT_WBXML_LIMITS, ...limits }, fallbackVersion).read(),
    };
  } catch (e) {
    if (e instanceof WbxmlFail) return { ok: false, error: e.error };
    return { ok: false, error: { code: 'WBXML_ERR_MALFORMED', message: String((e as Error)?.message ?? e) } };
  }
}

/**
 * `decodeWbxml`, except that the first typed primitive (the child of TransactionContent whose
 * schema `schemaFor` gives) is read straight into its model by the schema (wbxml-struct-reader.ts),
 * without an XmlElement per field. On whatever the struct reader leaves to the tree it returns
 * undefined and the caller decodes with `decodeWbxml`, so results and errors are the tree path's
 * (tests/unit/domains/imps/csp/wbxml/wbxml-direct-reader.test.ts). The CSP codec tries
 * wbxml-message-reader.ts (the envelope read directly too) before this.
 */
export function decodeWbxmlDirect(
  input: Uint8Array,
  limits: WbxmlLimits | undefined,
  schemaFor: (primitiveName: string) => Struct | undefined,
): DecodeWbxmlResult | undefined {
  try {
    const reader = new TreeReader(input, { ...DEFAULT_WBXML_LIMITS, ...limits }, undefined);
    reader.schemaFor = schemaFor;
    return { ok: true, document: reader.read() };
  } catch {
    return undefined;
  }
}

const ROOT_SCOPE: ReadonlyMap<string, string> = new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]);

class TreeReader extends WbxmlStructReader {
  schemaFor: ((primitiveName: string) => Struct | undefined) | undefined;
  private primitive: DirectPrimitive | undefined;

  constructor(
    bytes: Uint8Array,
    limits: Required<WbxmlLimits>,
    private readonly fallbackVersion: CspVersion | undefined,
  ) {
    super(bytes, limits, fallbackVersion);
  }

  read(): WbxmlDocument {
    const b = this.buf;
    const { wbxmlVersion, publicId, publicIdText, charset } = this.header();
    const declared = versionFromPublicId(publicId) ?? versionFromText(publicIdText);
    let versionKnown = declared !== undefined;
    let version = declared ?? this.fallbackVersion ?? '1.2';
    this.useVersion(VERSION_INDEX[version]);

    this.skipPis();
    const root = this.body((v) => {
      version = v;
      versionKnown = true;
      this.useVersion(VERSION_INDEX[v]);
    });
    this.skipPis();
    if (this.pos !== b.length)
      fail('WBXML_ERR_MALFORMED', `${b.length - this.pos} bytes after the root element`);
    const doc: WbxmlDocument = { root, wbxmlVersion, publicId, publicIdText, charset, version, versionKnown };
    if (this.primitive !== undefined) doc.primitive = this.primitive;
    return doc;
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
          page < PAGE_COUNT
            ? (root === undefined ? tagNames : this.tables.tagNames)[page * 64 + low]
            : undefined;
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
            for (let i = 0; i < attributes.length; i++) if (!schemaXmlns(attributes[i]!)) return bail();
            this.page = page;
            const plan = readPlan(schema, this.vi);
            this.primitive = { element: el, body: this.structBody(plan, depth + 1) };
            page = this.page;
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

  /** Content tokens of an open element; false when `t` is a tag token. */
  private content(t: number, top: XmlElement): boolean {
    switch (t) {
      case STR_I:
        this.appendText(top, this.inlineString());
        return true;
      case STR_T:
        this.appendText(top, this.tableString(this.mbUint()));
        return true;
      case ENTITY:
        this.appendText(top, this.entity());
        return true;
      case EXT_T_0: {
        const index = this.mbUint();
        const value = index < 256 ? this.tables.extValues[index] : undefined;
        if (value === undefined)
          fail('WBXML_ERR_UNSUPPORTED', `unknown EXT_T_0 value token 0x${index.toString(16)}`);
        this.appendText(top, value);
        return true;
      }
      case OPAQUE:
        this.appendText(top, this.opaqueText(top.local));
        return true;
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
        const s = String.fromCodePoint(cp);
        if (NOT_XML_CHAR.test(s)) fail('WBXML_ERR_MALFORMED', 'ENTITY holds a character XML cannot carry');
        return s;
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

// XML 1.0 §2.2 Char.
const NOT_XML_CHAR = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

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
