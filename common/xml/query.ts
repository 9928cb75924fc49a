// Small read and build helpers over XmlElement, so codecs read like the schemas they follow.
import { XML_NS, XMLNS_NS } from './serialize.ts';
import type { XmlAttribute, XmlElement, XmlNode } from './xml-node.ts';

/** First child element with this namespace and local name. */
export function child(el: XmlElement, ns: string, local: string): XmlElement | undefined {
  for (const c of el.children) {
    if (typeof c !== 'string' && c.local === local && c.ns === ns) return c;
  }
  return undefined;
}

/** Child elements, optionally only those with this namespace (and local name). */
export function children(el: XmlElement, ns?: string, local?: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of el.children) {
    if (typeof c === 'string') continue;
    if (ns !== undefined && c.ns !== ns) continue;
    if (local !== undefined && c.local !== local) continue;
    out.push(c);
  }
  return out;
}

/** Concatenated direct text content (child elements' text is not included). */
export function text(el: XmlElement): string {
  let s = '';
  for (const c of el.children) if (typeof c === 'string') s += c;
  return s;
}

/** Text content with surrounding whitespace removed — how most schema token/URI values are read. */
export function trimmedText(el: XmlElement): string {
  return text(el).trim();
}

/**
 * Attribute value. With `ns`, matched on namespace + local name (`attr(e, 'lang', XML_NS)`);
 * without, matched on an unprefixed name.
 */
export function attr(el: XmlElement, name: string, ns?: string): string | undefined {
  for (const a of el.attributes) {
    if (ns === undefined ? a.name === name && a.ns === '' : a.local === name && a.ns === ns) return a.value;
  }
  return undefined;
}

/** `xml:lang` of this element (not inherited). */
export function lang(el: XmlElement): string | undefined {
  return attr(el, 'lang', XML_NS);
}

export type AttrInput = Record<string, string | number | boolean | undefined> | XmlAttribute[];

/** An attribute; prefix `xml:` resolves to the XML namespace, `xmlns`/`xmlns:*` to XMLNS, others need `ns`. */
export function attribute(name: string, value: string, ns?: string): XmlAttribute {
  const i = name.indexOf(':');
  const prefix = i < 0 ? '' : name.slice(0, i);
  const local = i < 0 ? name : name.slice(i + 1);
  if (name === 'xmlns' || prefix === 'xmlns') return { name, local, ns: XMLNS_NS, value };
  if (prefix === 'xml') return { name, local, ns: XML_NS, value };
  return { name, local, ns: ns ?? '', value };
}

/**
 * Element builder. `qname` may carry a prefix (`pr:sub-handling`); the serializer declares it.
 * Attributes given as a record skip `undefined` values; children skip `undefined`/`null`/`false`.
 */
export function el(
  ns: string,
  qname: string,
  attrs: AttrInput = {},
  kids: ReadonlyArray<XmlNode | undefined | null | false> = [],
): XmlElement {
  const i = qname.indexOf(':');
  const attributes = Array.isArray(attrs)
    ? attrs
    : Object.entries(attrs).flatMap(([k, v]) => (v === undefined ? [] : [attribute(k, String(v))]));
  const childNodes: XmlNode[] = [];
  for (const k of kids) if (k !== undefined && k !== null && k !== false) childNodes.push(k);
  return { name: qname, local: i < 0 ? qname : qname.slice(i + 1), ns, attributes, children: childNodes };
}

/** `<qname>text</qname>` — the common leaf. */
export function leaf(ns: string, qname: string, value: string, attrs: AttrInput = {}): XmlElement {
  return el(ns, qname, attrs, value === '' ? [] : [value]);
}

/** Deep copy, so a preserved extension can be re-emitted without sharing mutable state. */
export function cloneElement(e: XmlElement): XmlElement {
  return {
    name: e.name,
    local: e.local,
    ns: e.ns,
    attributes: e.attributes.map((a) => ({ ...a })),
    children: e.children.map((c) => (typeof c === 'string' ? c : cloneElement(c))),
  };
}

/** Clark notation `{ns}local`, handy for maps and messages. */
export function clark(e: { ns: string; local: string }): string {
  return `{${e.ns}}${e.local}`;
}
