// The lab's former serializeXml (Map per scope, string array), kept verbatim as the reference the
// faster common/xml/serialize.ts is compared with, output for output
// (tests/unit/common/xml/differential.test.ts). Not used by any protocol code.
import {
  escapeAttribute,
  escapeText,
  type SerializeOptions,
  XML_NS,
  XMLNS_NS,
} from '../../common/xml/serialize.ts';
import type { XmlAttribute, XmlElement, XmlNode } from '../../common/xml/xml-node.ts';

function prefixOf(qname: string): string {
  const i = qname.indexOf(':');
  return i < 0 ? '' : qname.slice(0, i);
}

type Scope = ReadonlyMap<string, string>;

const ROOT_SCOPE: Scope = new Map([['xml', XML_NS]]);

export function serializeXmlFormer(root: XmlElement, options: SerializeOptions = {}): string {
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
