// How expectations are matched, kept pure so each rule is tested alone: a partial JSON value
// against what a terminal reported, and a hop expectation against the ladder of the run.

import type { LadderEntry } from './reports/trace-ladder.ts';
import type { ActionArgs } from './scenario-schema.ts';

export type Vars = ReadonlyMap<string, string>;

/** `"$m1"` → the value remembered under `m1`; anything else unchanged. */
function resolve(value: unknown, vars: Vars): unknown {
  if (typeof value === 'string' && /^\$[A-Za-z][A-Za-z0-9_]*$/.test(value))
    return vars.get(value.slice(1)) ?? value;
  return value;
}

/**
 * `expected` is contained in `actual`: objects by the keys they name (others ignored), arrays
 * element by element in any order (each expected element matches some actual one), everything
 * else by equality. A string starting with `~` is a case-insensitive regular expression.
 */
export function matches(expected: unknown, actual: unknown, vars: Vars = new Map()): boolean {
  const want = resolve(expected, vars);
  if (Array.isArray(want)) {
    if (!Array.isArray(actual)) return false;
    return want.every((w) => actual.some((a) => matches(w, a, vars)));
  }
  if (want !== null && typeof want === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return false;
    return Object.entries(want).every(([k, v]) => matches(v, (actual as Record<string, unknown>)[k], vars));
  }
  if (typeof want === 'string' && want.startsWith('~') && typeof actual === 'string') {
    try {
      return new RegExp(want.slice(1), 'i').test(actual);
    } catch {
      return false;
    }
  }
  return want === actual;
}

export interface Hop {
  from: string;
  to: string;
}

/** `PS2->Jane` → `{ from: 'ps2', to: 'jane' }`, checked against the nodes that exist. */
export function parseHop(text: string, nodes: readonly string[]): Hop {
  const [a, b] = text.split('->').map((s) => s.trim().toLowerCase());
  if (!a || !b) throw new Error(`hop "${text}" must look like "PS2->Jane"`);
  for (const n of [a, b])
    if (!nodes.includes(n))
      throw new Error(`hop "${text}": no node "${n}" in this run (${nodes.join(', ')})`);
  return { from: a, to: b };
}

type HopExpectation = ActionArgs<'expect'>;

const list = (v: string | string[] | undefined): string[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

/** Does one ladder entry satisfy the expectation (the hop itself is checked by the caller)? */
export function entryMatches(entry: LadderEntry, want: HopExpectation): boolean {
  if (want.protocol !== undefined && entry.protocol !== want.protocol) return false;
  if (want.method !== undefined && entry.summary.method?.toUpperCase() !== want.method.toUpperCase())
    return false;
  if (want.primitive !== undefined && !(entry.summary.primitives ?? []).includes(want.primitive))
    return false;
  if (want.status !== undefined && entry.summary.status !== want.status) return false;
  const text =
    list(want.contains).length + list(want.notContains).length > 0 ? entry.bytes.toString('utf8') : '';
  if (!list(want.contains).every((c) => text.includes(c))) return false;
  if (list(want.notContains).some((c) => text.includes(c))) return false;
  return true;
}

export function findOnHop(
  entries: readonly LadderEntry[],
  hop: Hop,
  want: HopExpectation,
  sinceTime: number,
): LadderEntry[] {
  return entries.filter(
    (e) => e.from === hop.from && e.to === hop.to && e.time >= sinceTime && entryMatches(e, want),
  );
}

/** One line saying what the expectation asked for: `sip NOTIFY contains "<basic>open"`. */
export function describeHopExpectation(want: HopExpectation): string {
  const parts = [want.hop.replace(/\s+/g, '')];
  if (want.protocol) parts.push(want.protocol);
  if (want.method) parts.push(want.method);
  if (want.primitive) parts.push(want.primitive);
  if (want.status !== undefined) parts.push(String(want.status));
  for (const c of list(want.contains)) parts.push(`contains ${JSON.stringify(c)}`);
  for (const c of list(want.notContains)) parts.push(`without ${JSON.stringify(c)}`);
  return `${want.absent ? 'no ' : ''}${parts.join(' ')}`;
}

/** For a failure message: what did cross that hop (most recent last, at most `max`). */
export function seenOnHop(entries: readonly LadderEntry[], hop: Hop, sinceTime: number, max = 8): string {
  const seen = entries.filter((e) => e.from === hop.from && e.to === hop.to && e.time >= sinceTime);
  if (seen.length === 0) return `nothing crossed ${hop.from}->${hop.to}`;
  const shown = seen.slice(-max).map((e) => `${e.protocol} ${e.summary.label}`);
  return `seen on ${hop.from}->${hop.to}: ${seen.length > max ? '… ' : ''}${shown.join('; ')}`;
}
