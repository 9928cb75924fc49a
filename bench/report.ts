// Shared printing for the benchmarks: each figure beside its same-run baseline, the ratio (the
// number to compare across runs on a shared, noisy machine) and the target, when there is one.

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
