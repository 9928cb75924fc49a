// The walk over a typed CSP model that both direct writers share (wbxml/wbxml-model-writer.ts,
// xml-model-writer.ts): the schema says which element each key is and in which order the DTD
// wants them; an emitter turns the walk into WBXML tokens or XML text. The result must be what the
// tree path writes (writeStruct in model/schema.ts: fields in schema order, then `$extensions`).
import type { XmlAttribute, XmlElement } from '../../../common/xml/xml-node.ts';
import type { CspMessage, CspTransaction } from './model/envelope.ts';
import type { TypedPrimitive } from './model/primitives.ts';
import {
  compile,
  K_BOOL,
  K_ELEMENT,
  K_INT,
  K_STRUCT,
  K_TEXT,
  type Meta,
  type Struct,
} from './model/schema.ts';
import {
  DATETIME_TAGS,
  PRESENCE_ATTRIBUTE_PAGE,
  UNTOKENISED_TAGS,
  type WbxmlTables,
} from './wbxml/wbxml-tables.ts';

/** Thrown (never out of the codec) when the model needs the tree path to keep its exact output. */
export const UNUSUAL = Symbol('csp-model-unusual');

/**
 * The transaction both model writers can write straight from the model: a single one, with a
 * typed primitive and nothing only the tree carries (segment info, extension blocks, extensions,
 * descriptor text); undefined sends the message down the tree path.
 */
export function directTransaction(
  message: CspMessage,
): { tx: CspTransaction; primitive: TypedPrimitive } | undefined {
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
  return 'generic' in p ? undefined : { tx, primitive: p };
}

/**
 * An element as written under one version's tables: its tag and how its WBXML text is typed; for
 * a schema field also the field. One class for envelope elements and fields, so that the writers
 * see a single object shape.
 */
export class ElementPlan {
  /** WBXML tag token (page << 8 | token); -1 when the version has none (written as LITERAL). */
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

export interface StructPlan {
  tables: WbxmlTables;
  /** In schema (= DTD) order. */
  fields: ElementPlan[];
  byKey: Map<string, ElementPlan>;
}

function buildPlan(schema: Struct, tables: WbxmlTables): StructPlan {
  const fields: ElementPlan[] = [];
  for (const slot of compile(schema).values()) {
    const pa = schema[slot.key]!.pa === true;
    fields.push(new ElementPlan(tables, slot.el, slot.key, slot.kind, slot.many, slot.rank, pa, slot.schema));
  }
  return { tables, fields, byKey: new Map(fields.map((f) => [f.key, f])) };
}

// Per schema, the plan of the version last written (answers rarely change version mid-run).
const planCache = new WeakMap<Struct, StructPlan>();

export function planFor(schema: Struct, tables: WbxmlTables): StructPlan {
  let plan = planCache.get(schema);
  if (plan === undefined || plan.tables !== tables) {
    plan = buildPlan(schema, tables);
    planCache.set(schema, plan);
  }
  return plan;
}

/** What a writer does at each step of the walk. `presence`: inside presence attributes (WBXML). */
export interface ModelEmitter {
  /**
   * Opens a struct element, with the PA xmlns when `pa` (PresenceSubList) and the model's
   * `$attributes`; returns `presence` for its children. Throws UNUSUAL for what it cannot write.
   */
  open(element: ElementPlan, pa: boolean, attributes: XmlAttribute[] | undefined, presence: boolean): boolean;
  close(element: ElementPlan): void;
  text(element: ElementPlan, value: string, presence: boolean): void;
  integer(element: ElementPlan, value: number, presence: boolean): void;
  boolean(element: ElementPlan, value: boolean, presence: boolean): void;
  /** A kept element (raw field or `$extensions` entry). */
  kept(element: XmlElement, presence: boolean): void;
  /** The output point, as a number to hand back to `rewind`. */
  mark(): number;
  /** Goes back to `mark`, forgetting what was written since. */
  rewind(mark: number): void;
}

/**
 * A struct element and its content. The model's own keys are walked (for…in reads each value by
 * the object's enumeration cache, where a walk of the schema pays a keyed look-up per field,
 * present or not); models read by the decoders, and most built in code, hold their keys in schema
 * order. When they do not, or carry attributes, layout or text, what was written is taken back and
 * the schema walk writes it.
 */
export function walkStruct(
  out: ModelEmitter,
  element: ElementPlan,
  model: Record<string, unknown> & Meta,
  plan: StructPlan,
  presence: boolean,
  pa: boolean,
): void {
  const mark = out.mark();
  const inPresence = out.open(element, pa, undefined, presence);
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
        out.rewind(mark);
        walkInSchemaOrder(out, element, model, plan, presence, pa);
        return;
      }
      continue; // not a field: the schema walk skips it too
    }
    if (f.rank < lastRank) {
      out.rewind(mark);
      walkInSchemaOrder(out, element, model, plan, presence, pa);
      return;
    }
    lastRank = f.rank;
    if (f.many) {
      const list = v as unknown[];
      for (let j = 0; j < list.length; j++) walkField(out, f, list[j], inPresence, plan.tables);
    } else walkField(out, f, v, inPresence, plan.tables);
  }
  if (extensions !== undefined)
    for (let i = 0; i < extensions.length; i++) out.kept(extensions[i]!, inPresence);
  out.close(element);
}

/** `walkStruct` in schema order, with the model's attributes; `$layout`/`$text` need the tree. */
function walkInSchemaOrder(
  out: ModelEmitter,
  element: ElementPlan,
  model: Record<string, unknown> & Meta,
  plan: StructPlan,
  presence: boolean,
  pa: boolean,
): void {
  if (model.$layout !== undefined || model.$text !== undefined) throw UNUSUAL;
  const inPresence = out.open(element, pa, model.$attributes, presence);
  const fields = plan.fields;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const v = model[f.key];
    if (v === undefined) continue;
    if (f.many) {
      const list = v as unknown[];
      for (let j = 0; j < list.length; j++) walkField(out, f, list[j], inPresence, plan.tables);
    } else walkField(out, f, v, inPresence, plan.tables);
  }
  const extensions = model.$extensions;
  if (extensions !== undefined)
    for (let i = 0; i < extensions.length; i++) out.kept(extensions[i]!, inPresence);
  out.close(element);
}

function walkField(
  out: ModelEmitter,
  f: ElementPlan,
  value: unknown,
  presence: boolean,
  tables: WbxmlTables,
): void {
  const kind = f.kind;
  if (kind === K_STRUCT) {
    let sub = f.plan;
    if (sub === undefined) {
      sub = buildPlan(f.schema!, tables);
      f.plan = sub;
    }
    walkStruct(out, f, value as Record<string, unknown> & Meta, sub, presence, f.pa);
  } else if (kind === K_TEXT) out.text(f, value as string, presence);
  else if (kind === K_BOOL) out.boolean(f, value as boolean, presence);
  else if (kind === K_INT) out.integer(f, value as number, presence);
  else if (kind === K_ELEMENT) out.kept(value as XmlElement, presence);
}
