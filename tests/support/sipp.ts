// Runs SIPp (Debian `sip-tester`, /usr/bin/sipp) with one of the scenario files in
// tests/interop/sipp/scenarios/ against a loopback peer, always under a hard timeout, and returns
// the exit code, the console output and the message log (-trace_msg). UAC runs are awaited with
// runSipp; UAS runs are started with startSipp, which resolves once SIPp's socket is bound.
//
// SIPp exit codes (sipp(1)): 0 every call succeeded, 1 at least one call failed, 97 exit on an
// internal command, 99 normal exit without calls processed, 255 (-1) fatal error, 254 (-2) fatal
// error binding a socket.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SIPP_SCENARIOS = join(import.meta.dirname, '..', 'interop', 'sipp', 'scenarios');

export interface SippOptions {
  /** A file name in tests/interop/sipp/scenarios/ or an absolute path. */
  scenario: string;
  /** Local address and port SIPp binds (-i, -p); the address must be in 127.0.0.0/8. */
  local: { address: string; port: number };
  /** The peer (UAC: where requests go; UAS: omit). */
  remote?: { address: string; port: number };
  transport: 'udp' | 'tcp';
  /** -m: calls to process before exiting (default 1). */
  calls?: number;
  /** -s: user part of the Request-URI ([service]). */
  service?: string;
  /** -key name value: [name] in the scenario. */
  keys?: Record<string, string>;
  /** SIPp's own global -timeout, in seconds (default: hard timeout − 2 s, at least 1). */
  sippTimeoutS?: number;
  /** The harness kills SIPp (SIGKILL) after this many ms (default 30 s). */
  hardTimeoutMs?: number;
  /** Extra command-line arguments. */
  extraArgs?: string[];
  /**
   * Keep the log folder: true always, false never, undefined (default) only when SIPp failed,
   * so a failing test leaves its message log behind for inspection.
   */
  keepLogs?: boolean;
}

export interface SippResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** True when the hard timeout killed SIPp. */
  killed: boolean;
  stdout: string;
  stderr: string;
  /**
   * The -trace_msg and -trace_err files. Their folder is removed after a successful run unless
   * `keepLogs`; the contents are always available through messages() / errors().
   */
  messageLogPath: string;
  errorLogPath: string;
  /** The message log's content, read when SIPp exited ('' when absent). */
  messages(): string;
  /** The error log's content, read when SIPp exited ('' when absent). */
  errors(): string;
  /** The command line, for failure messages. */
  command: string;
}

export interface SippProcess {
  readonly pid: number;
  /** Resolves when SIPp exits (or is killed by the hard timeout). */
  readonly done: Promise<SippResult>;
  /** SIGTERM, then SIGKILL after 2 s. */
  stop(): Promise<SippResult>;
}

/** True when /usr/bin/sipp exists (.ci/run installs sip-tester). */
export function sippInstalled(): boolean {
  return existsSync('/usr/bin/sipp');
}

function assertLoopback(ip: string): void {
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(ip)) throw new Error(`not a loopback address: ${ip}`);
}

function buildArgs(
  o: SippOptions,
  dir: string,
  hardTimeoutMs: number,
): { args: string[]; messageLog: string; errorLog: string } {
  assertLoopback(o.local.address);
  if (o.remote) assertLoopback(o.remote.address);
  const scenario = o.scenario.startsWith('/') ? o.scenario : join(SIPP_SCENARIOS, o.scenario);
  if (!existsSync(scenario)) throw new Error(`no SIPp scenario ${scenario}`);
  const messageLog = join(dir, 'messages.log');
  const errorLog = join(dir, 'errors.log');
  const sippTimeout = o.sippTimeoutS ?? Math.max(1, Math.floor(hardTimeoutMs / 1000) - 2);
  const args = [
    '-sf',
    scenario,
    '-i',
    o.local.address,
    '-p',
    String(o.local.port),
    '-t',
    o.transport === 'tcp' ? 't1' : 'u1',
    '-m',
    String(o.calls ?? 1),
    '-nostdin',
    '-timeout',
    `${sippTimeout}s`,
    '-timeout_error',
    '-trace_msg',
    '-message_file',
    messageLog,
    '-trace_err',
    '-error_file',
    errorLog,
    // Absorb stray retransmissions of finished calls for 1 s only (default 33 s keeps UAS runs alive).
    '-deadcall_wait',
    '1000',
  ];
  if (o.service) args.push('-s', o.service);
  for (const [k, v] of Object.entries(o.keys ?? {})) args.push('-key', k, v);
  args.push(...(o.extraArgs ?? []));
  if (o.remote) args.push(`${o.remote.address}:${o.remote.port}`);
  return { args, messageLog, errorLog };
}

function launch(o: SippOptions): { child: ChildProcess; done: Promise<SippResult>; command: string } {
  const hardTimeoutMs = o.hardTimeoutMs ?? 30_000;
  const dir = mkdtempSync(join(tmpdir(), 'sipp-'));
  const { args, messageLog, errorLog } = buildArgs(o, dir, hardTimeoutMs);
  const command = `sipp ${args.join(' ')}`;
  const child = spawn('/usr/bin/sipp', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const cap = (s: string) => (s.length > 1_000_000 ? s.slice(-500_000) : s);
  child.stdout?.on('data', (c: Buffer) => {
    stdout = cap(stdout + c.toString('utf8'));
  });
  child.stderr?.on('data', (c: Buffer) => {
    stderr = cap(stderr + c.toString('utf8'));
  });
  let killed = false;
  const hard = setTimeout(() => {
    killed = true;
    child.kill('SIGKILL');
  }, hardTimeoutMs);
  const read = (p: string) => (existsSync(p) ? readFileSync(p, 'utf8') : '');
  const done = new Promise<SippResult>((resolve) => {
    const finish = (exitCode: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(hard);
      const messageText = read(messageLog);
      const errorText = read(errorLog);
      if (o.keepLogs === false || (o.keepLogs === undefined && exitCode === 0))
        rmSync(dir, { recursive: true, force: true });
      resolve({
        exitCode,
        signal,
        killed,
        stdout,
        stderr,
        messageLogPath: messageLog,
        errorLogPath: errorLog,
        messages: () => messageText,
        errors: () => errorText,
        command,
      });
    };
    child.once('error', (err) => {
      stderr += String(err);
      finish(null, null);
    });
    child.once('close', finish);
  });
  return { child, done, command };
}

/** Runs SIPp to completion (UAC use). */
export function runSipp(options: SippOptions): Promise<SippResult> {
  return launch(options).done;
}

/** Starts SIPp and resolves once its socket is bound (UAS use); the caller awaits `done`. */
export async function startSipp(options: SippOptions): Promise<SippProcess> {
  const { child, done } = launch(options);
  let exited = false;
  void done.then(() => {
    exited = true;
  });
  const proto = options.transport === 'tcp' ? 'tcp' : 'udp';
  const deadline = Date.now() + 5000;
  while (!isListening(proto, options.local.address, options.local.port)) {
    if (exited) {
      const r = await done;
      throw new Error(`sipp exited before listening (${r.exitCode}):\n${r.stderr}\n${r.stdout.slice(-2000)}`);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`sipp did not bind ${proto} ${options.local.address}:${options.local.port}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    pid: child.pid ?? -1,
    done,
    async stop() {
      if (!exited) {
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 2000);
        const r = await done;
        clearTimeout(t);
        return r;
      }
      return done;
    },
  };
}

/** Looks the socket up in /proc/net/{udp,tcp} (Linux): bound UDP, or listening (state 0A) TCP. */
export function isListening(proto: 'udp' | 'tcp', address: string, port: number): boolean {
  const hexAddr = address
    .split('.')
    .map((o) => Number(o).toString(16).padStart(2, '0'))
    .reverse()
    .join('')
    .toUpperCase();
  const want = `${hexAddr}:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  let table: string;
  try {
    table = readFileSync(`/proc/net/${proto}`, 'utf8');
  } catch {
    return false;
  }
  for (const line of table.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols[1] !== want && cols[1] !== `00000000:${want.split(':')[1]}`) continue;
    if (proto === 'udp' || cols[3] === '0A') return true;
  }
  return false;
}
