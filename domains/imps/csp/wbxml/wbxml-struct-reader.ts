// WBXML -> typed model by the schema, without an XmlElement per field: the content of a CSP
// structure read straight into its model (model/schema.ts), as readStruct would read the tree.
// It reads only what readStruct would turn into the same model with nothing to keep aside (no
// extensions, foreign attributes, stray text, sender order, raw elements, malformed or oversized
// input); on anything else it throws BAIL and the caller decodes by the tree, so results and errors
// stay the tree path's (tests/unit/domains/imps/csp/wbxml/wbxml-direct-reader.test.ts).
import {
  compile,
  isDigits,
  K_BOOL,
  K_INT,
  K_STRUCT,
  K_TEXT,
  type Meta,
  type Struct,
} from '../model/schema.ts';
import {
  END,
  EXT_T_0,
  LITERAL,
  OPAQUE,
  STR_I,
  STR_T,
  SWITCH_PAGE,
  WbxmlByteReader,
} from './wbxml-byte-reader.ts';
import { ATTR_START_PREFIXES, DATETIME_TAGS, PAGE_COUNT, TABLES } from './wbxml-tables.ts';

/** Thrown when the tree path must decide (never leaves the direct readers). */
export const BAIL = Symbol('wbxml-direct-bail');
export function bail(): never {
  throw BAIL;
}

/** One schema field as the reader meets it: by tag token, with its value treatment resolved. */
export interface ReadSlot {
  key: string;
  many: boolean;
  /** DTD rank: children must come in non-decreasing rank (else the tree keeps `$layout`). */
  rank: number;
  kind: number;
  el: string;
  /** OPAQUE typing of this element in this version (imps.md §9). */
  integer: boolean;
  dateTime: boolean;
  schema: Struct | undefined;
  /** The struct's own plan, filled on first use (no look-up per struct read). */
  plan: ReadPlan | undefined;
}

export interface ReadPlan {
  /** Version index of the tables the tokens come from. */
  vi: number;
  /** Slot by page * 64 + tag token: the schema's Map<name, Slot> without a name. */
  slots: ReadonlyArray<ReadSlot | undefined>;
  /** Field keys by rank. */
  keys: readonly string[];
  /** Model makers by the set of fields present (bit per rank), shared by the versions. */
  shapes: Map<number, ModelMaker>;
}

type ModelMaker = (values: readonly unknown[]) => Record<string, unknown> & Meta;

const plans = new WeakMap<Struct, Array<ReadPlan | undefined>>();
const shapesBySchema = new WeakMap<Struct, Map<number, ModelMaker>>();

/** The schema's read plan for version index `vi` (built once per schema and version). */
export function readPlan(schema: Struct, vi: number): ReadPlan {
  let byVersion = plans.get(schema);
  if (byVersion === undefined) {
    byVersion = [undefined, undefined, undefined];
    plans.set(schema, byVersion);
  }
  let plan = byVersion[vi];
  if (plan === undefined) {
    const tables = TABLES[vi]!;
    const byName = new Map<string, ReadSlot>();
    for (const s of compile(schema).values())
      byName.set(s.el, {
        key: s.key,
        many: s.many,
        rank: s.rank,
        kind: s.kind,
        el: s.el,
        integer: tables.integerTags.has(s.el),
        dateTime: DATETIME_TAGS.has(s.el),
        schema: s.schema,
        plan: undefined,
      });
    const slots = tables.tagNames.map((name) => (name === undefined ? undefined : byName.get(name)));
    const keys = [...compile(schema).values()].map((s) => s.key);
    if (keys.length > MAX_FIELDS)
      throw new Error(`schema of ${keys.length} fields: the field set is a 30-bit mask`);
    let shapes = shapesBySchema.get(schema);
    if (shapes === undefined) {
      shapes = new Map();
      shapesBySchema.set(schema, shapes);
    }
    plan = { vi, slots, keys, shapes };
    byVersion[vi] = plan;
  }
  return plan;
}

const MAX_FIELDS = 30;
// Each shape is a compiled function: bounded, as the set of fields present is the peer's choice.
const MAX_SHAPES = 16;

/**
 * The model holding `values[rank]` for every rank in `mask`, keys in rank order (readStruct's
 * insertion order). Property-by-property stores with keys from a table cost V8 a transition look-up
 * each (~20 ns, most of the decoding time); an object literal of a known shape is made in one step,
 * so each set of fields seen gets a literal, compiled once from the schema's keys (never from input).
 * Where code generation is disabled (--disallow-code-generation-from-strings), stores it is.
 */
function makeModel(plan: ReadPlan, mask: number, values: readonly unknown[]): Record<string, unknown> & Meta {
  let make = plan.shapes.get(mask);
  if (make === undefined) {
    if (plan.shapes.size >= MAX_SHAPES) return storeFields(plan.keys, mask, values);
    const parts: string[] = [];
    for (let rank = 0; rank < plan.keys.length; rank++)
      if ((mask & (1 << rank)) !== 0) parts.push(`${JSON.stringify(plan.keys[rank])}: v[${rank}]`);
    const keys = plan.keys;
    try {
      make = new Function('v', `return { ${parts.join(', ')} };`) as ModelMaker;
    } catch {
      make = (v) => storeFields(keys, mask, v); // code generation disabled: stores, as before
    }
    plan.shapes.set(mask, make);
  }
  return make(values);
}

function storeFields(
  keys: readonly string[],
  mask: number,
  values: readonly unknown[],
): Record<string, unknown> & Meta {
  const out: Record<string, unknown> & Meta = {};
  for (let rank = 0; rank < keys.length; rank++)
    if ((mask & (1 << rank)) !== 0) out[keys[rank]!] = values[rank];
  return out;
}

// Attribute-start token -> namespace kind (0 CSP, 1 TRC, 2 PA), -1 for none (attribute page 0).
const NS_KIND: readonly number[] = ATTR_START_PREFIXES.map((p) =>
  p === undefined ? -1 : p.endsWith('CSP') ? 0 : p.endsWith('TRC') ? 1 : p.endsWith('PA') ? 2 : -1,
);
export const NS_CSP = 0;

/** Version index of a `1.x` suffix; 3 for another `d.d` version. */
const UNKNOWN_VERSION = 3;

export class WbxmlStructReader extends WbxmlByteReader {
  /** Tag code page in force. */
  page = 0;
  /** Field values by rank, one array per nesting depth (reused: the model maker copies them). */
  private readonly values: unknown[][] = [];

  /**
   * One xmlns attribute as CSP writes it (imps.md §9): attribute-start token `t` of a CSP/TRC/PA
   * prefix + STR_I `major.minor`. Returns kind * 4 + version index (3: a version this codec does
   * not know), read without building the string; anything else bails.
   */
  xmlnsAttribute(t: number): number {
    const kind = t < 64 ? NS_KIND[t]! : -1;
    if (kind < 0 || this.byte() !== STR_I) bail();
    const b = this.buf;
    const start = this.pos;
    let i = start;
    while (i < b.length && b[i]! >= 0x30 && b[i]! <= 0x39) i++;
    if (i === start || b[i] !== 0x2e) bail();
    const minor = ++i;
    while (i < b.length && b[i]! >= 0x30 && b[i]! <= 0x39) i++;
    if (i === minor || b[i] !== 0) bail();
    this.pos = i + 1;
    // "1.1" / "1.2" / "1.3" exactly (parseCspNamespace compares the text).
    const m = b[start + 2]!;
    const vi = i - start === 3 && b[start] === 0x31 && m >= 0x31 && m <= 0x33 ? m - 0x31 : UNKNOWN_VERSION;
    return kind * 4 + vi;
  }

  /** An attribute list of CSP/TRC/PA xmlns only, up to its END (readStruct skips those). */
  schemaAttributes(): void {
    for (;;) {
      const t = this.byte();
      if (t === END) return;
      this.xmlnsAttribute(t);
    }
  }

  /**
   * The content of a struct element (its tag and attributes already read) into its model, up
   * to its END. `depth` counts the open elements, this one included.
   */
  structBody(plan: ReadPlan, depth: number): Record<string, unknown> & Meta {
    let values = this.values[depth];
    if (values === undefined) {
      values = [];
      this.values[depth] = values;
    }
    let mask = 0;
    const b = this.buf;
    const slots = plan.slots;
    const limits = this.limits;
    let lastRank = -1;
    let lastList: unknown[] | undefined;
    for (;;) {
      if (this.pos >= b.length) bail();
      const t = b[this.pos++]!;
      if (t === END) return makeModel(plan, mask, values);
      if (t === SWITCH_PAGE) {
        this.page = this.byte();
        continue;
      }
      const low = t & 0x3f;
      // Text, PI, extension tokens and LITERAL names all have low bits <= 4.
      if (low <= LITERAL) bail();
      const page = this.page;
      const slot = page < PAGE_COUNT ? slots[page * 64 + low] : undefined;
      // Ranks never decrease here (else bail), so an earlier child of the same field is the one
      // just before: a repeated single field is rank === lastRank, and a list is `lastList`.
      if (slot === undefined || slot.rank < lastRank || (!slot.many && slot.rank === lastRank)) bail();
      const sameField = slot.rank === lastRank;
      lastRank = slot.rank;
      if (depth >= limits.maxDepth || ++this.nodes > limits.maxNodes) bail();
      if ((t & 0x80) !== 0) this.schemaAttributes();
      let value: unknown;
      const kind = slot.kind;
      if (kind === K_STRUCT) {
        if ((t & 0x40) === 0) value = {};
        else {
          let sub = slot.plan;
          if (sub === undefined) {
            sub = readPlan(slot.schema!, plan.vi);
            slot.plan = sub;
          }
          value = this.structBody(sub, depth + 1);
        }
      } else {
        const s = (t & 0x40) !== 0 ? this.leafText(slot.integer, slot.dateTime, slot.el) : '';
        if (kind === K_TEXT) value = s;
        else if (kind === K_BOOL) value = boolValue(s);
        else if (kind === K_INT) {
          const v = s.trim();
          if (!isDigits(v)) bail();
          value = Number(v);
        } else bail(); // raw elements are kept as trees: the tree path builds them
      }
      if (!slot.many) values[slot.rank] = value;
      else if (sameField) lastList!.push(value);
      else {
        lastList = [value];
        values[slot.rank] = lastList;
      }
      mask |= 1 << slot.rank;
    }
  }

  /** The text of a leaf element up to its END (the concatenation the tree's textOf gives). */
  leafText(integer: boolean, dateTime: boolean, element: string): string {
    let s = '';
    let counted = false;
    for (;;) {
      const t = this.byte();
      let piece: string | undefined;
      switch (t) {
        case END:
          return s;
        case STR_I:
          piece = this.inlineString();
          break;
        case EXT_T_0:
          piece = this.valueToken();
          if (piece === undefined) bail();
          break;
        case STR_T:
          piece = this.tableString(this.mbUint());
          break;
        case OPAQUE:
          piece = this.opaqueTyped(integer, dateTime, element);
          break;
        default:
          return bail(); // ENTITY, PI, a child element, extension tokens: the tree path decides
      }
      if (piece !== '' && !counted) {
        counted = true;
        if (++this.nodes > this.limits.maxNodes) bail();
      }
      s = s === '' ? piece : s + piece;
    }
  }
}

/** imps.md §1.1: booleans are T / F (surrounding blanks allowed, as readStruct trims). */
export function boolValue(s: string): boolean {
  if (s === 'T') return true;
  if (s === 'F') return false;
  const v = s.trim();
  if (v === 'T') return true;
  if (v === 'F') return false;
  return bail();
}
