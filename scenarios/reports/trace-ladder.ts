// The run's trace as a ladder: one entry per message crossing between two nodes, in time order.
// Both ends of a hop report the same message (the sender tx, the receiver rx); the pair becomes
// one entry. A retransmission (same bytes again) stays a separate entry because each tx pairs
// with at most one rx. Pure: events in, entries out.
import { createHash } from 'node:crypto';
import type { Endpoint, TraceProtocol, TraceTransport, WireTraceEvent } from '../../common/trace.ts';
import { type MessageSummary, summarizeMessage } from './message-summary.ts';

export interface LadderEntry {
  /** Position in the ladder (0-based, time order). */
  index: number;
  /** Time of the earliest report (ms, wall clock). */
  time: number;
  /** Node names (or the bare address when no node has it). */
  from: string;
  to: string;
  src: Endpoint;
  dst: Endpoint;
  protocol: TraceProtocol;
  transport: TraceTransport;
  summary: MessageSummary;
  bytes: Buffer;
  /** Which sides reported it: both for a hop between two traced nodes. */
  reportedBy: Array<'tx' | 'rx'>;
}

/** Address → node name, from the topology (every node has its own loopback address). */
export type AddressBook = ReadonlyMap<string, string>;

export function nodeOf(book: AddressBook, endpoint: Endpoint): string {
  return book.get(endpoint.address) ?? endpoint.address;
}

function keyOf(e: WireTraceEvent, src: Endpoint, dst: Endpoint): string {
  const digest = createHash('sha1').update(e.bytes).digest('base64');
  return `${e.protocol}|${src.address}:${src.port}>${dst.address}:${dst.port}|${digest}`;
}

export function buildLadder(trace: readonly WireTraceEvent[], book: AddressBook): LadderEntry[] {
  const sorted = trace
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.time - b.e.time || a.i - b.i)
    .map((x) => x.e);
  const entries: LadderEntry[] = [];
  // key → entries still waiting for the other side's report.
  const unpaired = new Map<string, LadderEntry[]>();
  for (const e of sorted) {
    const [src, dst] = e.direction === 'tx' ? [e.local, e.remote] : [e.remote, e.local];
    const key = keyOf(e, src, dst);
    const waiting = unpaired.get(key);
    const partner = waiting?.find((x) => !x.reportedBy.includes(e.direction));
    if (partner && waiting) {
      partner.reportedBy.push(e.direction);
      waiting.splice(waiting.indexOf(partner), 1);
      if (waiting.length === 0) unpaired.delete(key);
      continue;
    }
    const entry: LadderEntry = {
      index: entries.length,
      time: e.time,
      from: nodeOf(book, src),
      to: nodeOf(book, dst),
      src,
      dst,
      protocol: e.protocol,
      transport: e.transport,
      summary: summarizeMessage(e.protocol, e.bytes),
      bytes: e.bytes,
      reportedBy: [e.direction],
    };
    entries.push(entry);
    if (waiting) waiting.push(entry);
    else unpaired.set(key, [entry]);
  }
  return entries;
}
