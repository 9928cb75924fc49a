// The registry of typed CSP primitives: name -> schema, and the primitive union type.
// Primitives without a schema (groups, search, invitations, version discovery …) still decode:
// as GenericPrimitive holding the element, so they round-trip untouched.
import type { XmlElement } from '../../../../common/xml/xml-node.ts';
import { TAG_TOKENS } from '../wbxml/wbxml-token-data.ts';
import { CONTACT_LIST_PRIMITIVES } from './contact-list-primitives.ts';
import { IM_PRIMITIVES } from './im-primitives.ts';
import { PRESENCE_PRIMITIVES } from './presence-primitives.ts';
import type { Model } from './schema.ts';
import { SESSION_PRIMITIVES } from './session-primitives.ts';

export const PRIMITIVE_SCHEMAS = {
  ...SESSION_PRIMITIVES,
  ...PRESENCE_PRIMITIVES,
  ...CONTACT_LIST_PRIMITIVES,
  ...IM_PRIMITIVES,
} as const;

export type TypedPrimitiveName = keyof typeof PRIMITIVE_SCHEMAS;
export type PrimitiveBody<N extends TypedPrimitiveName> = Model<(typeof PRIMITIVE_SCHEMAS)[N]>;

export type TypedPrimitive<N extends TypedPrimitiveName = TypedPrimitiveName> = N extends TypedPrimitiveName
  ? { name: N; body: PrimitiveBody<N> }
  : never;

/** A CSP primitive this codec knows by name but does not model field by field. */
export interface GenericPrimitive {
  name: string;
  generic: true;
  element: XmlElement;
}

export type CspPrimitive = TypedPrimitive | GenericPrimitive;

export function isTypedPrimitiveName(name: string): name is TypedPrimitiveName {
  return Object.hasOwn(PRIMITIVE_SCHEMAS, name);
}

/** Narrows a primitive to the typed one of that name: `if (isPrimitive(p, 'Login-Request')) p.body.userId`. */
export function isPrimitive<N extends TypedPrimitiveName>(p: CspPrimitive, name: N): p is TypedPrimitive<N> {
  return p.name === name && !('generic' in p);
}

export function primitive<N extends TypedPrimitiveName>(name: N, body: PrimitiveBody<N>): TypedPrimitive<N> {
  return { name, body } as TypedPrimitive<N>;
}

// Names the WBXML token table knows (any version), plus the 1.1 spelling of BlockEntity
// (imps.md token notes: "CSP 1.1 name: BlockUser-Request"). Anything else in TransactionContent
// is not a CSP primitive: 405 Service not supported (imps.md §13 item 2).
const KNOWN_NAMES: ReadonlySet<string> = new Set([...TAG_TOKENS.map((row) => row[0]), 'BlockUser-Request']);

export function isKnownPrimitiveName(name: string): boolean {
  return KNOWN_NAMES.has(name);
}
