import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { WireTraceEvent } from '../common/trace.ts';
import { NODE_START_ENV, type NodeStart, ROLES } from './roles/index.ts';
import { loadTopology, type Topology } from './topology.ts';
import { PcapWriter } from './trace/pcap-writer.ts';

// Runs every node of the topology as a separate process (as Docker Compose runs containers),
// waits until each reports ready, and stops them all on request. Each node forwards its trace
// events over the IPC channel; the launcher keeps the run's trace for the pcap export.

export interface LaunchOptions {
  topologyPath?: string;
  readyTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface RestartOptions {
  /** SIGKILL (default): the node crashes; SIGTERM: it stops in order first. */
  signal?: 'SIGKILL' | 'SIGTERM';
  /** After a SIGTERM, how long before SIGKILL (default 5 s). */
  graceMs?: number;
}

export interface LaunchedNode {
  name: string;
  role: string;
  pid: number;
  endpoints: Record<string, string>;
}

const NODE_MAIN = fileURLToPath(new URL('./node-main.ts', import.meta.url));

export class Lab {
  readonly nodes: LaunchedNode[] = [];
  readonly skipped: Array<{ name: string; role: string }> = [];
  readonly trace: WireTraceEvent[] = [];
  private readonly children = new Map<string, ChildProcess>();
  /** Node name → role, for every node spawned. */
  private readonly roles = new Map<string, string>();
  private topology: Topology | undefined;

  constructor(private readonly options: LaunchOptions = {}) {}

  async start(): Promise<void> {
    const log = this.options.log ?? (() => {});
    this.topology = loadTopology(this.options.topologyPath);
    const waits: Array<Promise<void>> = [];
    for (const [name, node] of Object.entries(this.topology.nodes)) {
      if (!ROLES[node.role]) {
        this.skipped.push({ name, role: node.role });
        continue;
      }
      waits.push(this.spawn(name, node.role, 'initial'));
    }
    try {
      await Promise.all(waits);
    } catch (error) {
      await this.stop();
      throw error;
    }
    log(`lab: ${this.nodes.length} node(s) ready`);
  }

  private spawn(name: string, role: string, start: NodeStart): Promise<void> {
    const args = [name, ...(this.options.topologyPath ? [this.options.topologyPath] : [])];
    const child = fork(NODE_MAIN, args, {
      execArgv: ['--import', 'tsx'],
      // A node with state on disk (the IWF's journal) starts clean on a run's first start and
      // resumes it on a restart: the same file must not carry one run into the next.
      env: { ...process.env, [NODE_START_ENV]: start },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'json',
    });
    this.children.set(name, child);
    this.roles.set(name, role);
    const timeoutMs = this.options.readyTimeoutMs ?? 20_000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${name} (${role}) not ready after ${timeoutMs} ms`)),
        timeoutMs,
      );
      child.on(
        'message',
        (message: {
          type: string;
          endpoints?: Record<string, string>;
          event?: WireTraceEvent & { bytes: string };
        }) => {
          if (message.type === 'ready') {
            clearTimeout(timer);
            this.nodes.push({ name, role, pid: child.pid ?? 0, endpoints: message.endpoints ?? {} });
            resolve();
            return;
          }
          if (message.type === 'trace' && message.event && this.trace.length < 1_000_000) {
            this.trace.push({ ...message.event, bytes: Buffer.from(message.event.bytes, 'base64') });
          }
          // The console is a trace subscriber like the launcher: it gets every node's trace and
          // the IWF's mapping reports, as the nodes sent them.
          if (message.type === 'trace' || message.type === 'map') this.relayToConsoles(name, message);
        },
      );
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        this.children.delete(name);
        reject(new Error(`${name} (${role}) exited before ready (code ${code}, signal ${signal})`));
      });
    });
  }

  private relayToConsoles(from: string, message: unknown): void {
    for (const [name, role] of this.roles) {
      if (role !== 'console' || name === from) continue;
      const child = this.children.get(name);
      if (child?.connected) child.send(message as object);
    }
  }

  /** The run's trace as a pcap (one record per message crossing, both sides deduplicated). */
  writePcap(path: string): void {
    const writer = new PcapWriter();
    const seen = new Set<string>();
    for (const e of [...this.trace].sort((a, b) => a.time - b.time)) {
      const [src, dst] = e.direction === 'tx' ? [e.local, e.remote] : [e.remote, e.local];
      const key = `${e.transport}|${src.address}:${src.port}>${dst.address}:${dst.port}|${e.bytes.toString('base64')}`;
      if (seen.has(key)) continue;
      seen.add(key);
      writer.add(e);
    }
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, writer.toBuffer());
  }

  /**
   * Stops one node and starts it again from the same topology file, as a container restart
   * would: `signal` SIGKILL (default) is a crash, nothing of the node's shutdown runs; SIGTERM is
   * an orderly stop (SIGKILL after `graceMs`). Resolves when the new process reports ready; its
   * entry in `nodes` (pid, endpoints) is replaced. The run's trace keeps both lives of the node.
   */
  async restart(name: string, options: RestartOptions = {}): Promise<LaunchedNode> {
    const child = this.children.get(name);
    const role = this.roles.get(name);
    if (!child || !role) throw new Error(`no running node "${name}" in this lab`);
    const signal = options.signal ?? 'SIGKILL';
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const kill = setTimeout(() => child.kill('SIGKILL'), options.graceMs ?? 5_000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill(signal);
    });
    this.children.delete(name);
    const index = this.nodes.findIndex((n) => n.name === name);
    if (index >= 0) this.nodes.splice(index, 1);
    try {
      await this.spawn(name, role, 'restart');
    } catch (error) {
      // A node that does not come back leaves no half-started process behind.
      const again = this.children.get(name);
      if (again && again.exitCode === null && again.signalCode === null) again.kill('SIGKILL');
      throw error;
    }
    const node = this.nodes.find((n) => n.name === name);
    if (!node) throw new Error(`${name} (${role}) restarted but reported no endpoints`);
    return node;
  }

  /** SIGTERM to every node, SIGKILL to those still running after `graceMs`. */
  async stop(graceMs = 5_000): Promise<void> {
    const exits = [...this.children.values()].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
          child.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    );
    await Promise.all(exits);
    this.children.clear();
  }
}
