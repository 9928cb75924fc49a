// Starts the lab with its console in one process (web-ui/server/main.ts) on the browser tests'
// own addresses, waits for the console's address, and stops it all when the run ends.
import { type ChildProcess, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TOPOLOGY = fileURLToPath(new URL('./lab-topology.yaml', import.meta.url));

/**
 * The scenario catalog the console lists: the lab's own files plus one that needs a capability no
 * lab has, so the "cannot run" path of the launcher is exercised whatever the lab can do today.
 */
function scenarioCatalog(): string {
  const dir = mkdtempSync(join(tmpdir(), 'console-scenarios-'));
  cpSync(join(ROOT, 'scenarios'), dir, { recursive: true, filter: (src) => !src.includes('/reports') });
  writeFileSync(
    join(dir, 'usecase-teleport.yaml'),
    [
      'name: usecase-teleport',
      'description: Needs a capability no lab has (browser tests of the launcher).',
      'requires: [teleport]',
      'actors:',
      '  jane: { node: jane }',
      'steps:',
      '  - login: { actor: jane }',
      '',
    ].join('\n'),
  );
  return dir;
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  const scenarios = scenarioCatalog();
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'web-ui/server/main.ts',
      '--topology',
      TOPOLOGY,
      '--port',
      '0',
      '--scenarios',
      scenarios,
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the lab did not start within 60 s')), 60_000);
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /console: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the lab exited (code ${code}) before the console was ready:\n${out}`));
    });
  });
  process.env.CONSOLE_URL = url;
  return async () => {
    rmSync(scenarios, { recursive: true, force: true });
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
}
