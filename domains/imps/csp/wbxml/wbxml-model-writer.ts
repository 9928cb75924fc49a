// Typed CSP model -> WBXML without the intermediate XmlElement tree: walks a primitive's schema
// and writes the same bytes `encodeWbxml(writeStruct(...))` would (checked on every sample by
// tests/unit/domains/imps/csp/wbxml/wbxml-model-writer.test.ts). It is the hot half of
// `encodeCsp` for WBXML (docs/imps-csp.md, "Performance"). What it does not reproduce byte for
// byte — a sender's own child order (`$layout`) or stray text (`$text`) — throws `UNUSUAL`, and
// the caller takes the tree path instead.
import type { XmlElement } from '../../../../common/xml/xml-node.ts';
import { retargetNamespaces } from '../csp-message-tree.ts';
import { CSP_NAMESPACES, type CspVersion } from '../csp-version.ts';
import type { CspMessage } from '../model/envelope.ts';
import { PRIMITIVE_SCHEMAS } from '../model/primitives.ts';
import {
  compile,
  K_BOOL,
  K_ELEMENT,
  K_INT,
  K_STRUCT,
  K_TEXT,
  type Meta,
  type Struct,
} from '../model/schema.ts';
import {
  booleanText,
  closeTag,
  integerText,
  keptElement,
  openTag,
  rewind,
  sinkPage,
  sinkPosition,
  sinkStringBytes,
  sinkTables,
  tokenTag,
  typedText,
  type WbxmlSink,
  xmlnsAttribute,
} from './wbxml-encoder.ts';
import {
  DATETIME_TAGS,
  PRESENCE_ATTRIBUTE_PAGE,
  UNTOKENISED_TAGS,
  type WbxmlTables,
} from './wbxml-tables.ts';

/** Thrown (never out of the codec) when the model needs the tree path to keep its exact bytes. */
export const UNUSUAL = Symbol('csp-wbxml-unusual-model');

export interface ModelWriteContext {
  /** PA namespace of the target version, declared by `pa` fields. */
  paNs: string;
  /** Target version: kept elements get its CSP/TRC/PA namespaces. */
  version: CspVersion;
}

/**
 * An element as written under one version's tables: its tag and how its text is typed; for a
 * schema field also the field. One class for envelope elements and fields, so that the writers
 * see a single object shape.
 */
class ElementPlan {
  /** Tag token (page << 8 | token); -1 when the version has none (written as LITERAL). */
  readonly token: number;
  /** Its tag is on the presence attribute page (value tokens then prefer the Presence group). */
  readonly presencePage: boolean;
  readonly integer: boolean;
  readonly dateTime: boolean;
  readonly untokenised: boolean;
  /** The struct's own plan, filled on first use (no look-up per struct written). */
  plan: StructPlan | undefined = undefined;

  constructor(
    tables: WbxmlTables,
    readonly el: string,
    readonly key = '',
    readonly kind = K_TEXT,
    readonly many = false,
    /** DTD rank (declaration order). */
    readonly rank = 0,
    /** The element declares the PA namespace (PresenceSubList). */
    readonly pa = false,
    readonly schema: Struct | undefined = undefined,
  ) {
    const token = tables.tagTokens.get(el);
    this.token = token ?? -1;
    this.presencePage = token !== undefined && token >> 8 === PRESENCE_ATTRIBUTE_PAGE;
    this.integer = tables.integerTags.has(el);
    this.dateTime = DATETIME_TAGS.has(el);
    this.untokenised = UNTOKENISED_TAGS.has(el);
  }
}

type FieldPlan = ElementPlan;

interface StructPlan {
  /** In schema (= DTD) order. */
  fields: FieldPlan[];
  byKey: Map<string, FieldPlan>;
}

function elementPlan(tables: WbxmlTables, el: string): ElementPlan {
  return new ElementPlan(tables, el);
}

function buildPlan(schema: Struct, tables: WbxmlTables): StructPlan {
  const fields: FieldPlan[] = [];
  for (const slot of compile(schema).values()) {
    const field = schema[slot.key]!;
    fields.push(
      new ElementPlan(
        tables,
        slot.el,
        slot.key,
        slot.kind,
        slot.many,
        slot.rank,
        field.pa === true,
        slot.schema,
      ),
    );
  }
  return { fields, byKey: new Map(fields.map((f) => [f.key, f])) };
}

// Per schema, the plan of the version last written (answers rarely change version mid-run).
const planCache = new WeakMap<Struct, { tables: WbxmlTables; plan: StructPlan }>();

function planFor(schema: Struct, tables: WbxmlTables): StructPlan {
  let hit = planCache.get(schema);
  if (hit === undefined || hit.tables !== tables) {
    hit = { tables, plan: buildPlan(schema, tables) };
    planCache.set(schema, hit);
  }
  return hit.plan;
}

/** A typed struct (a primitive) as the element `name`, attributes first when given. */
export function writeModelStruct(
  sink: WbxmlSink,
  name: string,
  model: Record<string, unknown> & Meta,
  schema: Struct,
  presence: boolean,
  ctx: ModelWriteContext,
): void {
  const tables = sinkTables(sink);
  writeStruct(sink, elementPlan(tables, name), model, planFor(schema, tables), presence, ctx, undefined);
}

/**
 * A struct element. The model's own keys are walked (for…in reads each value by the object's
 * enumeration cache, where a walk of the schema pays a keyed look-up per field, present or not);
 * models read by the decoders, and most built in code, hold their keys in schema order. When they
 * do not, or carry attributes, layout or text, what was written is taken back and the schema
 * order walk writes it.
 */
function writeStruct(
  sink: WbxmlSink,
  element: ElementPlan,
  model: Record<string, unknown> & Meta,
  plan: StructPlan,
  presence: boolean,
  ctx: ModelWriteContext,
  xmlns: string | undefined,
): void {
  if (element.token < 0) {
    writeStructInOrder(sink, element, model, plan, presence, ctx, xmlns);
    return;
  }
  const position = sinkPosition(sink);
  const page = sinkPage(sink);
  const stringBytes = sinkStringBytes(sink);
  tokenTag(sink, element.token, xmlns !== undefined);
  if (xmlns !== undefined) {
    xmlnsAttribute(sink, xmlns);
    closeTag(sink);
  }
  const inPresence = presence || element.presencePage;
  const byKey = plan.byKey;
  let lastRank = -1;
  let extensions: XmlElement[] | undefined;
  for (const key in model) {
    const v = model[key];
    if (v === undefined) continue;
    const f = byKey.get(key);
    if (f === undefined) {
      if (key === '$extensions') extensions = v as XmlElement[];
      else if (key.charCodeAt(0) === 0x24) {
        // $attributes (in the tag), $layout, $text.
        rewind(sink, position, page, stringBytes);
        writeStructInOrder(sink, element, model, plan, presence, ctx, xmlns);
        return;
      }
      continue; // not a field: the schema walk skips it too
    }
    if (f.rank < lastRank) {
      rewind(sink, position, page, stringBytes);
      writeStructInOrder(sink, element, model, plan, presence, ctx, xmlns);
      return;
    }
    lastRank = f.rank;
    if (f.many) {
      const list = v as unknown[];
      for (let j = 0; j < list.length; j++) writeField(sink, f, list[j], inPresence, ctx);
    } else writeField(sink, f, v, inPresence, ctx);
  }
  if (extensions !== undefined)
    for (let i = 0; i < extensions.length; i++)
      keptElement(sink, retargetNamespaces(extensions[i]!, ctx.version), inPresence);
  closeTag(sink);
}

/** `writeStruct` in schema order, with foreign attributes; `$layout`/`$text` need the tree. */
function writeStructInOrder(
  sink: WbxmlSink,
  element: ElementPlan,
  model: Record<string, unknown> & Meta,
  plan: StructPlan,
  presence: boolean,
  ctx: ModelWriteContext,
  xmlns: string | undefined,
): void {
  if (model.$layout !== undefined || model.$text !== undefined) throw UNUSUAL;
  const extra = model.$attributes;
  const attrs: ReadonlyArray<{ name: string; value: string }> | undefined =
    xmlns === undefined ? extra : [{ name: 'xmlns', value: xmlns }, ...(extra ?? [])];
  const inPresence = openTag(
    sink,
    element.el,
    presence,
    attrs,
    element.token >= 0 ? element.token : undefined,
  );
  const fields = plan.fields;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const v = model[f.key];
    if (v === undefined) continue;
    if (f.many) {
      const list = v as unknown[];
      for (let j = 0; j < list.length; j++) writeField(sink, f, list[j], inPresence, ctx);
    } else writeField(sink, f, v, inPresence, ctx);
  }
  const extensions = model.$extensions;
  if (extensions !== undefined)
    for (let i = 0; i < extensions.length; i++)
      keptElement(sink, retargetNamespaces(extensions[i]!, ctx.version), inPresence);
  closeTag(sink);
}

function writeField(
  sink: WbxmlSink,
  f: FieldPlan,
  value: unknown,
  presence: boolean,
  ctx: ModelWriteContext,
): void {
  const kind = f.kind;
  if (kind === K_STRUCT) {
    let sub = f.plan;
    if (sub === undefined) {
      sub = buildPlan(f.schema!, sinkTables(sink));
      f.plan = sub;
    }
    writeStruct(
      sink,
      f,
      value as Record<string, unknown> & Meta,
      sub,
      presence,
      ctx,
      f.pa ? ctx.paNs : undefined,
    );
  } else if (kind === K_ELEMENT)
    keptElement(sink, retargetNamespaces(value as XmlElement, ctx.version), presence);
  else if (kind === K_INT) {
    const inPresence = openLeaf(sink, f, presence);
    integerText(sink, value as number, inPresence, f.integer, f.dateTime, f.untokenised);
    closeTag(sink);
  } else if (kind === K_BOOL) {
    const inPresence = openLeaf(sink, f, presence);
    booleanText(sink, value as boolean, inPresence, f.integer, f.dateTime, f.untokenised);
    closeTag(sink);
  } else writeLeaf(sink, f, value as string, presence);
}

/** Opens a leaf; returns whether its text is inside presence attributes. */
function openLeaf(sink: WbxmlSink, e: ElementPlan, presence: boolean): boolean {
  if (e.token < 0) return openTag(sink, e.el, presence);
  tokenTag(sink, e.token, false);
  return presence || e.presencePage;
}

/** A CSP-namespace element holding only `value` (text, boolean, envelope fields). */
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
  const e = (el: string) => elementPlan(tables, el);
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
  if (env.transactions.length !== 1 || env.$attributes !== undefined || env.$extensions !== undefined)
    return false;
  const tx = env.transactions[0]!;
  if (
    tx.segmentInfo !== undefined ||
    tx.extBlocks !== undefined ||
    tx.$extensions !== undefined ||
    tx.$descriptorText !== undefined
  )
    return false;
  const p = tx.primitive;
  if ('generic' in p) return false;
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
  const element = elementPlan(tables, p.name);
  writeStruct(
    sink,
    element,
    body,
    planFor(schema, tables),
    e.transactionContent.presencePage,
    ctx,
    undefined,
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
