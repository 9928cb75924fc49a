// parseXml: bytes or text → XmlElement tree, or a typed error. Built on saxes (a conformant,
// non-validating XML 1.0 + Namespaces parser) with the lab's hardening on top:
// - any DOCTYPE is refused (no DTD means no external entities — XXE — and no entity
//   expansion — "billion laughs"); saxes itself knows only the five predefined entities and
//   numeric character references, so any other `&name;` is refused as well;
// - size, depth, node and attribute limits are enforced while parsing, not after;
// - UTF-8 only (every SIMPLE/CSP body the lab handles is UTF-8; RFC 3863 §4 mandates it for PIDF);
// - it never throws: every failure is an `XML_ERR_*` code the protocol layer maps to its own answer.
import { SaxesParser, type SaxesTagNS } from 'saxes';
import type { XmlAttribute, XmlElement } from './xml-node.ts';

export interface XmlLimits {
  /** Largest accepted document, in bytes of UTF-8. */
  maxBytes?: number;
  /** Deepest element nesting (the root is depth 1). */
  maxDepth?: number;
  /** Most elements + text nodes in the whole document. */
  maxNodes?: number;
  /** Most attributes (namespace declarations included) on one element. */
  maxAttributes?: number;
}

export const DEFAULT_XML_LIMITS: Required<XmlLimits> = {
  maxBytes: 1024 * 1024,
  maxDepth: 64,
  maxNodes: 100_000,
  maxAttributes: 64,
};

export type XmlErrorCode =
  | 'XML_ERR_TOO_LARGE'
  | 'XML_ERR_TOO_DEEP'
  | 'XML_ERR_TOO_MANY_NODES'
  | 'XML_ERR_TOO_MANY_ATTRIBUTES'
  | 'XML_ERR_DTD'
  | 'XML_ERR_ENTITY'
  | 'XML_ERR_ENCODING'
  | 'XML_ERR_NAMESPACE'
  | 'XML_ERR_MALFORMED';

export interface XmlError {
  code: XmlErrorCode;
  message: string;
}

export type ParseXmlResult = { ok: true; root: XmlElement } | { ok: false; error: XmlError };

/** Thrown from inside saxes callbacks to stop the parse at the first error. */
class Abort {
  constructor(readonly error: XmlError) {}
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function classify(message: string): XmlErrorCode {
  if (message.includes('entity')) return 'XML_ERR_ENTITY';
  if (message.includes('namespace prefix') || message.includes('"xmlns" as prefix'))
    return 'XML_ERR_NAMESPACE';
  if (message.includes('undefine prefix')) return 'XML_ERR_NAMESPACE';
  if (message.includes('doctype')) return 'XML_ERR_DTD';
  return 'XML_ERR_MALFORMED';
}

function decode(input: Buffer | string, maxBytes: number): string | XmlError {
  if (typeof input === 'string') {
    // Cheap upper bound first: a UTF-16 unit is at most 3 UTF-8 bytes.
    if (input.length * 3 > maxBytes && Buffer.byteLength(input, 'utf8') > maxBytes) {
      return { code: 'XML_ERR_TOO_LARGE', message: `document larger than ${maxBytes} bytes` };
    }
    return input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  }
  if (input.byteLength > maxBytes) {
    return { code: 'XML_ERR_TOO_LARGE', message: `document of ${input.byteLength} bytes > ${maxBytes}` };
  }
  try {
    return utf8.decode(input);
  } catch {
    return { code: 'XML_ERR_ENCODING', message: 'document is not valid UTF-8' };
  }
}

export function parseXml(input: Buffer | string, limits?: XmlLimits): ParseXmlResult {
  try {
    return parseUnsafe(input, { ...DEFAULT_XML_LIMITS, ...limits });
  } catch (e) {
    if (e instanceof Abort) return { ok: false, error: e.error };
    // saxes may throw on states it considers internal errors; they are still malformed input.
    return { ok: false, error: { code: 'XML_ERR_MALFORMED', message: String((e as Error)?.message ?? e) } };
  }
}

function parseUnsafe(input: Buffer | string, limits: Required<XmlLimits>): ParseXmlResult {
  const text = decode(input, limits.maxBytes);
  if (typeof text !== 'string') return { ok: false, error: text };

  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  let nodes = 0;
  let attributeCount = 0;

  const abort = (code: XmlErrorCode, message: string): never => {
    throw new Abort({ code, message });
  };
  const countNode = (): void => {
    if (++nodes > limits.maxNodes) abort('XML_ERR_TOO_MANY_NODES', `more than ${limits.maxNodes} nodes`);
  };
  const appendText = (data: string): void => {
    const parent = stack[stack.length - 1];
    // Text outside the root can only be whitespace (saxes refuses anything else).
    if (parent === undefined || data === '') return;
    const last = parent.children[parent.children.length - 1];
    if (typeof last === 'string') {
      parent.children[parent.children.length - 1] = last + data;
    } else {
      countNode();
      parent.children.push(data);
    }
  };

  parser.on('error', (err) => {
    // saxes prefixes messages with "line:column: "; keep it, it helps the person reading a 400.
    abort(classify(err.message), err.message);
  });
  parser.on('doctype', () => abort('XML_ERR_DTD', 'DOCTYPE/DTD is not accepted'));
  parser.on('xmldecl', (decl) => {
    if (decl.encoding !== undefined && !/^utf-8$/i.test(decl.encoding)) {
      abort('XML_ERR_ENCODING', `encoding ${decl.encoding} is not supported (UTF-8 only)`);
    }
  });
  parser.on('opentagstart', () => {
    attributeCount = 0;
    if (stack.length + 1 > limits.maxDepth)
      abort('XML_ERR_TOO_DEEP', `nesting deeper than ${limits.maxDepth}`);
    countNode();
  });
  parser.on('attribute', () => {
    if (++attributeCount > limits.maxAttributes) {
      abort('XML_ERR_TOO_MANY_ATTRIBUTES', `more than ${limits.maxAttributes} attributes on one element`);
    }
  });
  parser.on('opentag', (tag: SaxesTagNS) => {
    const attributes: XmlAttribute[] = [];
    for (const a of Object.values(tag.attributes)) {
      attributes.push({ name: a.name, local: a.local, ns: a.uri, value: a.value });
    }
    const element: XmlElement = {
      name: tag.name,
      local: tag.local,
      ns: tag.uri,
      attributes,
      children: [],
    };
    const parent = stack[stack.length - 1];
    if (parent === undefined) root = element;
    else parent.children.push(element);
    stack.push(element);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.on('text', appendText);
  parser.on('cdata', appendText);

  parser.write(text);
  parser.close();
  if (root === undefined)
    return { ok: false, error: { code: 'XML_ERR_MALFORMED', message: 'no root element' } };
  return { ok: true, root };
}
