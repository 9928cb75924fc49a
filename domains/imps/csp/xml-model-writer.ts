// Typed CSP message -> XML text without the intermediate XmlElement tree: the envelope and the
// typed primitive written straight from the model by the schema, as the same text
// `serializeXml(writeCspMessage(...))` gives (checked on every sample by
// tests/unit/domains/imps/csp/xml-model-writer.test.ts). It is the encode half of `encodeCsp`
// for XML (docs/imps-csp.md, "Performance"). Whatever needs namespace bookkeeping or the
// sender's own order — kept elements, foreign attributes, `$layout`, `$text`, several
// transactions, a generic primitive — makes it answer undefined, and the tree path writes it.
import { escapeAttribute, escapeText } from '../../../common/xml/serialize.ts';
import { CSP_NAMESPACES, type CspVersion } from './csp-version.ts';
import type { CspMessage } from './model/envelope.ts';
import { PRIMITIVE_SCHEMAS } from './model/primitives.ts';
import { type Field, fieldList, type Meta, type Struct } from './model/schema.ts';

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;

class Unusual {}
const UNUSUAL = new Unusual();

/**
 * Output bytes written in place (no string concatenation to flatten and re-encode). One scratch
 * buffer serves every call: the codec is synchronous, and the result is copied out.
 */
let scratch = Buffer.allocUnsafe(16 * 1024);

class Out {
  buf = scratch;
  pos = 0;

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    scratch = next;
    this.buf = next;
  }

  /** Markup and namespace URIs: UTF-8 as they are (already escaped where needed). */
  raw(s: string): void {
    const n = s.length;
    this.ensure(n * 3);
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 0x80) {
        this.pos = pos + buf.write(s.slice(i), pos, 'utf8');
        return;
      }
      buf[pos++] = c;
    }
    this.pos = pos;
  }

  /** Character data, escaped exactly as serializeXml's escapeText (its fast test, inlined). */
  text(s: string): void {
    const n = s.length;
    this.ensure(n);
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if ((c < 0x20 && c !== 0x09 && c !== 0x0a) || c > 0x7e || c === 0x26 || c === 0x3c || c === 0x3e) {
        this.raw(escapeText(s));
        return;
      }
      buf[pos++] = c;
    }
    this.pos = pos;
  }

  byte(c: number): void {
    this.ensure(1);
    this.buf[this.pos++] = c;
  }

  // Names are written piecewise: a template string would be a cons string that charCodeAt flattens.
  open(name: string): void {
    this.byte(LT);
    this.raw(name);
  }

  close(name: string): void {
    this.byte(LT);
    this.byte(SLASH);
    this.raw(name);
    this.byte(GT);
  }

  leaf(name: string, value: string): void {
    this.open(name);
    if (value === '') {
      this.byte(SLASH);
      this.byte(GT);
      return;
    }
    this.byte(GT);
    this.text(value);
    this.close(name);
  }

  bytes(): Buffer {
    const out = Buffer.allocUnsafe(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    return out;
  }
}

/** The UTF-8 XML of `message` in `version` (no indent), or undefined when the tree path must write it. */
export function writeCspXml(message: CspMessage, version: CspVersion): Buffer | undefined {
  const env = message.envelope;
  if (env.transactions.length !== 1 || env.$attributes !== undefined || env.$extensions !== undefined)
    return undefined;
  const tx = env.transactions[0]!;
  if (
    tx.segmentInfo !== undefined ||
    tx.extBlocks !== undefined ||
    tx.$extensions !== undefined ||
    tx.$descriptorText !== undefined
  )
    return undefined;
  const p = tx.primitive;
  if ('generic' in p) return undefined;
  const ns = CSP_NAMESPACES[version];
  const schema: Struct = PRIMITIVE_SCHEMAS[p.name];
  const out = new Out();
  out.raw(`${DECLARATION}<WV-CSP-Message xmlns="${escapeAttribute(ns.csp)}"><Session><SessionDescriptor>`);
  out.leaf('SessionType', env.sessionType);
  if (env.sessionId !== undefined) out.leaf('SessionID', env.sessionId);
  out.raw('</SessionDescriptor><Transaction><TransactionDescriptor>');
  out.leaf('TransactionMode', tx.mode);
  if (tx.transactionId !== undefined) out.leaf('TransactionID', tx.transactionId);
  // imps.md §1.1: Poll in TransactionDescriptor for 1.1, in Session for 1.2+ (as writeCspMessage).
  const txPoll = tx.poll ?? env.poll;
  if (version === '1.1' && txPoll !== undefined) out.leaf('Poll', txPoll ? 'T' : 'F');
  out.raw(`</TransactionDescriptor><TransactionContent xmlns="${escapeAttribute(ns.trc)}">`);
  try {
    struct(out, p.name, p.body as Record<string, unknown> & Meta, schema, '', escapeAttribute(ns.pa));
  } catch (e) {
    if (e === UNUSUAL) return undefined;
    throw e;
  }
  out.raw('</TransactionContent></Transaction>');
  const poll = env.poll ?? tx.poll;
  if (version !== '1.1' && poll !== undefined) out.leaf('Poll', poll ? 'T' : 'F');
  if (version !== '1.1' && env.cir !== undefined) out.leaf('CIR', env.cir ? 'T' : 'F');
  out.raw('</Session></WV-CSP-Message>');
  return out.bytes();
}

/** `paXmlns` is the escaped PA namespace; `xmlns` the escaped namespace this element declares, or ''. */
function struct(
  out: Out,
  name: string,
  model: Record<string, unknown> & Meta,
  schema: Struct,
  xmlns: string,
  paXmlns: string,
): void {
  if (
    model.$layout !== undefined ||
    model.$text !== undefined ||
    model.$extensions !== undefined ||
    model.$attributes !== undefined
  )
    throw UNUSUAL;
  out.open(name);
  if (xmlns !== '') {
    out.raw(' xmlns="');
    out.raw(xmlns);
    out.byte(0x22);
  }
  const open = out.pos;
  out.byte(GT);
  const fields = fieldList(schema);
  for (let i = 0; i < fields.length; i++) {
    const [key, field] = fields[i]!;
    const v = model[key];
    if (v === undefined) continue;
    if (field.many) {
      const list = v as unknown[];
      for (let j = 0; j < list.length; j++) value(out, field, list[j], paXmlns);
    } else value(out, field, v, paXmlns);
  }
  if (out.pos === open + 1) {
    // No children: serializeXml writes an empty element.
    out.pos = open;
    out.byte(SLASH);
    out.byte(GT);
  } else out.close(name);
}

function value(out: Out, field: Field, v: unknown, paXmlns: string): void {
  switch (field.kind) {
    case 'text':
      out.leaf(field.el, v as string);
      return;
    case 'int':
      out.leaf(field.el, String(v));
      return;
    case 'bool':
      out.leaf(field.el, v ? 'T' : 'F');
      return;
    case 'element':
      throw UNUSUAL; // a kept tree: its namespaces need serializeXml's scopes
    default:
      struct(
        out,
        field.el,
        v as Record<string, unknown> & Meta,
        field.kind,
        field.pa ? paXmlns : '',
        paXmlns,
      );
  }
}
