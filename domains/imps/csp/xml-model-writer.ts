// Typed CSP message -> XML text without the intermediate XmlElement tree: the envelope and the
// typed primitive written straight from the model by the schema (the walk of model-walk.ts, which
// the WBXML writer shares), as the same text `serializeXml(writeCspMessage(...))` gives (checked
// on every sample by tests/unit/domains/imps/csp/xml-model-writer.test.ts). It is the encode half of `encodeCsp`
// for XML (docs/imps-csp.md, "Performance"). Whatever needs namespace bookkeeping or the
// sender's own order — kept elements, foreign attributes, `$layout`, `$text`, several
// transactions, a generic primitive — makes it answer undefined, and the tree path writes it.
import { escapeAttribute, escapeText } from '../../../common/xml/serialize.ts';
import type { XmlAttribute } from '../../../common/xml/xml-node.ts';
import { CSP_NAMESPACES, type CspVersion } from './csp-version.ts';
import type { CspMessage } from './model/envelope.ts';
import { PRIMITIVE_SCHEMAS } from './model/primitives.ts';
import type { Meta, Struct } from './model/schema.ts';
import {
  directTransaction,
  ElementPlan,
  type ModelEmitter,
  planFor,
  UNUSUAL,
  walkStruct,
} from './model-walk.ts';
import { tablesFor } from './wbxml/wbxml-tables.ts';

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;

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
  const direct = directTransaction(message);
  if (direct === undefined) return undefined;
  const { tx, primitive: p } = direct;
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
    const tables = tablesFor(version);
    const body = p.body as Record<string, unknown> & Meta;
    const element = new ElementPlan(tables, p.name);
    walkStruct(
      emitter.use(out, escapeAttribute(ns.pa)),
      element,
      body,
      planFor(schema, tables),
      false,
      false,
    );
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

/** The XML side of the model walk (model-walk.ts): markup straight into the output bytes. */
class XmlEmitter implements ModelEmitter {
  private out!: Out;
  private paXmlns = '';
  /** Where each open struct's `>` is (an element left empty becomes `<name/>`, as serializeXml). */
  private readonly opens = new Int32Array(MAX_DEPTH);
  private depth = 0;

  /** One emitter serves every message (the codec is synchronous): `use` points it at one. */
  use(out: Out, paXmlns: string): this {
    this.out = out;
    this.paXmlns = paXmlns;
    this.depth = 0;
    return this;
  }

  open(e: ElementPlan, pa: boolean, attributes: XmlAttribute[] | undefined): boolean {
    // Foreign attributes need serializeXml's namespace scopes.
    if (attributes !== undefined || this.depth >= MAX_DEPTH - 1) throw UNUSUAL;
    const out = this.out;
    out.open(e.el);
    if (pa) {
      out.raw(' xmlns="');
      out.raw(this.paXmlns);
      out.byte(0x22);
    }
    this.opens[this.depth++] = out.pos;
    out.byte(GT);
    return false;
  }

  close(e: ElementPlan): void {
    const out = this.out;
    const open = this.opens[--this.depth]!;
    if (out.pos === open + 1) {
      // No children: serializeXml writes an empty element.
      out.pos = open;
      out.byte(SLASH);
      out.byte(GT);
    } else out.close(e.el);
  }

  text(e: ElementPlan, value: string): void {
    this.out.leaf(e.el, value);
  }

  integer(e: ElementPlan, value: number): void {
    this.out.leaf(e.el, String(value));
  }

  boolean(e: ElementPlan, value: boolean): void {
    this.out.leaf(e.el, value ? 'T' : 'F');
  }

  kept(): void {
    throw UNUSUAL; // a kept tree: its namespaces need serializeXml's scopes
  }

  mark(): number {
    return this.out.pos * MAX_DEPTH + this.depth;
  }

  rewind(mark: number): void {
    this.out.pos = Math.floor(mark / MAX_DEPTH);
    this.depth = mark % MAX_DEPTH;
  }
}

// Struct nesting the emitter tracks (CSP schemas nest fewer than 10 deep; deeper: the tree path).
const MAX_DEPTH = 64;
const emitter = new XmlEmitter();
