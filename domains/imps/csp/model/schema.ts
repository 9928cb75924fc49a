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

export function textOf(el: XmlElement): string {
  const c = el.children;
  if (c.length === 1 && typeof c[0] === 'string') return c[0];
  let s = '';
  for (const n of c) if (typeof n === 'string') s += n;
  return s;
}

function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return false;
  }
  return true;
}

// Each schema is compiled once into a name -> slot map with its kinds resolved, so reading a
// message costs a Map lookup per element and no regex (hot path of decodeCsp).
export const K_TEXT = 0;
export const K_INT = 1;
export const K_BOOL = 2;
export const K_ELEMENT = 3;
export const K_STRUCT = 4;

export interface Slot {
  key: string;
  many: boolean;
  rank: number;
  kind: number;
  schema: Struct | undefined;
  el: string;
  /** compile(schema), filled on first use (saves a WeakMap look-up per struct read). */
  compiled: Map<string, Slot> | undefined;
}

const compiled = new WeakMap<Struct, Map<string, Slot>>();

/** The schema as element name -> slot (kind resolved, DTD rank), compiled once per schema. */
export function compile(schema: Struct): Map<string, Slot> {
  let m = compiled.get(schema);
  if (m !== undefined) return m;
  m = new Map();
  let rank = 0;
  for (const key of Object.keys(schema)) {
    const f = schema[key]!;
    const kind =
      f.kind === 'text'
        ? K_TEXT
        : f.kind === 'int'
          ? K_INT
          : f.kind === 'bool'
            ? K_BOOL
            : f.kind === 'element'
              ? K_ELEMENT
              : K_STRUCT;
    const sub = typeof f.kind === 'object' ? f.kind : undefined;
    m.set(f.el, {
      key,
      many: f.many === true,
      rank: rank++,
      kind,
      schema: sub,
      el: f.el,
      compiled: undefined,
    });
  }
  compiled.set(schema, m);
  return m;
}

const namespaceOk = new Map<string, boolean>();

/** '' or a CSP/TRC/PA namespace of any version (cached: a message uses three or four). */
function isSchemaNamespace(ns: string): boolean {
  if (ns === '') return true;
  let ok = namespaceOk.get(ns);
  if (ok === undefined) {
    ok = parseCspNamespace(ns) !== undefined;
    if (namespaceOk.size < 64) namespaceOk.set(ns, ok);
  }
  return ok;
}

/** Reads an element into the model its schema describes. Throws BadParameter on bad ints/bools. */
export function readStruct<S extends Struct>(el: XmlElement, schema: S): Model<S> {
  return readCompiled(el, compile(schema)) as Model<S>;
}

function readCompiled(el: XmlElement, slots: Map<string, Slot>): Record<string, unknown> & Meta {
  const out: Record<string, unknown> & Meta = {};
  const attributes = el.attributes;
  for (let i = 0; i < attributes.length; i++) {
    const a = attributes[i]!;
    if (a.name === 'xmlns' && isSchemaNamespace(a.value) && a.value !== '') continue;
    if (out.$attributes === undefined) out.$attributes = [];
    out.$attributes.push(a);
  }
  let canonical = true;
  let lastRank = -1;
  let sawExtension = false;
  const children = el.children;
  for (let i = 0; i < children.length; i++) {
    const c = children[i]!;
    if (typeof c === 'string') {
      if (isBlank(c)) continue;
      out.$text = (out.$text ?? '') + c;
      if (lastRank >= 0 || sawExtension) canonical = false;
      continue;
    }
    const slot = slots.get(c.local);
    if (
      slot === undefined ||
      (c.ns !== el.ns && !isSchemaNamespace(c.ns)) ||
      (!slot.many && out[slot.key] !== undefined) ||
      ((slot.kind === K_INT || slot.kind === K_BOOL) && c.children.length === 0)
    ) {
      // `<InUse />` (CSP 1.1 example 078) has no value to type: it is kept as an element.
      if (out.$extensions === undefined) out.$extensions = [];
      out.$extensions.push(c);
      sawExtension = true;
      continue;
    }
    if (slot.rank < lastRank || sawExtension) canonical = false;
    lastRank = slot.rank;
    const value = readValue(c, slot);
    if (slot.many) {
      const list = out[slot.key] as unknown[] | undefined;
      if (list === undefined) out[slot.key] = [value];
      else list.push(value);
    } else out[slot.key] = value;
  }
  if (!canonical) out.$layout = layoutOf(el, slots);
  return out;
}

/** The source order, rebuilt only for the rare non-canonical element with readCompiled's decisions. */
function layoutOf(el: XmlElement, slots: Map<string, Slot>): Array<string | { text: string }> {
  const layout: Array<string | { text: string }> = [];
  const seen = new Set<string>();
  for (const c of el.children) {
    if (typeof c === 'string') {
      if (!isBlank(c)) layout.push({ text: c });
      continue;
    }
    const slot = slots.get(c.local);
    if (
      slot === undefined ||
      (c.ns !== el.ns && !isSchemaNamespace(c.ns)) ||
      (!slot.many && seen.has(slot.key)) ||
      ((slot.kind === K_INT || slot.kind === K_BOOL) && c.children.length === 0)
    ) {
      layout.push('');
      continue;
    }
    seen.add(slot.key);
    layout.push(slot.key);
  }
  return layout;
}

function readValue(el: XmlElement, slot: Slot): unknown {
  switch (slot.kind) {
    case K_TEXT:
      return textOf(el);
    case K_ELEMENT:
      return el;
    case K_INT: {
      const s = textOf(el).trim();
      if (!isDigits(s)) throw new BadParameter(`${el.local} must be an integer, not "${s.slice(0, 40)}"`);
      return Number(s);
    }
    case K_BOOL: {
      const s = textOf(el).trim();
      // imps.md §1.1: booleans are the strings T / F everywhere.
      if (s === 'T') return true;
      if (s === 'F') return false;
      throw new BadParameter(`${el.local} must be T or F, not "${s.slice(0, 40)}"`);
    }
    default: {
      let sub = slot.compiled;
      if (sub === undefined) {
        sub = compile(slot.schema!);
        slot.compiled = sub;
      }
      return readCompiled(el, sub);
    }
  }
}

export function isDigits(s: string): boolean {
  if (s.length === 0 || s.length > 15) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
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
    const fields = fieldList(schema);
    for (let i = 0; i < fields.length; i++) {
      const [key, field] = fields[i]!;
      const v = m[key];
      if (v === undefined) continue;
      if (field.many) {
        const list = v as unknown[];
        for (let j = 0; j < list.length; j++) children.push(writeValue(field, list[j], ctx));
      } else children.push(writeValue(field, v, ctx));
    }
    if (m.$extensions !== undefined) for (const e of m.$extensions) children.push(ctx.retarget(e));
  }
  const attrs = m.$attributes === undefined ? attributes : attributes.concat(m.$attributes);
  return { name, local: name, ns: ctx.ns, attributes: attrs, children };
}

const fieldLists = new WeakMap<Struct, ReadonlyArray<readonly [string, Field]>>();

/** The schema's fields in declaration (= DTD) order, computed once per schema. */
export function fieldList(schema: Struct): ReadonlyArray<readonly [string, Field]> {
  let list = fieldLists.get(schema);
  if (list === undefined) {
    list = Object.keys(schema).map((k) => [k, schema[k]!] as const);
    fieldLists.set(schema, list);
  }
  return list;
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
