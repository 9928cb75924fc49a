// The arithmetic of bench:ps2, apart from sockets and processes so it can be tested: what one
// server's blocks add up to (NOTIFYs, seconds, CPU, PUBLISH → NOTIFY latencies) and the summary
// printed for it.

export interface Tally {
  notifies: number;
  expected: number;
  /** Seconds from each block's first PUBLISH sent to its last NOTIFY received, summed. */
  seconds: number;
  cpuSeconds: number;
  /** ms from a PUBLISH sent to one NOTIFY it caused received. */
  latencies: number[];
}

export interface BlockResult {
  /** ms (absolute) when the block's first PUBLISH was sent. */
  start: number;
  /** ms (absolute) each PUBLISH was sent, keyed `${presentity}/${round}`. */
  sentAt: ReadonlyMap<string, number>;
  /** [presentity, round, ms (absolute) received] for every NOTIFY of the block that arrived. */
  arrivals: ReadonlyArray<readonly [number, number, number]>;
  expected: number;
  cpuSeconds: number;
}

export function emptyTally(): Tally {
  return { notifies: 0, expected: 0, seconds: 0, cpuSeconds: 0, latencies: [] };
}

export function addBlock(t: Tally, b: BlockResult): void {
  let last = b.start;
  for (const [i, round, at] of b.arrivals) {
    const sent = b.sentAt.get(`${i}/${round}`);
    // A NOTIFY for a PUBLISH this block never sent cannot be timed; the watchers filter by round,
    // so this is a bench bug, and an error beats a silently zero latency.
    if (sent === undefined) throw new Error(`NOTIFY for p${i} round ${round}: no PUBLISH sent`);
    last = Math.max(last, at);
    t.latencies.push(at - sent);
  }
  t.notifies += b.arrivals.length;
  t.expected += b.expected;
  t.seconds += (last - b.start) / 1000;
  t.cpuSeconds += b.cpuSeconds;
}

/** Nearest-rank percentile (p in 0-100) of an ascending array; NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

export interface Summary {
  /** NOTIFYs per wall-clock second (0 when nothing arrived). */
  rate: number;
  /** NOTIFYs per CPU-second of the server (0 when no CPU time was measured). */
  perCpu: number;
  p50: number;
  p99: number;
}

export function summarize(t: Tally): Summary {
  const sorted = [...t.latencies].sort((a, b) => a - b);
  return {
    rate: t.seconds > 0 ? t.notifies / t.seconds : 0,
    perCpu: t.cpuSeconds > 0 ? t.notifies / t.cpuSeconds : 0,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
  };
}
