// serializeXml: XmlElement tree → XML text. Parsed trees come back as written (names, prefixes,
// xmlns attributes, attribute order, text); built trees get the namespace declarations they
// lack, so a codec can build `el(NS, 'pr:sub-handling', …)` without tracking scopes itself.
import type { XmlAttribute, XmlElement, XmlNode } from './xml-node.ts';

export interface SerializeOptions {
  /** Prefix `<?xml version="1.0" encoding="UTF-8"?>` (default true). */
  declaration?: boolean;
  /** Pretty-print with this indent unit. Only element-only content is re-indented; mixed content is kept. */
  indent?: string;
}

export const XML_NS = 'http://www.w3.org/XML/1998/namespace';
export const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';

// XML 1.0 §2.2 Char: anything else cannot be written at all, not even as a character reference.
const NOT_XML_CHAR = /[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

// Fast paths: most values are plain printable ASCII and need no work at all.
const TEXT_NEEDS_WORK = /[&<>\r]|[^\x09\x0A\x20-\x7E]/;
const ATTRIBUTE_NEEDS_WORK = /[&<>"\t\n\r]|[^\x20-\x7E]/;

export function escapeText(s: string): string {
  if (!TEXT_NEEDS_WORK.test(s)) return s;
  return s
    .replace(NOT_XML_CHAR, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#xD;');
}

export function escapeAttribute(s: string): string {
  // Tab, LF and CR would be normalized to spaces by the reader (XML 1.0 §3.3.3), so write them as references.
  if (!ATTRIBUTE_NEEDS_WORK.test(s)) return s;
  return s
    .replace(NOT_XML_CHAR, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#x9;')
    .replace(/\n/g, '&#xA;')
    .replace(/\r/g, '&#xD;');
}

function prefixOf(qname: string): string {
  const i = qname.indexOf(':');
  return i < 0 ? '' : qname.slice(0, i);
}

type Scope = ReadonlyMap<string, string>;

const ROOT_SCOPE: Scope = new Map([['xml', XML_NS]]);

export function serializeXml(root: XmlElement, options: SerializeOptions = {}): string {
  const out: string[] = [];
  if (options.declaration !== false) out.push('<?xml version="1.0" encoding="UTF-8"?>');
  if (options.declaration !== false && options.indent !== undefined) out.push('\n');
  writeElement(root, ROOT_SCOPE, out, options.indent, 0);
  return out.join('');
}

function declare(prefix: string, uri: string): XmlAttribute {
  return prefix === ''
    ? { name: 'xmlns', local: 'xmlns', ns: XMLNS_NS, value: uri }
    : { name: `xmlns:${prefix}`, local: prefix, ns: XMLNS_NS, value: uri };
}

function writeElement(
  el: XmlElement,
  parentScope: Scope,
  out: string[],
  indent: string | undefined,
  depth: number,
) {
  let scope: Map<string, string> | undefined;
  const bound = (prefix: string): string | undefined => (scope ?? parentScope).get(prefix);
  const bind = (prefix: string, uri: string) => {
    scope ??= new Map(parentScope);
    scope.set(prefix, uri);
  };
  for (const a of el.attributes) {
    if (a.name === 'xmlns') bind('', a.value);
    else if (a.name.startsWith('xmlns:')) bind(a.name.slice(6), a.value);
  }
  const extra: XmlAttribute[] = [];
  const elPrefix = prefixOf(el.name);
  // A prefixed name cannot be put in no namespace (`xmlns:p=""` is illegal in XML 1.0).
  if ((bound(elPrefix) ?? '') !== el.ns && !(elPrefix !== '' && el.ns === '')) {
    bind(elPrefix, el.ns);
    extra.push(declare(elPrefix, el.ns));
  }
  for (const a of el.attributes) {
    const p = prefixOf(a.name);
    if (p === '' || p === 'xmlns' || p === 'xml') continue;
    if (bound(p) !== a.ns) {
      bind(p, a.ns);
      extra.push(declare(p, a.ns));
    }
  }

  out.push('<', el.name);
  for (const a of extra) out.push(' ', a.name, '="', escapeAttribute(a.value), '"');
  for (const a of el.attributes) out.push(' ', a.name, '="', escapeAttribute(a.value), '"');
  if (el.children.length === 0) {
    out.push('/>');
    return;
  }
  out.push('>');
  const childScope = scope ?? parentScope;
  const pretty = indent !== undefined && isElementOnly(el.children);
  for (const c of el.children) {
    if (typeof c === 'string') {
      if (!pretty) out.push(escapeText(c));
      continue;
    }
    if (pretty) out.push('\n', indent.repeat(depth + 1));
    writeElement(c, childScope, out, indent, depth + 1);
  }
  if (pretty) out.push('\n', indent.repeat(depth));
  out.push('</', el.name, '>');
}

function isElementOnly(children: readonly XmlNode[]): boolean {
  let sawElement = false;
  for (const c of children) {
    if (typeof c === 'string') {
      if (c.trim() !== '') return false;
    } else sawElement = true;
  }
  return sawElement;
}
