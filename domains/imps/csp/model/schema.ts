// Schema-driven mapping between XmlElement trees and typed CSP objects. Each CSP structure is
// declared once as data (element name, value kind, repeat), and its TypeScript type is inferred
// from that declaration, so the model, the reader and the writer cannot drift apart.
// Nothing is lost: children the schema does not name go to `$extensions`, foreign attributes to
// `$attributes`, stray text to `$text`; the writer puts them back.
import type { XmlAttribute, XmlElement, XmlNode } from '../../../../common/xml/xml-node.ts';
import { parseCspNamespace } from '../csp-version.ts';

export type Kind = 'text' | 'int' | 'bool' | 'element' | Struct;

export interface Field {
  /** Element name (local) as in the DTD. */
  readonly el: string;
  readonly kind: Kind;
  readonly many?: boolean;
  /** The element opens the Presence Attribute namespace (PresenceSubList, imps.md §1.1). */
  readonly pa?: boolean;
}

export interface Struct {
  readonly [key: string]: Field;
}

/** What the schema does not describe, kept so that decode → encode loses nothing. */
export interface Meta {
  /** Child elements the schema does not name (vendor extensions, newer-version elements). */
  $extensions?: XmlElement[];
  /** Attributes other than the standard CSP/TRC/PA xmlns (e.g. xmlns:xsi). */
  $attributes?: XmlAttribute[];
  /** Non-blank text found in a structured element (e.g. a 1.2 `<ClientID>text</ClientID>`). */
  $text?: string;
  /**
   * Source order of the children, set only when it differs from the schema order (an extension
   * between known elements, a sender's own order): field keys, '' for the next extension, and
   * text runs. The writer follows it, so decode -> encode keeps the sender's order; values added
   * later without a slot are written after it in schema order.
   */
  $layout?: Array<string | { text: string }>;
}

type KindValue<K> = K extends 'text'
  ? string
  : K extends 'int'
    ? number
    : K extends 'bool'
      ? boolean
      : K extends 'element'
        ? XmlElement
        : K extends Struct
          ? Model<K>
          : never;

type FieldValue<F> = F extends { readonly many: true; readonly kind: infer K }
  ? KindValue<K>[]
  : F extends { readonly kind: infer K }
    ? KindValue<K>
    : never;

export type Model<S extends Struct> = { -readonly [P in keyof S]?: FieldValue<S[P]> } & Meta;

// Declaration helpers: `text('UserID')`, `many(struct('User', User))` …
export const text = (el: string) => ({ el, kind: 'text' }) as const;
export const int = (el: string) => ({ el, kind: 'int' }) as const;
export const bool = (el: string) => ({ el, kind: 'bool' }) as const;
export const raw = (el: string) => ({ el, kind: 'element' }) as const;
export const struct = <S extends Struct>(el: string, kind: S) => ({ el, kind }) as const;
export const many = <F extends Field>(f: F) => ({ ...f, many: true }) as const;
export const paStruct = <S extends Struct>(el: string, kind: S) => ({ el, kind, pa: true }) as const;

/** A bad value in a typed field (answered with 402 Bad parameter, imps.md §7). */
export class BadParameter {
  constructor(readonly detail: string) {}
}

const index = new WeakMap<Struct, Map<string, readonly [string, Field]>>();

function fieldsByElement(schema: Struct): Map<string, readonly [string, Field]> {
  let m = index.get(schema);
  if (m === undefined) {
    m = new Map();
    for (const key of Object.keys(schema)) {
      const f = schema[key]!;
      m.set(f.el, [key, f]);
    }
    index.set(schema, m);
  }
  return m;
}

export function textOf(el: XmlElement): string {
  const c = el.children;
  if (c.length === 1 && typeof c[0] === 'string') return c[0];
  let s = '';
  for (const n of c) if (typeof n === 'string') s += n;
  return s;
}

function isBlank(s: string): boolean {
  return /^[ \t\r\n]*$/.test(s);
}

/** True for xmlns declarations the writer regenerates (CSP/TRC/PA namespaces of any version). */
function isStandardXmlns(a: XmlAttribute): boolean {
  return a.name === 'xmlns' && parseCspNamespace(a.value) !== undefined;
}

/** Reads an element into the model its schema describes. Throws BadParameter on bad ints/bools. */
export function readStruct<S extends Struct>(el: XmlElement, schema: S): Model<S> {
  const out: Record<string, unknown> & Meta = {};
  const fields = fieldsByElement(schema);
  const order = orderOf(schema);
  for (const a of el.attributes) {
    if (isStandardXmlns(a)) continue;
    if (out.$attributes === undefined) out.$attributes = [];
    out.$attributes.push(a);
  }
  const layout: Array<string | { text: string }> = [];
  let canonical = true;
  let lastRank = -1;
  let sawExtension = false;
  for (const c of el.children) {
    if (typeof c === 'string') {
      if (isBlank(c)) continue;
      out.$text = (out.$text ?? '') + c;
      layout.push({ text: c });
      if (lastRank >= 0 || sawExtension) canonical = false;
      continue;
    }
    const entry = fields.get(c.local);
    if (
      entry === undefined ||
      !isSchemaNamespace(c.ns) ||
      (!entry[1].many && out[entry[0]] !== undefined) ||
      isEmptyScalar(c, entry[1].kind)
    ) {
      if (out.$extensions === undefined) out.$extensions = [];
      out.$extensions.push(c);
      layout.push('');
      sawExtension = true;
      continue;
    }
    const [key, field] = entry;
    const rank = order.get(key)!;
    if (rank < lastRank || sawExtension) canonical = false;
    lastRank = rank;
    layout.push(key);
    const value = readValue(c, field.kind);
    if (field.many) {
      const list = (out[key] as unknown[] | undefined) ?? [];
      list.push(value);
      out[key] = list;
    } else out[key] = value;
  }
  if (!canonical) out.$layout = layout;
  return out as Model<S>;
}

// `<InUse />` (CSP 1.1 example 078) has no value to type: it is kept as an element, not refused.
function isEmptyScalar(el: XmlElement, kind: Kind): boolean {
  return (kind === 'int' || kind === 'bool') && el.children.length === 0;
}

const orders = new WeakMap<Struct, Map<string, number>>();

function orderOf(schema: Struct): Map<string, number> {
  let m = orders.get(schema);
  if (m === undefined) {
    m = new Map(Object.keys(schema).map((k, i) => [k, i]));
    orders.set(schema, m);
  }
  return m;
}

function isSchemaNamespace(ns: string): boolean {
  return ns === '' || parseCspNamespace(ns) !== undefined;
}

function readValue(el: XmlElement, kind: Kind): unknown {
  switch (kind) {
    case 'text':
      return textOf(el);
    case 'element':
      return el;
    case 'int': {
      const s = textOf(el).trim();
      if (!/^\d{1,15}$/.test(s))
        throw new BadParameter(`${el.local} must be an integer, not "${s.slice(0, 40)}"`);
      return Number(s);
    }
    case 'bool': {
      const s = textOf(el).trim();
      // imps.md §1.1: booleans are the strings T / F everywhere.
      if (s === 'T') return true;
      if (s === 'F') return false;
      throw new BadParameter(`${el.local} must be T or F, not "${s.slice(0, 40)}"`);
    }
    default:
      return readStruct(el, kind);
  }
}

export interface WriteContext {
  /** Namespace of elements written here (CSP, TRC or PA namespace of the target version). */
  ns: string;
  /** PA namespace of the target version, opened by `pa` fields. */
  paNs: string;
  /** Maps a CSP/TRC/PA namespace of any version to the target version's (for kept elements). */
  retarget: (el: XmlElement) => XmlElement;
}

function leaf(name: string, ns: string, value: string): XmlElement {
  return { name, local: name, ns, attributes: [], children: value === '' ? [] : [value] };
}

export function writeStruct<S extends Struct>(
  name: string,
  model: Model<S>,
  schema: S,
  ctx: WriteContext,
  attributes: XmlAttribute[] = [],
): XmlElement {
  const children: XmlNode[] = [];
  const m = model as Record<string, unknown> & Meta;
  if (m.$layout !== undefined) writeLayout(m, m.$layout, schema, ctx, children);
  else {
    if (m.$text !== undefined) children.push(m.$text);
    for (const key of Object.keys(schema)) {
      const v = m[key];
      if (v === undefined) continue;
      const field = schema[key]!;
      if (field.many) for (const item of v as unknown[]) children.push(writeValue(field, item, ctx));
      else children.push(writeValue(field, v, ctx));
    }
    if (m.$extensions !== undefined) for (const e of m.$extensions) children.push(ctx.retarget(e));
  }
  const attrs = m.$attributes === undefined ? attributes : [...attributes, ...m.$attributes];
  return { name, local: name, ns: ctx.ns, attributes: attrs, children };
}

function writeLayout(
  m: Record<string, unknown> & Meta,
  layout: ReadonlyArray<string | { text: string }>,
  schema: Struct,
  ctx: WriteContext,
  children: XmlNode[],
): void {
  const used = new Map<string, number>();
  let ext = 0;
  for (const slot of layout) {
    if (typeof slot !== 'string') children.push(slot.text);
    else if (slot === '') {
      const e = m.$extensions?.[ext++];
      if (e !== undefined) children.push(ctx.retarget(e));
    } else {
      const field = schema[slot];
      const v = m[slot];
      if (field === undefined || v === undefined) continue;
      const n = used.get(slot) ?? 0;
      used.set(slot, n + 1);
      if (field.many) {
        const item = (v as unknown[])[n];
        if (item !== undefined) children.push(writeValue(field, item, ctx));
      } else if (n === 0) children.push(writeValue(field, v, ctx));
    }
  }
  // Values without a slot in the layout (set after decoding) follow in schema order.
  for (const key of Object.keys(schema)) {
    const v = m[key];
    if (v === undefined) continue;
    const field = schema[key]!;
    const n = used.get(key) ?? 0;
    if (field.many) for (const item of (v as unknown[]).slice(n)) children.push(writeValue(field, item, ctx));
    else if (n === 0) children.push(writeValue(field, v, ctx));
  }
  const extensions = m.$extensions ?? [];
  for (let i = ext; i < extensions.length; i++) children.push(ctx.retarget(extensions[i]!));
}

function writeValue(field: Field, value: unknown, ctx: WriteContext): XmlElement {
  switch (field.kind) {
    case 'text':
      return leaf(field.el, ctx.ns, value as string);
    case 'int':
      return leaf(field.el, ctx.ns, String(value));
    case 'bool':
      return leaf(field.el, ctx.ns, value ? 'T' : 'F');
    case 'element':
      return ctx.retarget(value as XmlElement);
    default: {
      if (!field.pa) return writeStruct(field.el, value as Model<Struct>, field.kind, ctx);
      const inner = { ...ctx, ns: ctx.paNs };
      const xmlns: XmlAttribute = { name: 'xmlns', local: 'xmlns', ns: XMLNS_NS, value: ctx.paNs };
      return writeStruct(field.el, value as Model<Struct>, field.kind, inner, [xmlns]);
    }
  }
}

export const XMLNS_NS = 'http://www.w3.org/2000/xmlns/';
