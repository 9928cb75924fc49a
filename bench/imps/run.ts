// `npm run bench:imps` — CSP codec rates (XML and WBXML decode+encode of a typical CSP 1.2
// message) and PS1 transactions/s for UpdatePresence fanned out to 10 polling watchers, each
// beside a baseline measured in the same run.
import { header, printRows } from '../report.ts';
import { codecBench } from './codec-bench.ts';
import { runPs1Bench } from './ps1-bench.ts';

header('bench:imps');
printRows(await codecBench(), [
  { match: 'csp WBXML decode', min: 100_000 },
  { match: 'csp XML decode', min: 30_000 },
]);
printRows((await runPs1Bench()).results, [{ match: 'CPU-second', min: 3_000 }]);
