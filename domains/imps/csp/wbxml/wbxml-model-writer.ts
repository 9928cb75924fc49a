// Typed CSP model -> WBXML without the intermediate XmlElement tree: walks the model by its schema
// (model-walk.ts, shared with the XML writer) and writes the same bytes
// `encodeWbxml(writeStruct(...))` would (checked on every sample by
// tests/unit/domains/imps/csp/wbxml/wbxml-model-writer.test.ts). It is the hot half of
// `encodeCsp` for WBXML (docs/imps-csp.md, "Performance"). What it does not reproduce byte for
// byte — a sender's own child order (`$layout`) or stray text (`$text`) — throws `UNUSUAL`, and
// the caller takes the tree path instead.
import type { XmlAttribute, XmlElement } from '../../../../common/xml/xml-node.ts';
import { retargetNamespaces } from '../csp-message-tree.ts';
import { CSP_NAMESPACES, type CspVersion } from '../csp-version.ts';
import type { CspMessage } from '../model/envelope.ts';
import { PRIMITIVE_SCHEMAS } from '../model/primitives.ts';
import type { Meta, Struct } from '../model/schema.ts';
import {
  directTransaction,
  ElementPlan,
  type ModelEmitter,
  planFor,
  UNUSUAL,
  walkStruct,
} from '../model-walk.ts';
import {
  booleanText,
  closeTag,
  integerText,
  keptElement,
  openTag,
  rewind,
  sinkMark,
  sinkTables,
  tokenTag,
  typedText,
  type WbxmlSink,
  xmlnsAttribute,
} from './wbxml-encoder.ts';
import type { WbxmlTables } from './wbxml-tables.ts';

export { UNUSUAL };

export interface ModelWriteContext {
  /** PA namespace of the target version, declared by `pa` fields. */
  paNs: string;
  /** Target version: kept elements get its CSP/TRC/PA namespaces. */
  version: CspVersion;
}

/** The WBXML side of the model walk (model-walk.ts): tokens through the encoder's helpers. */
class WbxmlEmitter implements ModelEmitter {
  private sink!: WbxmlSink;
  private ctx!: ModelWriteContext;

  /** One emitter serves every message (the codec is synchronous): `use` points it at one. */
  use(sink: WbxmlSink, ctx: ModelWriteContext): this {
    this.sink = sink;
    this.ctx = ctx;
    return this;
  }

  open(e: ElementPlan, pa: boolean, attributes: XmlAttribute[] | undefined, presence: boolean): boolean {
    const sink = this.sink;
    if (attributes === undefined && e.token >= 0) {
      tokenTag(sink, e.token, pa);
      if (pa) {
        xmlnsAttribute(sink, this.ctx.paNs);
        closeTag(sink);
      }
      return presence || e.presencePage;
    }
    const attrs: ReadonlyArray<{ name: string; value: string }> | undefined = pa
      ? [{ name: 'xmlns', value: this.ctx.paNs }, ...(attributes ?? [])]
      : attributes;
    return openTag(sink, e.el, presence, attrs, e.token >= 0 ? e.token : undefined);
  }

  close(): void {
    closeTag(this.sink);
  }

  text(e: ElementPlan, value: string, presence: boolean): void {
    const inPresence = openLeaf(this.sink, e, presence);
    if (value !== '') typedText(this.sink, value, inPresence, e.integer, e.dateTime, e.untokenised);
    closeTag(this.sink);
  }

  integer(e: ElementPlan, value: number, presence: boolean): void {
    const inPresence = openLeaf(this.sink, e, presence);
    integerText(this.sink, value, inPresence, e.integer, e.dateTime, e.untokenised);
    closeTag(this.sink);
  }

  boolean(e: ElementPlan, value: boolean, presence: boolean): void {
    const inPresence = openLeaf(this.sink, e, presence);
    booleanText(this.sink, value, inPresence, e.integer, e.dateTime, e.untokenised);
    closeTag(this.sink);
  }

  kept(element: XmlElement, presence: boolean): void {
    keptElement(this.sink, retargetNamespaces(element, this.ctx.version), presence);
  }

  mark(): number {
    return sinkMark(this.sink);
  }

  rewind(mark: number): void {
    rewind(this.sink, mark);
  }
}

const emitter = new WbxmlEmitter();

/** A typed struct (a primitive) as the element `name`. */
export function writeModelStruct(
  sink: WbxmlSink,
  name: string,
  model: Record<string, unknown> & Meta,
  schema: Struct,
  presence: boolean,
  ctx: ModelWriteContext,
): void {
  const tables = sinkTables(sink);
  const element = new ElementPlan(tables, name);
  walkStruct(emitter.use(sink, ctx), element, model, planFor(schema, tables), presence, false);
}

/** Opens a leaf; returns whether its text is inside presence attributes. */
function openLeaf(sink: WbxmlSink, e: ElementPlan, presence: boolean): boolean {
  if (e.token < 0) return openTag(sink, e.el, presence);
  tokenTag(sink, e.token, false);
  return presence || e.presencePage;
}

/** A CSP-namespace element holding only `value` (envelope fields). */
function writeLeaf(sink: WbxmlSink, e: ElementPlan, value: string, presence: boolean): void {
  const inPresence = openLeaf(sink, e, presence);
  if (value !== '') typedText(sink, value, inPresence, e.integer, e.dateTime, e.untokenised);
  closeTag(sink);
}

/** The envelope elements under one version's tables. */
interface EnvelopePlan {
  tables: WbxmlTables;
  message: ElementPlan;
  session: ElementPlan;
  sessionDescriptor: ElementPlan;
  sessionType: ElementPlan;
  sessionId: ElementPlan;
  transaction: ElementPlan;
  transactionDescriptor: ElementPlan;
  transactionMode: ElementPlan;
  transactionId: ElementPlan;
  transactionContent: ElementPlan;
  poll: ElementPlan;
  cir: ElementPlan;
}

let lastEnvelope: EnvelopePlan | undefined;

function envelopePlan(tables: WbxmlTables): EnvelopePlan {
  if (lastEnvelope?.tables === tables) return lastEnvelope;
  const e = (el: string) => new ElementPlan(tables, el);
  lastEnvelope = {
    tables,
    message: e('WV-CSP-Message'),
    session: e('Session'),
    sessionDescriptor: e('SessionDescriptor'),
    sessionType: e('SessionType'),
    sessionId: e('SessionID'),
    transaction: e('Transaction'),
    transactionDescriptor: e('TransactionDescriptor'),
    transactionMode: e('TransactionMode'),
    transactionId: e('TransactionID'),
    transactionContent: e('TransactionContent'),
    poll: e('Poll'),
    cir: e('CIR'),
  };
  return lastEnvelope;
}

/** An element without text of its own, with one xmlns or none. */
function openElement(sink: WbxmlSink, e: ElementPlan, xmlns?: string): void {
  if (e.token < 0) {
    openTag(sink, e.el, false, xmlns === undefined ? undefined : [{ name: 'xmlns', value: xmlns }]);
    return;
  }
  tokenTag(sink, e.token, xmlns !== undefined);
  if (xmlns === undefined) return;
  xmlnsAttribute(sink, xmlns);
  closeTag(sink);
}

/**
 * The whole message, envelope included, for the plain envelope (one transaction, no kept
 * elements or foreign attributes): the elements writeCspMessage would build, in its order.
 * False when the envelope needs the tree (the caller then writes only the primitive this way).
 */
export function writeModelMessage(
  sink: WbxmlSink,
  message: CspMessage,
  version: CspVersion,
  ctx: ModelWriteContext,
): boolean {
  const env = message.envelope;
  const direct = directTransaction(message);
  if (direct === undefined) return false;
  const { tx, primitive: p } = direct;
  const ns = CSP_NAMESPACES[version];
  const tables = sinkTables(sink);
  const e = envelopePlan(tables);
  openElement(sink, e.message, ns.csp);
  openElement(sink, e.session);
  openElement(sink, e.sessionDescriptor);
  writeLeaf(sink, e.sessionType, env.sessionType, false);
  if (env.sessionId !== undefined) writeLeaf(sink, e.sessionId, env.sessionId, false);
  closeTag(sink);
  openElement(sink, e.transaction);
  openElement(sink, e.transactionDescriptor);
  writeLeaf(sink, e.transactionMode, tx.mode, false);
  if (tx.transactionId !== undefined) writeLeaf(sink, e.transactionId, tx.transactionId, false);
  // imps.md §1.1: Poll in TransactionDescriptor for 1.1, in Session for 1.2+ (as writeCspMessage).
  const txPoll = tx.poll ?? env.poll;
  if (version === '1.1' && txPoll !== undefined) writeLeaf(sink, e.poll, txPoll ? 'T' : 'F', false);
  closeTag(sink);
  openElement(sink, e.transactionContent, ns.trc);
  const schema: Struct = PRIMITIVE_SCHEMAS[p.name];
  const body = p.body as Record<string, unknown> & Meta;
  const element = new ElementPlan(tables, p.name);
  walkStruct(
    emitter.use(sink, ctx),
    element,
    body,
    planFor(schema, tables),
    e.transactionContent.presencePage,
    false,
  );
  closeTag(sink);
  closeTag(sink);
  const poll = env.poll ?? tx.poll;
  if (version !== '1.1' && poll !== undefined) writeLeaf(sink, e.poll, poll ? 'T' : 'F', false);
  if (version !== '1.1' && env.cir !== undefined) writeLeaf(sink, e.cir, env.cir ? 'T' : 'F', false);
  closeTag(sink);
  closeTag(sink);
  return true;
}
