import dgram from 'node:dgram';
import { checkDestination } from './loopback-guard.ts';
import type { Endpoint, SendErrorListener } from './transport.ts';
import { TransportBase, type TransportOptions } from './transport-base.ts';
import { type TransportError, transportError } from './transport-errors.ts';

// SIP over UDP (RFC 3261 §18): one socket bound to the node's loopback address; responses leave
// from it too, so they come from the address:port the request was sent to (RFC 3581 §4 relies on
// that symmetry).

/** The largest UDP payload over IPv4. */
const MAX_DATAGRAM = 65_507;

export interface UdpTransportOptions extends TransportOptions {
  /** SO_RCVBUF / SO_SNDBUF to ask for. Default 1 MiB. */
  socketBufferBytes?: number;
}

export const DEFAULT_UDP_SOCKET_BUFFER = 1 << 20;

export class UdpTransport extends TransportBase {
  readonly protocol = 'udp' as const;
  readonly reliable = false;
  private readonly socketBufferBytes: number;
  private socket: dgram.Socket | undefined;
  private closed = false;

  constructor(options: UdpTransportOptions) {
    super(options);
    this.socketBufferBytes = options.socketBufferBytes ?? DEFAULT_UDP_SOCKET_BUFFER;
  }

  listen(): Promise<Endpoint> {
    const refusal = this.bindRefusal();
    if (refusal) return Promise.reject(refusal);
    const socket = dgram.createSocket({ type: 'udp4' });
    this.socket = socket;
    socket.on('message', (msg, rinfo) => {
      try {
        this.receive(msg, { address: rinfo.address, port: rinfo.port });
      } catch {
        // Nothing a peer sends may take the node down; the trace already holds the bytes.
      }
    });
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(this.local.port, this.local.address, () => {
        socket.off('error', reject);
        // UDP errors after bind (e.g. ENOBUFS) concern one datagram, never the socket's life.
        socket.on('error', () => {});
        // A busy node drains its socket late; a deeper buffer turns bursts into delay instead of
        // loss (and Timer E stalls). The kernel caps it at net.core.rmem_max / wmem_max.
        try {
          socket.setRecvBufferSize(this.socketBufferBytes);
          socket.setSendBufferSize(this.socketBufferBytes);
        } catch {
          // Keep the system default.
        }
        const a = socket.address();
        this.local = { address: a.address, port: a.port };
        resolve(this.local);
      });
    });
  }

  close(): Promise<void> {
    this.closed = true;
    const socket = this.socket;
    this.socket = undefined;
    if (!socket) return Promise.resolve();
    return new Promise((resolve) => socket.close(() => resolve()));
  }

  /**
   * Fire and forget: an unconnected UDP socket learns nothing back (no ICMP in Node), so apart
   * from the synchronous refusals below, `onError` is never called for UDP.
   */
  send(bytes: Buffer, remote: Endpoint, _onError?: SendErrorListener): TransportError | undefined {
    const refused = checkDestination(remote);
    if (refused) return refused;
    const socket = this.socket;
    if (!socket || this.closed) return transportError('SIP_ERR_TRANSPORT_CLOSED');
    if (bytes.length > MAX_DATAGRAM)
      return transportError('SIP_ERR_TRANSPORT_TOO_LARGE', `${bytes.length} bytes`);
    this.trace('tx', bytes, remote);
    socket.send(bytes, remote.port, remote.address);
    return undefined;
  }

  hasConnection(_remote: Endpoint): boolean {
    return false;
  }
}
