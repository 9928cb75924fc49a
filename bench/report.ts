// Shared by the benchmarks: measuring functions fairly on a shared machine, and printing each
// figure beside its same-run baseline, the ratio (the number to compare across runs on a shared,
// noisy machine) and the target, when there is one.

export interface BenchRow {
  name: string;
  opsPerSec: number;
  baselineOpsPerSec: number;
  note: string;
}

export interface Target {
  /** Rows whose name contains this text (case-insensitive) are checked against `min`. */
  match: string;
  min: number;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function printRows(rows: BenchRow[], targets: Target[] = []): void {
  for (const r of rows) {
    const ratio = r.baselineOpsPerSec > 0 ? (r.opsPerSec / r.baselineOpsPerSec).toFixed(3) : 'n/a';
    const target = targets.find((t) => r.name.toLowerCase().includes(t.match.toLowerCase()));
    const verdict = target
      ? `  (target ≥ ${fmt(target.min)}: ${r.opsPerSec >= target.min ? 'met' : 'NOT met'})`
      : '';
    console.log(
      `${r.name.padEnd(44)} ${fmt(r.opsPerSec).padStart(10)}/s   baseline ${fmt(r.baselineOpsPerSec).padStart(10)}/s   ratio ${ratio}${verdict}`,
    );
    if (r.note) console.log(`  ${r.note}`);
  }
}

export function header(name: string): void {
  console.log(`${name} — node ${process.version}, ${new Date().toISOString()}`);
}

/**
 * Measures several functions in interleaved rounds and keeps each one's best round, in
 * operations per CPU-second (process.cpuUsage): the machine is shared, so rounds alternate to
 * give every function the same conditions and the best round is the least disturbed one.
 * `batch` calls run between two clock readings.
 */
export function measureAll(
  fns: Record<string, () => void>,
  ms: number,
  options: { rounds?: number; batch?: number } = {},
): Record<string, number> {
  const rounds = options.rounds ?? 5;
  const batch = options.batch ?? 50;
  for (const fn of Object.values(fns)) for (let i = 0; i < 2000; i++) fn(); // warm-up: let the JIT settle
  const best: Record<string, number> = {};
  const budget = (ms * 1000) / rounds;
  for (let r = 0; r < rounds; r++) {
    for (const [name, fn] of Object.entries(fns)) {
      let ops = 0;
      const start = process.cpuUsage();
      let spent = 0;
      while (spent < budget) {
        for (let i = 0; i < batch; i++) fn();
        ops += batch;
        const used = process.cpuUsage(start);
        spent = used.user + used.system;
      }
      best[name] = Math.max(best[name] ?? 0, (ops * 1e6) / spent);
    }
  }
  return best;
}
