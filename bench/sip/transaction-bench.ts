// Non-INVITE transactions per second (MESSAGE → 200) between two processes on loopback, over UDP
// and over TCP, each beside a raw UDP echo rate (plain dgram ping-pong with the same window and
// datagram size between the same two processes) measured in the same run. The UAC is this
// process; the UAS is transaction-bench-uas.ts in a child process. Bounded in count and time.
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { SipHeaders, SipRequest, type SipResponse } from '../../domains/simple/sip/message/sip-message.ts';
import { parseUri } from '../../domains/simple/sip/message/uri-codec.ts';
import {
  type ClientTransactionHandler,
  TransactionLayer,
} from '../../domains/simple/sip/transaction/index.ts';
import {
  TcpTransport,
  type TransportProtocol,
  UdpTransport,
} from '../../domains/simple/sip/transport/index.ts';

const UAC_ADDR = '127.0.70.1';
const UAS_ADDR = '127.0.70.2';
/** Concurrent transactions (and echo datagrams) in flight. */
const WINDOW = 200;
const DURATION_MS = 3_000;
const MAX_OPS = 200_000;
const WARMUP_OPS = 3_000;
/** After the run, how long outstanding transactions may take before they count as failures. */
const DRAIN_MS = 5_000;

export interface BenchRow {
  name: string;
  opsPerSec: number;
  baselineOpsPerSec: number;
  note: string;
}

interface Ports {
  udp: number;
  tcp: number;
  echo: number;
}

const TARGET = parseUri(`sip:jane@${UAS_ADDR}`);
const BODY = Buffer.from('Hello Jane, this is a benchmark MESSAGE of a typical instant-message size.');

let seq = 0;
function makeRequest(): SipRequest {
  seq++;
  const headers = new SipHeaders([
    { name: 'Max-Forwards', value: '70' },
    { name: 'From', value: `<sip:harry@${UAC_ADDR}>;tag=bench${seq}` },
    { name: 'To', value: `<sip:jane@${UAS_ADDR}>` },
    { name: 'Call-ID', value: `bench-${seq}@${UAC_ADDR}` },
    { name: 'CSeq', value: `${seq} MESSAGE` },
    { name: 'Content-Type', value: 'text/plain' },
  ]);
  return new SipRequest('MESSAGE', TARGET, headers, BODY);
}

class Driver implements ClientTransactionHandler {
  started = 0;
  completed = 0;
  failures = 0;
  inFlight = 0;
  private stopAt = 0;
  private limit = 0;
  private done: (() => void) | undefined;

  constructor(
    private readonly layer: TransactionLayer,
    private readonly protocol: TransportProtocol,
    private readonly port: number,
  ) {}

  /** Runs until `limit` transactions were started or `durationMs` passed, then drains. */
  run(
    limit: number,
    durationMs: number,
  ): Promise<{ started: number; ops: number; failures: number; ms: number }> {
    this.started = 0;
    this.completed = 0;
    this.failures = 0;
    this.limit = limit;
    const t0 = performance.now();
    this.stopAt = t0 + durationMs;
    return new Promise((resolve) => {
      const finish = () => {
        clearTimeout(drainTimer);
        // Anything still in flight after the drain period never completed: a failure.
        resolve({
          started: this.started,
          ops: this.completed,
          failures: this.failures + this.inFlight,
          ms: performance.now() - t0,
        });
      };
      let drainTimer: NodeJS.Timeout | undefined;
      this.done = () => {
        this.done = undefined;
        finish();
      };
      setTimeout(() => {
        drainTimer = setTimeout(() => this.done?.(), DRAIN_MS);
      }, durationMs).unref();
      for (let i = 0; i < WINDOW; i++) this.launch();
    });
  }

  onResponse(response: SipResponse): void {
    if (response.status < 200) return;
    this.inFlight--;
    if (response.status === 200) this.completed++;
    else this.failures++;
    if (this.started < this.limit && performance.now() < this.stopAt) this.launch();
    else if (this.inFlight === 0) this.done?.();
  }

  private launch(): void {
    this.started++;
    this.inFlight++;
    const tx = this.layer.sendRequest(
      makeRequest(),
      { protocol: this.protocol, address: UAS_ADDR, port: this.port },
      this,
    );
    if ('code' in tx && !('kind' in tx)) {
      this.inFlight--;
      this.failures++;
    }
  }
}

/** Raw UDP ping-pong with the same window and datagram size; round trips per second. */
async function udpEcho(port: number, size: number, durationMs: number): Promise<number> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, UAC_ADDR, () => r()));
  const payload = Buffer.alloc(size, 0x61);
  let count = 0;
  let stop = false;
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    let inFlight = 0;
    socket.on('message', () => {
      inFlight--;
      count++;
      if (!stop) {
        inFlight++;
        socket.send(payload, port, UAS_ADDR);
      } else if (inFlight === 0) resolve();
    });
    setTimeout(() => {
      stop = true;
      // Lost datagrams never come back: give the rest a moment, then stop counting.
      setTimeout(resolve, 500);
    }, durationMs);
    for (let i = 0; i < WINDOW; i++) {
      inFlight++;
      socket.send(payload, port, UAS_ADDR);
    }
  });
  const ms = performance.now() - t0;
  socket.close();
  return (count / ms) * 1000;
}

interface Uas {
  ports: Ports;
  /** The child's CPU time so far, µs. */
  cpu(): Promise<number>;
  stop(): Promise<void>;
}

async function startUas(): Promise<Uas> {
  const helper = join(import.meta.dirname, 'transaction-bench-uas.ts');
  // SIP_BENCH_PROFILE=<dir> writes a CPU profile of the UAS there (the hot path to optimise).
  const profile = process.env.SIP_BENCH_PROFILE;
  const flags = profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [];
  const child = spawn(process.execPath, [...flags, '--import', 'tsx', helper, UAS_ADDR], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const rl = createInterface({ input: child.stdout! });
  const waiting: Array<(line: string) => void> = [];
  rl.on('line', (l) => waiting.shift()?.(l));
  const nextLine = () => new Promise<string>((resolve) => waiting.push(resolve));
  const line = await Promise.race([
    nextLine(),
    new Promise<string>((_, reject) =>
      child.once('exit', (code) => reject(new Error(`UAS exited early (${code})`))),
    ),
  ]);
  const ports = JSON.parse(line) as Ports;
  return {
    ports,
    async cpu() {
      const reply = nextLine();
      child.stdin!.write('cpu\n');
      return (JSON.parse(await reply) as { cpu: number }).cpu;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => child.kill(), 3000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.stdin!.end();
      }),
  };
}

export async function transactionBench(): Promise<BenchRow[]> {
  const uas = await startUas();
  const udp = new UdpTransport({ node: 'bench-uac', address: UAC_ADDR, port: 0 });
  const tcp = new TcpTransport({ node: 'bench-uac', address: UAC_ADDR, port: 0 });
  await udp.listen();
  await tcp.listen();
  // The UAC only sends requests; a TU that never sees one.
  const layer = new TransactionLayer({ transports: [udp, tcp], tu: { onRequest: () => {} } });
  const rows: BenchRow[] = [];
  try {
    const sample = makeRequest();
    const datagramSize = 400 + sample.body.length; // about the size of our MESSAGE on the wire
    for (const protocol of ['udp', 'tcp'] as const) {
      const port = protocol === 'udp' ? uas.ports.udp : uas.ports.tcp;
      const driver = new Driver(layer, protocol, port);
      await driver.run(WARMUP_OPS, 2_000);
      const uasCpu0 = await uas.cpu();
      const cpu0 = process.cpuUsage();
      const result = await driver.run(MAX_OPS, DURATION_MS);
      const cpu = process.cpuUsage(cpu0);
      const uasCpu = (await uas.cpu()) - uasCpu0;
      const uacUs = (cpu.user + cpu.system) / Math.max(1, result.ops);
      const uasUs = uasCpu / Math.max(1, result.ops);
      const echo = await udpEcho(uas.ports.echo, datagramSize, DURATION_MS);
      const rate = (result.ops / result.ms) * 1000;
      rows.push({
        name: `SIP non-INVITE transactions over ${protocol.toUpperCase()} (MESSAGE→200)`,
        opsPerSec: rate,
        baselineOpsPerSec: echo,
        note:
          `${result.started} started, ${result.ops} completed, ${result.failures} failed, window ${WINDOW}, ${Math.round(result.ms)} ms; ` +
          `CPU per transaction: UAC ${uacUs.toFixed(0)} µs, UAS ${uasUs.toFixed(0)} µs; ` +
          `baseline: raw UDP echo, ${datagramSize}-byte datagrams, same window, same two processes`,
      });
    }
  } finally {
    layer.close();
    await udp.close();
    await tcp.close();
    await uas.stop();
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const row of await transactionBench()) {
    const ratio = (row.opsPerSec / row.baselineOpsPerSec).toFixed(3);
    console.log(
      `${row.name}: ${Math.round(row.opsPerSec)}/s, raw UDP echo ${Math.round(row.baselineOpsPerSec)}/s (ratio ${ratio})`,
    );
    console.log(`  ${row.note}`);
  }
}
