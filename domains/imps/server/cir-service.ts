// CIR wake-ups (imps.md §8.2): the line `WVCI <major>.<minor> <SessionCookie>` over standalone
// TCP (client sends `HELO <SessionID>`, server `OK`; `PING` -> `OK`; WVCI lines any time), over
// standalone UDP to the client's UDPPort, and the SHTTP pull (GET on the CIR URL: 200 + WVCI when
// something is pending, 204 when not). A CIR carries no content: the client then polls.
import dgram from 'node:dgram';
import net from 'node:net';
import { traceWire } from '../../../common/trace.ts';
import type { ImpsSession } from './imps-session.ts';
import type { ResolvedPs1Config } from './ps1-config.ts';
import type { SessionStore } from './session-store.ts';

const MAX_LINE = 256;

export function cirLine(session: ImpsSession): string {
  return `WVCI ${session.version} ${session.cookie}`;
}

export class CirService {
  private tcp: net.Server | undefined;
  private udp: dgram.Socket | undefined;
  private readonly channels = new Map<string, net.Socket>();
  private readonly sockets = new Set<net.Socket>();
  private httpBase = '';

  constructor(
    private readonly config: ResolvedPs1Config,
    private readonly sessions: SessionStore,
  ) {}

  async start(httpBase: string): Promise<void> {
    this.httpBase = httpBase;
    const tcp = net.createServer((socket) => this.accept(socket));
    await new Promise<void>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(this.config.cirTcpPort, this.config.address, () => resolve());
    });
    this.tcp = tcp;
    const udp = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(0, this.config.address, () => resolve());
    });
    udp.on('error', () => undefined);
    this.udp = udp;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    this.channels.clear();
    if (this.tcp !== undefined) await new Promise<void>((r) => this.tcp!.close(() => r()));
    this.tcp = undefined;
    if (this.udp !== undefined) await new Promise<void>((r) => this.udp!.close(() => r()));
    this.udp = undefined;
  }

  tcpEndpoint(): { address: string; port: number } | undefined {
    const a = this.tcp?.address();
    return a !== undefined && a !== null && typeof a !== 'string'
      ? { address: a.address, port: a.port }
      : undefined;
  }

  url(session: ImpsSession): string {
    return `${this.httpBase}/cir/${encodeURIComponent(session.sessionId)}`;
  }

  /** Something was queued for an idle session: wake it on every channel it agreed. */
  wake(session: ImpsSession): void {
    const line = cirLine(session);
    const socket = this.channels.get(session.sessionId);
    if (socket !== undefined && session.capabilities.cirMethods.includes('STCP'))
      this.writeLine(socket, line);
    const port = session.capabilities.udpPort;
    if (this.udp !== undefined && port !== undefined && session.capabilities.cirMethods.includes('SUDP')) {
      const bytes = Buffer.from(line, 'ascii');
      this.udp.send(bytes, port, session.cirAddress);
      const local = this.udp.address();
      traceWire({
        node: this.config.node,
        protocol: 'cir',
        direction: 'tx',
        transport: 'udp',
        local: { address: local.address, port: local.port },
        remote: { address: session.cirAddress, port },
        time: this.config.clock.wallNow(),
        bytes,
      });
    }
  }

  detach(session: ImpsSession): void {
    const socket = this.channels.get(session.sessionId);
    this.channels.delete(session.sessionId);
    socket?.end();
  }

  private trace(socket: net.Socket, direction: 'rx' | 'tx', text: string): void {
    traceWire({
      node: this.config.node,
      protocol: 'cir',
      direction,
      transport: 'tcp',
      local: { address: socket.localAddress ?? '', port: socket.localPort ?? 0 },
      remote: { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 },
      time: this.config.clock.wallNow(),
      bytes: Buffer.from(text, 'ascii'),
    });
  }

  private writeLine(socket: net.Socket, line: string): void {
    const text = `${line}\r\n`;
    this.trace(socket, 'tx', text);
    socket.write(text);
  }

  private accept(socket: net.Socket): void {
    this.sockets.add(socket);
    let buffered = '';
    let sessionId: string | undefined;
    socket.setEncoding('latin1');
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.sockets.delete(socket);
      if (sessionId !== undefined && this.channels.get(sessionId) === socket) this.channels.delete(sessionId);
    });
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      if (buffered.length > MAX_LINE && !buffered.includes('\n')) {
        socket.destroy();
        return;
      }
      for (;;) {
        const nl = buffered.indexOf('\n');
        if (nl < 0) break;
        const raw = buffered.slice(0, nl + 1);
        buffered = buffered.slice(nl + 1);
        this.trace(socket, 'rx', raw);
        const line = raw.trim();
        const helo = /^HELO\s+(\S+)$/.exec(line);
        if (helo !== null) {
          const session = this.sessions.get(helo[1]);
          // imps.md §8.2: unknown session in HELO -> the server closes the socket.
          if (session === undefined) {
            socket.end();
            return;
          }
          sessionId = session.sessionId;
          this.channels.set(sessionId, socket);
          this.writeLine(socket, 'OK');
          if (session.hasUnsent()) this.writeLine(socket, cirLine(session));
        } else if (/^PING\b/.test(line)) this.writeLine(socket, 'OK');
        else if (line !== '') {
          socket.end();
          return;
        }
      }
    });
  }
}
