// serializeXml: XmlElement tree → XML text. Parsed trees come back as written (names, prefixes,
// xmlns attributes, attribute order, text); built trees get the namespace declarations they
// lack, so a codec can build `el(NS, 'pr:sub-handling', …)` without tracking scopes itself.
import type { XmlElement, XmlNode } from './xml-node.ts';

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

export function serializeXml(root: XmlElement, options: SerializeOptions = {}): string {
  let head = '';
  if (options.declaration !== false) {
    head =
      options.indent !== undefined
        ? '<?xml version="1.0" encoding="UTF-8"?>\n'
        : '<?xml version="1.0" encoding="UTF-8"?>';
  }
  return head + new Writer(options.indent).element(root, 0);
}

/**
 * Namespace scopes: prefix → URI in one Map, with an undo log (prefix and the URI it shadowed)
 * replayed when an element ends — no Map copied per element, and O(1) lookups however many
 * declarations a (possibly hostile, re-serialized) tree stacks up.
 */
class Writer {
  private readonly bindings = new Map<string, string>([['xml', XML_NS]]);
  private readonly undoPrefixes: string[] = [];
  private readonly undoUris: Array<string | undefined> = [];
  private count = 0;

  constructor(private readonly indent: string | undefined) {}

  private bound(prefix: string): string | undefined {
    return this.bindings.get(prefix);
  }

  private bind(prefix: string, uri: string): void {
    this.undoPrefixes[this.count] = prefix;
    this.undoUris[this.count] = this.bindings.get(prefix);
    this.count++;
    this.bindings.set(prefix, uri);
  }

  private unbind(mark: number): void {
    for (let k = this.count - 1; k >= mark; k--) {
      const previous = this.undoUris[k];
      if (previous === undefined) this.bindings.delete(this.undoPrefixes[k]!);
      else this.bindings.set(this.undoPrefixes[k]!, previous);
    }
    this.count = mark;
  }

  element(el: XmlElement, depth: number): string {
    const mark = this.count;
    const attributes = el.attributes;
    for (const a of attributes) {
      const name = a.name;
      if (name.charCodeAt(0) !== 0x78 /* x */ || !name.startsWith('xmlns')) continue;
      if (name.length === 5) this.bind('', a.value);
      else if (name.charCodeAt(5) === 0x3a /* : */) this.bind(name.slice(6), a.value);
    }
    let out = `<${el.name}`;
    const elPrefix = prefixOf(el.name);
    // A prefixed name cannot be put in no namespace (`xmlns:p=""` is illegal in XML 1.0).
    if ((this.bound(elPrefix) ?? '') !== el.ns && !(elPrefix !== '' && el.ns === '')) {
      this.bind(elPrefix, el.ns);
      out += declaration(elPrefix, el.ns);
    }
    for (const a of attributes) {
      const p = prefixOf(a.name);
      if (p === '' || p === 'xmlns' || p === 'xml') continue;
      if (this.bound(p) !== a.ns) {
        this.bind(p, a.ns);
        out += declaration(p, a.ns);
      }
    }
    for (const a of attributes) out += ` ${a.name}="${escapeAttribute(a.value)}"`;
    const children = el.children;
    if (children.length === 0) {
      this.unbind(mark);
      return `${out}/>`;
    }
    out += '>';
    const indent = this.indent;
    const pretty = indent !== undefined && isElementOnly(children);
    for (const c of children) {
      if (typeof c === 'string') {
        if (!pretty) out += escapeText(c);
        continue;
      }
      if (pretty) out += `\n${indent.repeat(depth + 1)}`;
      out += this.element(c, depth + 1);
    }
    if (pretty) out += `\n${indent.repeat(depth)}`;
    this.unbind(mark);
    return `${out}</${el.name}>`;
  }
}

function declaration(prefix: string, uri: string): string {
  return prefix === '' ? ` xmlns="${escapeAttribute(uri)}"` : ` xmlns:${prefix}="${escapeAttribute(uri)}"`;
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
