// Option (b) of the XML-layer decision, built only to be measured: fast-xml-parser (processEntities
// off, preserveOrder, no DTD) plus the lab's own namespace resolution, entity decoding and limits,
// producing the same XmlElement tree as parseXml. Not used by any protocol code. What it still
// lacks next to parseXml is listed in docs/benchmarks.md ("XML layer"); `validate: true` adds
// fast-xml-parser's own XMLValidator pass, which catches most (not all) well-formedness errors.
import { isUtf8 } from 'node:buffer';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { DEFAULT_XML_LIMITS, type ParseXmlResult, type XmlLimits } from '../../common/xml/parse.ts';
import { XML_NS, XMLNS_NS } from '../../common/xml/serialize.ts';
import type { XmlAttribute, XmlElement, XmlNode } from '../../common/xml/xml-node.ts';

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  cdataPropName: '#cdata',
});

type FxpNode = Record<string, unknown>;

class Refused {
  constructor(
    readonly code: 'XML_ERR_MALFORMED' | 'XML_ERR_ENTITY' | 'XML_ERR_NAMESPACE' | 'XML_ERR_DTD',
    readonly message: string,
  ) {}
}

const REF = /&([^;&]*);?/g;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

/** processEntities is off, so references come through raw and are decoded here (five + numeric only). */
function decodeRefs(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(REF, (whole, name: string) => {
    if (!whole.endsWith(';')) throw new Refused('XML_ERR_ENTITY', 'unterminated reference');
    if (Object.hasOwn(PREDEFINED, name)) return PREDEFINED[name]!;
    const code = /^#x[0-9a-fA-F]+$/.test(name)
      ? Number.parseInt(name.slice(2), 16)
      : /^#[0-9]+$/.test(name)
        ? Number.parseInt(name.slice(1), 10)
        : Number.NaN;
    if (
      !(
        code === 9 ||
        code === 10 ||
        code === 13 ||
        (code >= 0x20 && code <= 0xd7ff) ||
        (code >= 0xe000 && code <= 0xfffd) ||
        (code >= 0x10000 && code <= 0x10ffff)
      )
    ) {
      throw new Refused('XML_ERR_ENTITY', `reference &${name}; refused`);
    }
    return String.fromCodePoint(code);
  });
}

export function parseXmlFxp(
  input: Buffer | string,
  limits: XmlLimits = {},
  options: { validate?: boolean } = {},
): ParseXmlResult {
  const all = { ...DEFAULT_XML_LIMITS, ...limits };
  try {
    if (typeof input !== 'string' && !isUtf8(input)) {
      return { ok: false, error: { code: 'XML_ERR_ENCODING', message: 'document is not valid UTF-8' } };
    }
    const text = typeof input === 'string' ? input : input.toString('utf8');
    if (Buffer.byteLength(text) > all.maxBytes) {
      return { ok: false, error: { code: 'XML_ERR_TOO_LARGE', message: 'too large' } };
    }
    if (text.includes('<!DOCTYPE')) throw new Refused('XML_ERR_DTD', 'DOCTYPE/DTD is not accepted');
    if (options.validate === true && XMLValidator.validate(text) !== true) {
      throw new Refused('XML_ERR_MALFORMED', 'XMLValidator refused the document');
    }
    const doc = parser.parse(text) as FxpNode[];
    const roots = doc.filter((n) => !('#text' in n));
    if (roots.length !== 1) throw new Refused('XML_ERR_MALFORMED', 'exactly one root expected');
    const state = { nodes: 0, prefixes: ['xml', 'xmlns'], uris: [XML_NS, XMLNS_NS] };
    return { ok: true, root: convert(roots[0]!, state, 1, all) };
  } catch (e) {
    if (e instanceof Refused) return { ok: false, error: { code: e.code, message: e.message } };
    return { ok: false, error: { code: 'XML_ERR_MALFORMED', message: String((e as Error)?.message ?? e) } };
  }
}

interface State {
  nodes: number;
  prefixes: string[];
  uris: string[];
}

function resolve(state: State, prefix: string): string | undefined {
  for (let k = state.prefixes.length - 1; k >= 0; k--) if (state.prefixes[k] === prefix) return state.uris[k];
  return undefined;
}

function convert(node: FxpNode, state: State, depth: number, limits: Required<XmlLimits>): XmlElement {
  if (depth > limits.maxDepth) throw new Refused('XML_ERR_MALFORMED', 'too deep');
  if (++state.nodes > limits.maxNodes) throw new Refused('XML_ERR_MALFORMED', 'too many nodes');
  let qname = '';
  for (const k in node) if (k !== ':@') qname = k;
  const raw = (node[':@'] ?? {}) as Record<string, string>;
  const mark = state.prefixes.length;
  const names = Object.keys(raw);
  if (names.length > limits.maxAttributes) throw new Refused('XML_ERR_MALFORMED', 'too many attributes');
  const values = names.map((n) => decodeRefs(raw[n]!));
  names.forEach((name, k) => {
    if (name === 'xmlns') {
      state.prefixes.push('');
      state.uris.push(values[k]!.trim());
    } else if (name.startsWith('xmlns:')) {
      state.prefixes.push(name.slice(6));
      state.uris.push(values[k]!.trim());
    }
  });
  const colon = qname.indexOf(':');
  const prefix = colon < 0 ? '' : qname.slice(0, colon);
  const ns = resolve(state, prefix) ?? '';
  if (prefix !== '' && ns === '') throw new Refused('XML_ERR_NAMESPACE', `unbound prefix ${prefix}`);
  const attributes: XmlAttribute[] = names.map((name, k) => {
    const c = name.indexOf(':');
    if (c < 0) return { name, local: name, ns: name === 'xmlns' ? XMLNS_NS : '', value: values[k]! };
    const uri = resolve(state, name.slice(0, c));
    if (uri === undefined) throw new Refused('XML_ERR_NAMESPACE', `unbound prefix in ${name}`);
    return { name, local: name.slice(c + 1), ns: uri, value: values[k]! };
  });
  const children: XmlNode[] = [];
  let text = '';
  for (const child of (node[qname] ?? []) as FxpNode[]) {
    if ('#text' in child) text += decodeRefs(String(child['#text']));
    else if ('#cdata' in child) {
      for (const t of child['#cdata'] as FxpNode[]) text += String(t['#text'] ?? '');
    } else {
      if (text !== '') {
        state.nodes++;
        children.push(text);
        text = '';
      }
      children.push(convert(child, state, depth + 1, limits));
    }
  }
  if (text !== '') {
    state.nodes++;
    children.push(text);
  }
  state.prefixes.length = state.uris.length = mark;
  return { name: qname, local: colon < 0 ? qname : qname.slice(colon + 1), ns, attributes, children };
}
