// What the launcher suites (tests/e2e/lab/) share: a scratch folder removed after the suite,
// topology files written into it, a Lab started from one of them and stopped whatever the test
// did, and whether a process still runs. Each suite keeps its own loopback block.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { Lab } from '../../../lab/launcher.ts';

/** A fresh folder under the system's temporary folder, removed after the suite. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * Writes `dir/file` as a topology with these `nodes:` lines (YAML flow maps, one node each) and
 * these `domains:` lines (none = `domains: {}`); returns its path.
 */
export function writeTopology(dir: string, file: string, nodes: string[], domains: string[] = []): string {
  const path = join(dir, file);
  const indent = (lines: string[]) => lines.map((l) => `  ${l}`);
  writeFileSync(
    path,
    [
      ...(domains.length ? ['domains:', ...indent(domains)] : ['domains: {}']),
      'nodes:',
      ...indent(nodes),
    ].join('\n'),
  );
  return path;
}

/** A Lab on `topologyPath` (30 s to be ready), started, handed to `run`, and always stopped. */
export async function withLab<T>(topologyPath: string, run: (lab: Lab) => T | Promise<T>): Promise<T> {
  const lab = new Lab({ topologyPath, readyTimeoutMs: 30_000 });
  await lab.start();
  try {
    return await run(lab);
  } finally {
    await lab.stop();
  }
}

/** True while a process with this pid exists (signal 0 only checks). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
