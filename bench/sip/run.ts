// `npm run bench:sip` — the SIP stack's figures, each beside a baseline measured in the same run
// (the machine is shared and noisy: ratios are what to compare across runs).
//   1. decode+encode of a typical NOTIFY carrying PIDF, vs touching the same bytes;
//   2. MESSAGE → 200 non-INVITE transactions/s between two processes over UDP and over TCP,
//      vs a raw UDP echo with the same window and datagram size.
import { header, printRows } from '../report.ts';
import { codecBench } from './codec-bench.ts';
import { transactionBench } from './transaction-bench.ts';

header('bench:sip');
printRows(await codecBench(), [{ match: 'codec', min: 150_000 }]);
printRows(await transactionBench(), [{ match: 'over UDP', min: 15_000 }]);
