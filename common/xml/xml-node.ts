// A light, namespace-aware XML tree shared by every XML codec of the lab (SIMPLE payloads,
// CSP, SSP, XCAP). Parsers build it; serializers write it; unknown elements survive untouched.

export interface XmlAttribute {
  /** Qualified name as written, e.g. `xmlns:pr`, `id`, `xml:lang`. */
  name: string;
  /** Local part (after the prefix). */
  local: string;
  /** Namespace URI ('' for unprefixed attributes, as XML Namespaces says). */
  ns: string;
  value: string;
}

export interface XmlElement {
  /** Qualified name as written, e.g. `pr:sub-handling` or `tuple`. */
  name: string;
  local: string;
  /** Resolved namespace URI, '' when none is in scope. */
  ns: string;
  attributes: XmlAttribute[];
  /** Child elements and text, in document order. Text is unescaped. */
  children: XmlNode[];
}

export type XmlNode = XmlElement | string;

export function isElement(node: XmlNode): node is XmlElement {
  return typeof node !== 'string';
}
