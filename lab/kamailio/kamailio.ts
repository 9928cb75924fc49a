// Starts and stops a real Kamailio (the interop suites' peer, and the lab's `kamailio` role), the
// way the shared peer notes on Kamailio describe it (configs copied beside this file, see README.md):
// a temporary run folder, the config with $RUN_DIR and #!substdef values replaced, a fresh SQLite
// file from /usr/share/kamailio/db_sqlite/*.sql switched to WAL once, then `kamailio -DD -E` in
// the foreground of its own process group. Readiness = an OPTIONS answered 200 on UDP (the
// configs answer `OPTIONS sip:LISTEN_IP` themselves). Stop = SIGTERM, then SIGKILL to the group.
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type KamailioMode = 'presence' | 'domain2';

export interface KamailioOptions {
  mode: KamailioMode;
  /** A 127.0.0.0/8 address; Kamailio listens on UDP and TCP port 5060 there (fixed by the configs). */
  listenIp: string;
  /**
   * Other #!substdef values to set. Domain2 mode: XCAP_PORT, IWF_IP, IWF_PORT, MY_DOMAIN,
   * PEER_DOMAIN. DBFILE and CTLSOCK always point into the run folder.
   */
  substdefs?: Record<string, string>;
  /** How long to wait for the first 200 to OPTIONS (default 15 s). */
  startTimeoutMs?: number;
  /** Keep the run folder after stop (for debugging); default false. */
  keepRunDir?: boolean;
}

export interface KamailioInstance {
  readonly mode: KamailioMode;
  readonly listenIp: string;
  readonly port: 5060;
  readonly runDir: string;
  readonly configPath: string;
  readonly dbPath: string;
  readonly logPath: string;
  readonly pid: number;
  /** Domain2 mode: the binrpc socket for `kamcmd -s unix:<ctlSocket> ...`. */
  readonly ctlSocket: string | undefined;
  /** Everything Kamailio logged so far (stderr, -E). */
  log(): string;
  /** Runs a sqlite3 statement against the instance's database; returns stdout. */
  sql(statement: string): string;
  /** Runs kamcmd against the ctl socket (domain2 mode only); returns stdout. */
  kamcmd(...args: string[]): string;
  /** SIGTERM, then SIGKILL of the process group after `graceMs` (default 5 s). Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

const CONFIG_DIR = import.meta.dirname;
const SCHEMA_DIR = '/usr/share/kamailio/db_sqlite';
// Absolute paths: /usr/sbin is not on every user's PATH.
const KAMAILIO = '/usr/sbin/kamailio';
const KAMCMD = '/usr/sbin/kamcmd';
const SQLITE3 = '/usr/bin/sqlite3';
const CONFIG: Record<KamailioMode, { file: string; db: string; schemas: string[] }> = {
  presence: {
    file: 'kamailio-presence.cfg',
    db: 'presence.sqlite',
    schemas: ['standard-create.sql', 'presence-create.sql'],
  },
  domain2: {
    file: 'kamailio-domain2.cfg',
    db: 'domain2.sqlite',
    schemas: ['standard-create.sql', 'presence-create.sql', 'msilo-create.sql'],
  },
};

/** True when the binaries and schema files the harness needs are installed (.ci/run installs them). */
export function kamailioInstalled(): boolean {
  return (
    ['/usr/sbin/kamailio', '/usr/bin/sqlite3'].every((p) => existsSync(p)) &&
    existsSync(join(SCHEMA_DIR, 'presence-create.sql'))
  );
}

function assertLoopback(ip: string): void {
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(ip)) throw new Error(`not a loopback address: ${ip}`);
}

/** Replaces `#!substdef "!NAME!old!"` lines by the new values, and `$RUN_DIR` by the run folder. */
export function renderKamailioConfig(
  template: string,
  runDir: string,
  substdefs: Record<string, string>,
): string {
  let out = template.replaceAll('$RUN_DIR', runDir);
  for (const [name, value] of Object.entries(substdefs)) {
    if (value.includes('!') || value.includes('"'))
      throw new Error(`substdef ${name}: value may not hold ! or "`);
    const line = new RegExp(`^#!substdef "!${name}![^!]*!"$`, 'm');
    if (!line.test(out)) throw new Error(`config has no substdef ${name}`);
    out = out.replace(line, `#!substdef "!${name}!${value}!"`);
  }
  return out;
}

/**
 * Starts Kamailio; a start that dies before answering OPTIONS is tried again on a fresh run
 * folder (seen: msilo opening the new SQLite file got "database is locked" once in many runs and
 * Kamailio exited, or stayed up without ever answering). A Kamailio that runs without that fault
 * but never answers is not retried.
 */
export async function startKamailio(options: KamailioOptions): Promise<KamailioInstance> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startKamailioOnce(options);
    } catch (error) {
      if (attempt >= 3 || !(error instanceof KamailioExitedError)) throw error;
    }
  }
}

class KamailioExitedError extends Error {}

async function startKamailioOnce(options: KamailioOptions): Promise<KamailioInstance> {
  assertLoopback(options.listenIp);
  for (const key of ['IWF_IP'] as const) if (options.substdefs?.[key]) assertLoopback(options.substdefs[key]);
  const spec = CONFIG[options.mode];
  const runDir = mkdtempSync(join(tmpdir(), `kamailio-${options.mode}-`));
  const dbPath = join(runDir, spec.db);
  const configPath = join(runDir, 'kamailio.cfg');
  const logPath = join(runDir, 'kamailio.log');
  const ctlSocket = options.mode === 'domain2' ? join(runDir, 'kamailio_ctl') : undefined;
  mkdirSync(join(runDir, 'run'));

  const substdefs: Record<string, string> = { LISTEN_IP: options.listenIp, ...options.substdefs };
  writeFileSync(
    configPath,
    renderKamailioConfig(readFileSync(join(CONFIG_DIR, spec.file), 'utf8'), runDir, substdefs),
  );

  // Fresh database with the module schemas, then WAL once (it is stored in the file). Without
  // WAL, children racing on the file answer PUBLISH with 500 "database is locked" (README trap).
  const schema = spec.schemas.map((f) => readFileSync(join(SCHEMA_DIR, f), 'utf8')).join('\n');
  execFileSync(SQLITE3, [dbPath], { input: schema });
  const mode = execFileSync(SQLITE3, [dbPath, 'PRAGMA journal_mode=WAL;'], { encoding: 'utf8' }).trim();
  if (mode !== 'wal') throw new Error(`sqlite3 journal_mode is ${mode}, expected wal`);

  const check = spawnSyncText(KAMAILIO, ['-c', '-f', configPath]);
  if (!/config file ok/.test(check)) {
    if (!options.keepRunDir) rmSync(runDir, { recursive: true, force: true });
    throw new Error(`kamailio -c failed:\n${check.slice(-4000)}`);
  }

  let logText = '';
  const child: ChildProcess = spawn(KAMAILIO, ['-f', configPath, '-DD', '-E', '-Y', join(runDir, 'run')], {
    cwd: runDir,
    detached: true, // own process group, so a SIGKILL fallback reaches every child process
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const append = (chunk: Buffer) => {
    logText += chunk.toString('utf8');
    if (logText.length > 4_000_000) logText = logText.slice(-2_000_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let running = true;
  void exited.then(() => {
    running = false;
  });

  let stopped = false;
  const instance: KamailioInstance = {
    mode: options.mode,
    listenIp: options.listenIp,
    port: 5060,
    runDir,
    configPath,
    dbPath,
    logPath,
    pid: child.pid ?? -1,
    ctlSocket,
    log: () => logText,
    sql: (statement) => execFileSync(SQLITE3, [dbPath, statement], { encoding: 'utf8' }),
    kamcmd: (...args) => {
      if (!ctlSocket) throw new Error('kamcmd needs domain2 mode (ctl module)');
      return execFileSync(KAMCMD, ['-s', `unix:${ctlSocket}`, ...args], {
        encoding: 'utf8',
        timeout: 5000,
      });
    },
    async stop(graceMs = 5000) {
      if (stopped) return;
      stopped = true;
      if (running && child.pid) {
        child.kill('SIGTERM'); // the main process stops its children on SIGTERM
        const timer = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs).unref());
        if ((await Promise.race([exited.then(() => 'exited' as const), timer])) === 'timeout') {
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {
            // already gone
          }
          await exited;
        }
      }
      // Children may outlive the main process for a moment: reap the group we created.
      if (child.pid) {
        try {
          process.kill(-child.pid, 0);
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // no process left in the group
        }
      }
      writeFileSync(logPath, logText);
      if (!options.keepRunDir) rmSync(runDir, { recursive: true, force: true });
    },
  };

  // msilo's "database is locked" on the fresh file can also leave the main process up while a
  // child never finishes its init: such a start never answers, so it counts as a failed start.
  const startFault = () => /database is locked/.test(logText);
  try {
    await waitForOptions(options.listenIp, options.startTimeoutMs ?? 15_000, () => running && !startFault());
  } catch (err) {
    const died = !running || startFault();
    await instance.stop(1000);
    const message = `${(err as Error).message}\n--- kamailio log ---\n${logText.slice(-4000)}`;
    throw died ? new KamailioExitedError(message) : new Error(message);
  }
  return instance;
}

/** stdout and stderr of a short command (`kamailio -c` prints "config file ok" on stderr). */
function spawnSyncText(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 15_000 });
  return `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`;
}

/** Sends `OPTIONS sip:<ip>` over UDP every 200 ms until a 200 comes back. */
export async function waitForOptions(
  ip: string,
  timeoutMs: number,
  alive: () => boolean = () => true,
): Promise<void> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve());
  });
  const { port } = socket.address();
  let answered = false;
  socket.on('message', (msg) => {
    if (/^SIP\/2\.0 200 /.test(msg.toString('latin1'))) answered = true;
  });
  const deadline = Date.now() + timeoutMs;
  try {
    for (let n = 1; !answered; n++) {
      if (!alive()) throw new Error('kamailio exited (or hit a start-up fault) during start-up');
      if (Date.now() > deadline)
        throw new Error(`kamailio on ${ip}:5060 did not answer OPTIONS within ${timeoutMs} ms`);
      const options = [
        `OPTIONS sip:${ip}:5060 SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bKready${n};rport`,
        'Max-Forwards: 70',
        `From: <sip:harness@127.0.0.1>;tag=ready${n}`,
        `To: <sip:${ip}>`,
        `Call-ID: ready-${process.pid}-${n}@127.0.0.1`,
        `CSeq: ${n} OPTIONS`,
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
      socket.send(options, 5060, ip);
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    socket.close();
  }
}
