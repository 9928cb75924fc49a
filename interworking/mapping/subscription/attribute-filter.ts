// IMPS attribute subsets ⇄ RFC 4661 event notification filters (simple.md §5.1, §9.2), built
// and read with the payloads' simple-filter codec (domains/simple/payloads/simple-filter.ts).
// Pure: names in, a FilterSet out (serializeFilterSet writes the SUBSCRIBE body), and back.
import {
  PRESENCE_ATTRIBUTE_NAMES,
  type PresenceSubList,
  PresenceSubListSchema,
} from '../../../domains/imps/csp/model/presence-attributes.ts';
import type { Filter, FilterSet } from '../../../domains/simple/payloads/simple-filter.ts';
import { ATTRIBUTE_FILTER_ROWS, FILTER_BINDINGS } from './attribute-filter-rows.ts';

export const FILTER_ID = 'wv-attributes';

/** The attribute names a request PresenceSubList asks for (imps.md §3.1: empty elements). */
export function requestedAttributes(sub: PresenceSubList | undefined): string[] {
  if (!sub) return [];
  return Object.entries(PresenceSubListSchema)
    .filter(([key]) => (sub as Record<string, unknown>)[key] !== undefined)
    .map(([, field]) => field.el);
}

/** The request PresenceSubList naming these attributes (the inverse of requestedAttributes). */
export function attributesToSubList(names: readonly string[]): PresenceSubList {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(PresenceSubListSchema))
    if (names.includes(field.el)) out[key] = {};
  return out as PresenceSubList;
}

/** IMPS → SIMPLE: the filter for a subscription to `names` (undefined: no filter, row F0). */
export function attributesToFilter(names: readonly string[]): {
  value: FilterSet | undefined;
  rows: string[];
} {
  const wanted = new Set(names);
  if (wanted.size === 0 || PRESENCE_ATTRIBUTE_NAMES.every((n) => wanted.has(n))) {
    return { value: undefined, rows: ['F0'] };
  }
  const rows: string[] = [];
  const paths: string[] = [];
  for (const row of ATTRIBUTE_FILTER_ROWS) {
    if (!wanted.has(row.attribute)) continue;
    rows.push(row.id);
    for (const p of [...row.paths, ...(row.reads ?? [])]) if (!paths.includes(p)) paths.push(p);
  }
  const used = new Set(paths.flatMap((p) => [...p.matchAll(/([a-z]+):/g)].map((m) => m[1]!)));
  const filter: Filter = {
    id: FILTER_ID,
    what: { includes: paths.map((value) => ({ type: 'xpath', value })), excludes: [] },
    triggers: [],
    extensions: [],
  };
  return {
    value: {
      package: 'presence',
      nsBindings: Object.entries(FILTER_BINDINGS)
        .filter(([prefix]) => used.has(prefix))
        .map(([prefix, urn]) => ({ prefix, urn })),
      filters: [filter],
    },
    rows,
  };
}

/** A path as `{ns}local` steps, predicates dropped, so prefixes chosen by the watcher don't matter. */
function canonical(path: string, resolve: (prefix: string) => string | undefined): string[] | undefined {
  const steps = path
    .replace(/\[[^\]]*\]/g, '')
    .split('/')
    .filter(Boolean);
  const out: string[] = [];
  for (const s of steps) {
    const i = s.indexOf(':');
    if (i < 0) return undefined;
    const ns = resolve(s.slice(0, i));
    if (ns === undefined) return undefined;
    out.push(`{${ns}}${s.slice(i + 1)}`);
  }
  return out;
}

const startsWith = (a: string[], b: string[]) => b.length <= a.length && b.every((s, i) => a[i] === s);

const OURS = ATTRIBUTE_FILTER_ROWS.map((r) => ({
  row: r,
  paths: r.paths.map((p) => canonical(p, (x) => FILTER_BINDINGS[x])!),
}));

/** Which attributes one selection covers, and the row that says how. */
function covered(sel: { type: string; value: string }, resolve: (p: string) => string | undefined) {
  if (sel.type === 'namespace') {
    const ns = sel.value.trim();
    return { names: OURS.filter((o) => o.paths.some((p) => p.at(-1)!.startsWith(`{${ns}}`))), row: 'F19' };
  }
  const c = canonical(sel.value, resolve);
  if (!c) return { names: [], row: 'F21' };
  const exact = OURS.filter((o) => o.paths.some((p) => p.join('/') === c.join('/')));
  if (exact.length > 0) return { names: exact, row: '' };
  const below = OURS.filter((o) => o.paths.some((p) => startsWith(p, c)));
  if (below.length > 0) return { names: below, row: 'F19' };
  const above = OURS.filter((o) => o.paths.some((p) => startsWith(c, p)));
  return above.length > 0 ? { names: above, row: 'F20' } : { names: [], row: 'F21' };
}

/**
 * SIMPLE → IMPS: the attribute names to ask PS1 for, for a watcher's filter-set. Several
 * filters' selections add up (RFC 4661 §3.2); no <what> anywhere means all attributes.
 */
export function filterToAttributes(fs: FilterSet): { value: string[]; rows: string[] } {
  const resolve = (p: string) => fs.nsBindings.find((b) => b.prefix === p)?.urn;
  const rows: string[] = [];
  const names = new Set<string>();
  const filters = fs.filters.filter((f) => !f.remove && f.enabled !== false);
  if (filters.some((f) => f.triggers.length > 0)) rows.push('F23');
  const withWhat = filters.filter((f) => f.what !== undefined);
  if (withWhat.length === 0) return { value: [...PRESENCE_ATTRIBUTE_NAMES], rows: [...rows, 'F0'] };
  for (const f of withWhat) {
    const includes =
      f.what!.includes.length > 0 ? f.what!.includes : [{ type: 'xpath', value: '/pidf:presence' }];
    const mine = new Set<string>();
    for (const sel of includes) {
      const c = covered(sel, (p) => (p === 'pidf' && !resolve(p) ? FILTER_BINDINGS.pidf : resolve(p)));
      for (const o of c.names) {
        mine.add(o.row.attribute);
        if (!c.row) rows.push(o.row.id);
      }
      if (c.row) rows.push(c.row);
    }
    for (const sel of f.what!.excludes) {
      for (const o of covered(sel, resolve).names) {
        if (mine.delete(o.row.attribute)) rows.push('F22');
      }
    }
    for (const n of mine) names.add(n);
  }
  return { value: PRESENCE_ATTRIBUTE_NAMES.filter((n) => names.has(n)), rows: [...new Set(rows)] };
}
