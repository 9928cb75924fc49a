// The client's CIR channels (imps.md §8.2): STCP (connect, `HELO <SessionID>`, wait for `OK`,
// `PING` to keep alive, `WVCI x.y <cookie>` lines), SUDP (a bound UDP port announced as UDPPort)
// and SHTTP (GET the CIR URL on a Clock-driven interval: 200 = poll now, 204 = nothing). Every
// wake-up whose cookie matches ours calls `onWake`.
import dgram from 'node:dgram';
import http from 'node:http';
import net from 'node:net';
import type { Clock, TimerHandle } from '../../../common/clock.ts';
import { traceWire } from '../../../common/trace.ts';

export interface CirListenerOptions {
  cookie: string;
  localAddress: string;
  node: string;
  clock: Clock;
  onWake: () => void;
  /** The STCP channel dropped after it was up (the client falls back to polling). */
  onDown?: () => void;
  /** STCP keep-alive: `PING` this often (Android: ~20 min). */
  pingIntervalMs?: number;
}

export class CirListener {
  private tcp: net.Socket | undefined;
  private udp: dgram.Socket | undefined;
  private shttpTimer: TimerHandle | undefined;
  private pingTimer: TimerHandle | undefined;
  private closed = false;
  readyForTcp: Promise<void> = Promise.resolve();

  constructor(private readonly o: CirListenerOptions) {}

  /** imps.md §8.2: WVCI <version> <SessionCookie>; other cookies are not for us. */
  private line(
    text: string,
    transport: 'tcp' | 'udp' | 'http',
    local: net.AddressInfo | undefined,
    remote: { address: string; port: number },
  ): void {
    traceWire({
      node: this.o.node,
      protocol: 'cir',
      direction: 'rx',
      transport,
      local: { address: local?.address ?? this.o.localAddress, port: local?.port ?? 0 },
      remote,
      time: this.o.clock.wallNow(),
      bytes: Buffer.from(text, 'latin1'),
    });
    const m = /^WVCI\s+\d+\.\d+\s+(\S+)\s*$/.exec(text.trim());
    if (m !== null && m[1] === this.o.cookie) this.o.onWake();
  }

  /** Binds the SUDP port before ClientCapability (it is announced there as UDPPort). */
  async bindUdp(): Promise<number> {
    const udp = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(0, this.o.localAddress, () => resolve());
    });
    udp.on('error', () => undefined);
    udp.on('message', (msg, rinfo) => this.line(msg.toString('latin1'), 'udp', udp.address(), rinfo));
    this.udp = udp;
    return udp.address().port;
  }

  /** Resolves once the server answered HELO with OK. */
  connectTcp(address: string, port: number, sessionId: string): Promise<void> {
    this.readyForTcp = new Promise<void>((resolve, reject) => {
      const socket = net.connect({ host: address, port, localAddress: this.o.localAddress });
      this.tcp = socket;
      socket.setEncoding('latin1');
      let buffered = '';
      let ok = false;
      socket.on('connect', () => {
        const helo = `HELO ${sessionId}\r\n`;
        traceWire({
          node: this.o.node,
          protocol: 'cir',
          direction: 'tx',
          transport: 'tcp',
          local: { address: socket.localAddress ?? '', port: socket.localPort ?? 0 },
          remote: { address, port },
          time: this.o.clock.wallNow(),
          bytes: Buffer.from(helo, 'latin1'),
        });
        socket.write(helo);
      });
      socket.on('data', (chunk: string) => {
        buffered += chunk;
        for (;;) {
          const nl = buffered.indexOf('\n');
          if (nl < 0) break;
          const text = buffered.slice(0, nl + 1);
          buffered = buffered.slice(nl + 1);
          if (text.trim() === 'OK') {
            traceWire({
              node: this.o.node,
              protocol: 'cir',
              direction: 'rx',
              transport: 'tcp',
              local: { address: socket.localAddress ?? '', port: socket.localPort ?? 0 },
              remote: { address, port },
              time: this.o.clock.wallNow(),
              bytes: Buffer.from(text, 'latin1'),
            });
            if (!ok) {
              ok = true;
              this.armPing(socket, { address, port });
              resolve();
            }
          } else this.line(text, 'tcp', socket.address() as net.AddressInfo, { address, port });
        }
      });
      socket.on('error', (e) => {
        if (!ok) reject(e);
      });
      socket.on('close', () => {
        this.pingTimer?.cancel();
        if (!ok) reject(new Error('CIR TCP channel closed before OK'));
        else if (!this.closed) this.o.onDown?.();
      });
    });
    return this.readyForTcp;
  }

  /** imps.md §8.2: the client sends `PING` now and then; the server answers `OK`. */
  private armPing(socket: net.Socket, remote: { address: string; port: number }): void {
    this.pingTimer = this.o.clock.setTimer(this.o.pingIntervalMs ?? 20 * 60_000, () => {
      if (this.closed || socket.destroyed) return;
      traceWire({
        node: this.o.node,
        protocol: 'cir',
        direction: 'tx',
        transport: 'tcp',
        local: { address: socket.localAddress ?? '', port: socket.localPort ?? 0 },
        remote,
        time: this.o.clock.wallNow(),
        bytes: Buffer.from('PING\r\n', 'latin1'),
      });
      socket.write('PING\r\n');
      this.armPing(socket, remote);
    });
  }

  /** imps.md §8.2 SHTTP: poll the CIR URL every `intervalMs` on the Clock. */
  startShttp(url: string, intervalMs: number): void {
    const tick = () => {
      if (this.closed) return;
      const u = new URL(url);
      const req = http.request({
        host: u.hostname,
        port: Number(u.port || 80),
        path: u.pathname,
        method: 'GET',
        localAddress: this.o.localAddress,
      });
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          if (res.statusCode === 200)
            this.line(Buffer.concat(chunks).toString('latin1'), 'http', undefined, {
              address: u.hostname,
              port: Number(u.port),
            });
        });
      });
      req.on('error', () => undefined);
      req.end();
      this.shttpTimer = this.o.clock.setTimer(intervalMs, tick);
    };
    tick();
  }

  close(): void {
    this.closed = true;
    this.shttpTimer?.cancel();
    this.pingTimer?.cancel();
    this.tcp?.destroy();
    this.tcp = undefined;
    this.udp?.close();
    this.udp = undefined;
  }
}
