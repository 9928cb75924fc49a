// Typed CSP model -> WBXML without the intermediate XmlElement tree: walks a primitive's schema
// and writes the same bytes `encodeWbxml(writeStruct(...))` would (checked on every sample by
// tests/unit/domains/imps/csp/wbxml/wbxml-model-writer.test.ts). It is the hot half of
// `encodeCsp` for WBXML (docs/imps-csp.md, "Performance"). What it does not reproduce byte for
// byte — a sender's own child order (`$layout`) or stray text (`$text`) — throws `UNUSUAL`, and
// the caller takes the tree path instead.
import type { XmlElement } from '../../../../common/xml/xml-node.ts';
import { retargetNamespaces } from '../csp-message-tree.ts';
import type { CspVersion } from '../csp-version.ts';
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
