// Runs the lab's test suites with node's own test runner (its summary closes the output).
// Usage: node --import tsx tests/run.ts [suite ...]   suites: unit, interop, e2e, browser (default: all)
// `browser` also runs the Playwright suites (tests/browser/*.spec.ts) after node's runner; the last
// line sums both: `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const suites = process.argv.slice(2);
const wanted = suites.length > 0 ? suites : ['unit', 'interop', 'e2e', 'browser'];

function collect(dir: string, out: string[]): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries.sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) collect(path, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, path));
  }
  return out;
}

const files = wanted.flatMap((suite) => collect(join(root, 'tests', suite), []));
const browser = wanted.includes('browser');
if (files.length === 0 && !browser) {
  console.error(`no test files under tests/{${wanted.join(',')}}`);
  process.exit(1);
}

let passed = 0;
let failed = 0;
let status = 0;
if (files.length > 0) {
  // The spec reporter for people, a TAP copy for the counts of the final line.
  const tap = join(root, 'artifacts', 'node-test.tap');
  mkdirSync(join(root, 'artifacts'), { recursive: true });
  rmSync(tap, { force: true });
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tap}`,
      '--test-concurrency=2',
      ...files,
    ],
    { cwd: root, stdio: 'inherit' },
  );
  status = result.status ?? 1;
  const summary = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  passed += Number(/^# pass (\d+)$/m.exec(summary)?.[1] ?? 0);
  failed += Number(/^# fail (\d+)$/m.exec(summary)?.[1] ?? (status === 0 ? 0 : 1));
}
if (browser) {
  // Playwright has its own runner (Debian's chromium, tests/browser/playwright.config.ts).
  const results = join(root, 'artifacts', 'browser', 'results.json');
  rmSync(results, { force: true });
  const pw = spawnSync('npx', ['playwright', 'test', '-c', 'tests/browser/playwright.config.ts'], {
    cwd: root,
    stdio: 'inherit',
  });
  let stats: { expected?: number; unexpected?: number; flaky?: number } | undefined;
  try {
    stats = (JSON.parse(readFileSync(results, 'utf8')) as { stats?: typeof stats }).stats;
  } catch {
    stats = undefined;
  }
  passed += (stats?.expected ?? 0) + (stats?.flaky ?? 0);
  failed += stats ? (stats.unexpected ?? 0) : 1;
  if ((pw.status ?? 1) !== 0 && status === 0) status = pw.status ?? 1;
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 && status === 0 ? 1 : status);
