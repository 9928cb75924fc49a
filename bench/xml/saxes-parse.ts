// The lab's former parseXml, on saxes, kept verbatim (renamed parseXmlSaxes) as the reference the
// hand-written scanner is measured against (bench/xml/xml-bench.ts) and compared with tree for
// tree (tests/unit/common/xml/differential.test.ts). Not used by any protocol code.
import { SaxesParser, type SaxesTagNS } from 'saxes';
import type { ParseXmlResult, XmlError, XmlErrorCode, XmlLimits } from '../../common/xml/parse.ts';
import { DEFAULT_XML_LIMITS } from '../../common/xml/parse.ts';
import type { XmlAttribute, XmlElement } from '../../common/xml/xml-node.ts';

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

export function parseXmlSaxes(input: Buffer | string, limits?: XmlLimits): ParseXmlResult {
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
