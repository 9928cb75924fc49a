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
import { type Field, fieldList, type Meta, type Struct } from '../model/schema.ts';
import {
  closeTag,
  keptElement,
  type LeafPlan,
  leafPlan,
  leafTag,
  openTag,
  sinkTables,
  type WbxmlSink,
} from './wbxml-encoder.ts';
import type { WbxmlTables } from './wbxml-tables.ts';

/** Thrown (never out of the codec) when the model needs the tree path to keep its exact bytes. */
export const UNUSUAL = Symbol('csp-wbxml-unusual-model');

export interface ModelWriteContext {
  /** PA namespace of the target version, declared by `pa` fields. */
  paNs: string;
  /** Target version: kept elements get its CSP/TRC/PA namespaces. */
  version: CspVersion;
}

type Attr = { name: string; value: string };

export function writeModelStruct(
  sink: WbxmlSink,
  name: string,
  model: Record<string, unknown> & Meta,
  schema: Struct,
  presence: boolean,
  ctx: ModelWriteContext,
  attributes?: readonly Attr[],
): void {
  if (model.$layout !== undefined || model.$text !== undefined) throw UNUSUAL;
  const extra = model.$attributes;
  const attrs =
    extra === undefined ? attributes : attributes === undefined ? extra : attributes.concat(extra);
  const inPresence = openTag(sink, name, presence, attrs);
  const { fields, plans } = plansFor(sink, schema);
  for (let i = 0; i < fields.length; i++) {
    const [key, field] = fields[i]!;
    const v = model[key];
    if (v === undefined) continue;
    const plan = plans[i]!;
    if (field.many) {
      const list = v as unknown[];
      for (let j = 0; j < list.length; j++) writeValue(sink, field, plan, list[j], inPresence, ctx);
    } else writeValue(sink, field, plan, v, inPresence, ctx);
  }
  const extensions = model.$extensions;
  if (extensions !== undefined)
    for (let i = 0; i < extensions.length; i++)
      keptElement(sink, retargetNamespaces(extensions[i]!, ctx.version), inPresence);
  closeTag(sink);
}

interface SchemaPlan {
  tables: WbxmlTables;
  fields: ReadonlyArray<readonly [string, Field]>;
  /** Each field's tag token and value treatment under `tables`, looked up once. */
  plans: readonly LeafPlan[];
}

// Per schema, the plans of the version last written (answers rarely change version mid-run).
const planCache = new WeakMap<Struct, SchemaPlan>();

function plansFor(sink: WbxmlSink, schema: Struct): SchemaPlan {
  const tables = sinkTables(sink);
  let plan = planCache.get(schema);
  if (plan === undefined || plan.tables !== tables) {
    const fields = fieldList(schema);
    plan = { tables, fields, plans: fields.map(([, f]) => leafPlan(sink, f.el)) };
    planCache.set(schema, plan);
  }
  return plan;
}

function writeValue(
  sink: WbxmlSink,
  field: Field,
  plan: LeafPlan,
  value: unknown,
  presence: boolean,
  ctx: ModelWriteContext,
): void {
  switch (field.kind) {
    case 'text':
      leafTag(sink, plan, value as string, presence);
      return;
    case 'int':
      leafTag(sink, plan, String(value), presence);
      return;
    case 'bool':
      leafTag(sink, plan, value ? 'T' : 'F', presence);
      return;
    case 'element':
      keptElement(sink, retargetNamespaces(value as XmlElement, ctx.version), presence);
      return;
    default: {
      const model = value as Record<string, unknown> & Meta;
      if (!field.pa) writeModelStruct(sink, field.el, model, field.kind, presence, ctx);
      else
        writeModelStruct(sink, field.el, model, field.kind, presence, ctx, [
          { name: 'xmlns', value: ctx.paNs },
        ]);
    }
  }
}

// Envelope element names -> plans, per version's tables.
const envelopePlans = new WeakMap<WbxmlTables, Map<string, LeafPlan>>();

function envelopeLeaf(sink: WbxmlSink, name: string, value: string): void {
  const tables = sinkTables(sink);
  let plans = envelopePlans.get(tables);
  if (plans === undefined) {
    plans = new Map();
    envelopePlans.set(tables, plans);
  }
  let plan = plans.get(name);
  if (plan === undefined) {
    plan = leafPlan(sink, name);
    plans.set(name, plan);
  }
  leafTag(sink, plan, value, false);
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
  openTag(sink, 'WV-CSP-Message', false, [{ name: 'xmlns', value: ns.csp }]);
  openTag(sink, 'Session', false);
  openTag(sink, 'SessionDescriptor', false);
  envelopeLeaf(sink, 'SessionType', env.sessionType);
  if (env.sessionId !== undefined) envelopeLeaf(sink, 'SessionID', env.sessionId);
  closeTag(sink);
  openTag(sink, 'Transaction', false);
  openTag(sink, 'TransactionDescriptor', false);
  envelopeLeaf(sink, 'TransactionMode', tx.mode);
  if (tx.transactionId !== undefined) envelopeLeaf(sink, 'TransactionID', tx.transactionId);
  // imps.md §1.1: Poll in TransactionDescriptor for 1.1, in Session for 1.2+ (as writeCspMessage).
  const txPoll = tx.poll ?? env.poll;
  if (version === '1.1' && txPoll !== undefined) envelopeLeaf(sink, 'Poll', txPoll ? 'T' : 'F');
  closeTag(sink);
  const presence = openTag(sink, 'TransactionContent', false, [{ name: 'xmlns', value: ns.trc }]);
  const schema: Struct = PRIMITIVE_SCHEMAS[p.name];
  writeModelStruct(sink, p.name, p.body as Record<string, unknown> & Meta, schema, presence, ctx);
  closeTag(sink);
  closeTag(sink);
  const poll = env.poll ?? tx.poll;
  if (version !== '1.1' && poll !== undefined) envelopeLeaf(sink, 'Poll', poll ? 'T' : 'F');
  if (version !== '1.1' && env.cir !== undefined) envelopeLeaf(sink, 'CIR', env.cir ? 'T' : 'F');
  closeTag(sink);
  closeTag(sink);
  return true;
}
