// Runs the lab's test suites with node's own test runner (its summary closes the output).
// Usage: node --import tsx tests/run.ts [suite ...]   suites: unit, interop, e2e (default: all)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(import.meta.dirname, '..');
const suites = process.argv.slice(2);
const wanted = suites.length > 0 ? suites : ['unit', 'interop', 'e2e'];

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
if (files.length === 0) {
  console.error(`no test files under tests/{${wanted.join(',')}}`);
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-concurrency=2', ...files],
  { cwd: root, stdio: 'inherit' },
);
process.exit(result.status ?? 1);
