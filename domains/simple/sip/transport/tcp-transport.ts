import net from 'node:net';
import type { SipDecodeError } from '../message/decode.ts';
import type { Via } from '../message/via.ts';
import { checkDestination, isIpv4Literal } from './loopback-guard.ts';
import { TcpConnection, type TcpConnectionOwner } from './tcp-connection.ts';
import { type Endpoint, endpointKey, type SendErrorListener } from './transport.ts';
import { TransportBase, type TransportOptions } from './transport-base.ts';
import { type TransportError, transportError } from './transport-errors.ts';

// SIP over TCP (RFC 3261 §18): a listening socket on the node's loopback address, outgoing
// connections bound to that same address, one connection per remote address:port reused in
// both directions (§18.2.2, and RFC 3261 §18.1.1 "...if a connection is open to that address,
// the request SHOULD be sent over it"), closed after an idle period.

export interface TcpTransportOptions extends TransportOptions {
  /** Close a connection after this long without traffic either way. Default 5 minutes. */
  idleTimeoutMs?: number;
}

export const DEFAULT_TCP_IDLE_MS = 5 * 60_000;

export class TcpTransport extends TransportBase implements TcpConnectionOwner {
  readonly protocol = 'tcp' as const;
  readonly reliable = true;
  readonly idleTimeoutMs: number;
  private server: net.Server | undefined;
  private closed = false;
  /** By remote address:port, and by alias (the peer's Via sent-by for inbound connections). */
  private readonly connections = new Map<string, TcpConnection>();
  private readonly all = new Set<TcpConnection>();

  constructor(options: TcpTransportOptions) {
    super(options);
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_TCP_IDLE_MS;
  }

  listen(): Promise<Endpoint> {
    const refusal = this.bindRefusal();
    if (refusal) return Promise.reject(refusal);
    const server = net.createServer((socket) => this.accept(socket));
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen({ port: this.local.port, host: this.local.address }, () => {
        server.off('error', reject);
        server.on('error', () => {});
        const a = server.address() as net.AddressInfo;
        this.local = { address: a.address, port: a.port };
        resolve(this.local);
      });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const c of this.all) c.destroy();
    this.all.clear();
    this.connections.clear();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  send(bytes: Buffer, remote: Endpoint, onError?: SendErrorListener): TransportError | undefined {
    const refused = checkDestination(remote);
    if (refused) return refused;
    if (this.closed || !this.server) return transportError('SIP_ERR_TRANSPORT_CLOSED');
    if (bytes.length > this.maxMessageBytes) {
      return transportError('SIP_ERR_TRANSPORT_TOO_LARGE', `${bytes.length} bytes`);
    }
    const key = endpointKey(remote);
    let conn = this.connections.get(key);
    if (!conn) conn = this.connect(remote, key);
    this.trace('tx', bytes, remote);
    conn.write(bytes, onError);
    return undefined;
  }

  hasConnection(remote: Endpoint): boolean {
    return this.connections.has(endpointKey(remote));
  }

  /** Open connections (tests prove reuse with it). */
  get connectionCount(): number {
    return this.all.size;
  }

  // ——— TcpConnectionOwner ———

  connectionMessage(conn: TcpConnection, bytes: Buffer): void {
    const message = this.receive(bytes, conn.remote);
    if (message?.kind === 'request' && conn.inbound) {
      const via = message.topVia;
      if (via) this.alias(conn, via);
    }
  }

  connectionClosed(conn: TcpConnection): void {
    this.all.delete(conn);
    for (const key of conn.keys) {
      if (this.connections.get(key) === conn) this.connections.delete(key);
    }
  }

  connectionFramingError(conn: TcpConnection, error: SipDecodeError): void {
    if (error.isRequest && error.method !== 'ACK' && error.headers) {
      this.answerUndecodable(error.headers, error.status, error.reason, conn.remote);
    }
  }

  // ——— internals ———

  private accept(socket: net.Socket): void {
    const address = socket.remoteAddress ?? '';
    const port = socket.remotePort ?? 0;
    if (this.closed || !address.startsWith('127.')) {
      socket.destroy();
      return;
    }
    const remote = { address, port };
    const conn = new TcpConnection(
      this,
      socket,
      remote,
      true,
      this.clock,
      this.idleTimeoutMs,
      this.maxMessageBytes,
    );
    this.track(conn, endpointKey(remote));
  }

  private connect(remote: Endpoint, key: string): TcpConnection {
    // Outgoing connections leave from the node's own address, so the peer sees who we are.
    const socket = net.connect({ host: remote.address, port: remote.port, localAddress: this.local.address });
    const conn = new TcpConnection(
      this,
      socket,
      remote,
      false,
      this.clock,
      this.idleTimeoutMs,
      this.maxMessageBytes,
    );
    this.track(conn, key);
    return conn;
  }

  private track(conn: TcpConnection, key: string): void {
    this.all.add(conn);
    conn.keys.push(key);
    this.connections.set(key, conn);
  }

  /**
   * An inbound connection also serves requests back to the peer's advertised address (its Via
   * sent-by), when that is the address the connection comes from: the spirit of RFC 3261
   * §18.2.2 reuse and of RFC 5923 aliasing, limited to the same IP so nothing is hijacked.
   */
  private alias(conn: TcpConnection, via: Via): void {
    if (via.port === undefined || !isIpv4Literal(via.host) || via.host !== conn.remote.address) return;
    const key = `${via.host}:${via.port}`;
    if (this.connections.has(key)) return;
    conn.keys.push(key);
    this.connections.set(key, conn);
  }
}
