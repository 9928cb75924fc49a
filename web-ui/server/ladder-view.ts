// The ladder as the browser draws it: one row per message crossing between two nodes (the
// scenarios' `buildLadder` pairs tx/rx reports), the users each message concerns (for the
// filter), and for what the IWF emitted the mapping-table rows it reported on `lab:iwf:map`.
import { readFileSync } from 'node:fs';
import type { MappingTraceEvent, WireTraceEvent } from '../../common/trace.ts';
import { type AddressBook, buildLadder, type LadderEntry } from '../../scenarios/reports/trace-ladder.ts';

export interface LadderRow {
  index: number;
  time: number;
  from: string;
  to: string;
  protocol: string;
  transport: string;
  label: string;
  method?: string;
  status?: number;
  primitives?: string[];
  size: number;
  /** Users (`name@domain`) named anywhere in the message. */
  users: string[];
  /** Mapping rows of the IWF that produced this message. */
  rows: string[];
}

/** How far before the message a mapping report may be (the IWF reports, then sends). */
export const MAP_WINDOW_MS = 1_000;

/**
 * A mapping report belongs to the first message its node sent at or after it (within
 * MAP_WINDOW_MS); when `to` names the message kind (`NOTIFY`, `PresenceNotification-Request`),
 * the first such message is preferred. Each report is used once.
 */
export function attachMappings(
  entries: readonly LadderEntry[],
  maps: readonly MappingTraceEvent[],
): string[][] {
  const out = entries.map(() => [] as string[]);
  for (const m of [...maps].sort((a, b) => a.time - b.time)) {
    const candidates = entries.filter(
      (e) => e.from === m.node && e.time >= m.time - 5 && e.time - m.time <= MAP_WINDOW_MS,
    );
    const named = candidates.find((e) => {
      const kinds = [e.summary.method, ...(e.summary.primitives ?? []), e.summary.label];
      return kinds.some((k) => k && m.to?.toLowerCase().includes(k.toLowerCase()));
    });
    const target = named ?? candidates[0];
    if (target) out[target.index]?.push(...m.rows);
  }
  return out.map((rows) => [...new Set(rows)]);
}

export function ladderRows(
  trace: readonly WireTraceEvent[],
  maps: readonly MappingTraceEvent[],
  book: AddressBook,
  users: readonly string[],
): { entries: LadderEntry[]; rows: LadderRow[] } {
  const entries = buildLadder(trace, book);
  const mapped = attachMappings(entries, maps);
  const rows = entries.map((e): LadderRow => {
    const text = e.bytes
      .subarray(0, 64 * 1024)
      .toString('latin1')
      .toLowerCase();
    return {
      index: e.index,
      time: e.time,
      from: e.from,
      to: e.to,
      protocol: e.protocol,
      transport: e.transport,
      label: e.summary.label,
      ...(e.summary.method ? { method: e.summary.method } : {}),
      ...(e.summary.status !== undefined ? { status: e.summary.status } : {}),
      ...(e.summary.primitives ? { primitives: e.summary.primitives } : {}),
      size: e.bytes.length,
      users: users.filter((u) => text.includes(u)),
      rows: mapped[e.index] ?? [],
    };
  });
  return { entries, rows };
}

export interface MappingRowText {
  id: string;
  /** The row's cells after its id, as in docs/mapping.md. */
  cells: string[];
}

/** Row id → its line of docs/mapping.md (`| P4 | UserAvailability | … |`). */
export function readMappingRows(path: URL | string): Map<string, MappingRowText> {
  const rows = new Map<string, MappingRowText>();
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return rows;
  }
  for (const line of text.split('\n')) {
    const m = /^\|\s*([A-Z]{1,3}\d{1,3})\s*\|(.*)\|\s*$/.exec(line);
    if (!m?.[1] || !m[2] || rows.has(m[1])) continue;
    const cells = m[2].split('|').map((c) => c.trim().replace(/&lt;/g, '<').replace(/`/g, ''));
    rows.set(m[1], { id: m[1], cells });
  }
  return rows;
}
