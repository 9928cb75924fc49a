// Helpers over PresenceSubList values (imps.md §4): attribute keys <-> element names, picking a
// subset, and finding which attributes changed (notifications carry only changed ones, §3.1).
import { type PresenceSubList, PresenceSubListSchema } from '../csp/model/presence-attributes.ts';

export type AttributeKey = keyof typeof PresenceSubListSchema;

export const ALL_ATTRIBUTES: readonly AttributeKey[] = Object.keys(PresenceSubListSchema) as AttributeKey[];

const BY_ELEMENT = new Map<string, AttributeKey>(
  ALL_ATTRIBUTES.map((k) => [PresenceSubListSchema[k].el, k] as const),
);

export function keyOfElement(name: string): AttributeKey | undefined {
  return BY_ELEMENT.get(name);
}

export function elementOfKey(key: AttributeKey): string {
  return PresenceSubListSchema[key].el;
}

/**
 * The attribute set a request names (`<OnlineStatus/>` …). imps.md §3.1: absent or empty list =
 * all attributes, returned as undefined.
 */
export function requestedAttributes(list: PresenceSubList | undefined): Set<AttributeKey> | undefined {
  if (list === undefined) return undefined;
  const out = new Set<AttributeKey>();
  for (const k of ALL_ATTRIBUTES) if (list[k] !== undefined) out.add(k);
  return out.size === 0 ? undefined : out;
}

/** An attribute-name-only list for requests and attribute lists: `{ onlineStatus: {} }`. */
export function namesList(keys: Iterable<AttributeKey>): PresenceSubList {
  const out: Record<string, object> = {};
  for (const k of keys) out[k] = {};
  return out as PresenceSubList;
}

export function pick(list: PresenceSubList, keys: Iterable<AttributeKey>): PresenceSubList {
  const out: Record<string, unknown> = {};
  const src = list as Record<string, unknown>;
  for (const k of keys) if (src[k] !== undefined) out[k] = src[k];
  return out as PresenceSubList;
}

export function presentKeys(list: PresenceSubList): AttributeKey[] {
  return ALL_ATTRIBUTES.filter((k) => list[k] !== undefined);
}

export function changedKeys(before: PresenceSubList, after: PresenceSubList): Set<AttributeKey> {
  const out = new Set<AttributeKey>();
  for (const k of ALL_ATTRIBUTES) {
    if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) out.add(k);
  }
  return out;
}

export function intersect<T>(a: Iterable<T>, b: ReadonlySet<T> | undefined): Set<T> {
  const out = new Set<T>();
  for (const x of a) if (b === undefined || b.has(x)) out.add(x);
  return out;
}

export function isEmptyList(list: PresenceSubList): boolean {
  return presentKeys(list).length === 0;
}
