// `npm run bench:sip` — the SIP stack's figures, each beside a baseline measured in the same run
// (the machine is shared and noisy: ratios are what to compare across runs).
//   1. decode+encode of a typical NOTIFY carrying PIDF, vs touching the same bytes;
//   2. MESSAGE → 200 non-INVITE transactions/s between two processes over UDP and over TCP,
//      vs a raw UDP echo with the same window and datagram size.
import { codecBench } from './codec-bench.ts';
import { transactionBench } from './transaction-bench.ts';

interface Row {
  name: string;
  opsPerSec: number;
  baselineOpsPerSec: number;
  note: string;
}

const TARGETS: Record<string, number> = {
  codec: 150_000,
  udp: 15_000,
};

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function print(rows: Row[]): void {
  for (const r of rows) {
    const ratio = r.baselineOpsPerSec > 0 ? (r.opsPerSec / r.baselineOpsPerSec).toFixed(3) : 'n/a';
    const target = Object.entries(TARGETS).find(([k]) => r.name.toLowerCase().includes(k))?.[1];
    const verdict =
      target === undefined
        ? ''
        : r.opsPerSec >= target
          ? `  (target ≥ ${fmt(target)}: met)`
          : `  (target ≥ ${fmt(target)}: NOT met)`;
    console.log(
      `${r.name.padEnd(44)} ${fmt(r.opsPerSec).padStart(10)}/s   baseline ${fmt(r.baselineOpsPerSec).padStart(10)}/s   ratio ${ratio}${verdict}`,
    );
    if (r.note) console.log(`  ${r.note}`);
  }
}

console.log(`bench:sip — node ${process.version}, ${new Date().toISOString()}`);
print(await codecBench());
print(await transactionBench());
