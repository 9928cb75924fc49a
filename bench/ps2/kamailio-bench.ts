// Kamailio in presence mode for bench:ps2: the lab's own config (lab/kamailio/kamailio-presence.cfg)
// rendered and checked by the lab harness's helpers, started the way lab/kamailio/kamailio.ts
// starts it, with one difference: `-m 256` (MB of shared memory). At the default 64 MB, 1,000
// subscriptions plus a round of 100 PUBLISHes × 10 NOTIFYs exhausted the shm pool
// ("could not allocate shared memory from shm pool" → 500 to PUBLISH), which would measure the
// harness default, not the server.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderKamailioConfig, waitForOptions } from '../../lab/kamailio/kamailio.ts';

const KAMAILIO = '/usr/sbin/kamailio';
const SQLITE3 = '/usr/bin/sqlite3';
const CONFIG = join(import.meta.dirname, '..', '..', 'lab', 'kamailio', 'kamailio-presence.cfg');
const SCHEMAS = ['standard-create.sql', 'presence-create.sql'].map(
  (f) => `/usr/share/kamailio/db_sqlite/${f}`,
);
const SHM_MB = '256';

export interface BenchKamailio {
  /** The main process; its forked children share its process group. */
  pid: number;
  log(): string;
  stop(): Promise<void>;
}

export async function startBenchKamailio(listenIp: string): Promise<BenchKamailio> {
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(listenIp)) throw new Error(`not loopback: ${listenIp}`);
  const runDir = mkdtempSync(join(tmpdir(), 'kamailio-bench-ps2-'));
  mkdirSync(join(runDir, 'run'));
  const configPath = join(runDir, 'kamailio.cfg');
  writeFileSync(
    configPath,
    renderKamailioConfig(readFileSync(CONFIG, 'utf8'), runDir, { LISTEN_IP: listenIp }),
  );
  // Fresh database, WAL once (lab/kamailio/README.md: without it PUBLISH gets "database is locked").
  const dbPath = join(runDir, 'presence.sqlite');
  execFileSync(SQLITE3, [dbPath], { input: SCHEMAS.map((f) => readFileSync(f, 'utf8')).join('\n') });
  execFileSync(SQLITE3, [dbPath, 'PRAGMA journal_mode=WAL;']);

  let logText = '';
  const child: ChildProcess = spawn(
    KAMAILIO,
    ['-f', configPath, '-DD', '-E', '-m', SHM_MB, '-Y', join(runDir, 'run')],
    { cwd: runDir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const append = (chunk: Buffer) => {
    logText += chunk.toString('utf8');
    if (logText.length > 4_000_000) logText = logText.slice(-2_000_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  let running = true;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running = false;
      resolve();
    }),
  );
  const pid = child.pid ?? -1;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (running) {
      child.kill('SIGTERM'); // the main process stops its children on SIGTERM
      const timer = new Promise((r) => setTimeout(r, 5000).unref());
      await Promise.race([exited, timer]);
    }
    try {
      process.kill(-pid, 'SIGKILL'); // whatever of the group outlived the main process
    } catch {
      // no process left in the group
    }
    rmSync(runDir, { recursive: true, force: true });
  };
  try {
    await waitForOptions(listenIp, 15_000, () => running);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${logText.slice(-3000)}`);
  }
  return { pid, log: () => logText, stop };
}
