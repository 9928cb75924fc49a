import dgram from 'node:dgram';
import { checkDestination } from './loopback-guard.ts';
import type { Endpoint, SendErrorListener } from './transport.ts';
import { TransportBase } from './transport-base.ts';
import { type TransportError, transportError } from './transport-errors.ts';

// SIP over UDP (RFC 3261 §18): one socket bound to the node's loopback address; responses leave
// from it too, so they come from the address:port the request was sent to (RFC 3581 §4 relies on
// that symmetry).

/** The largest UDP payload over IPv4. */
const MAX_DATAGRAM = 65_507;

export class UdpTransport extends TransportBase {
  readonly protocol = 'udp' as const;
  readonly reliable = false;
  private socket: dgram.Socket | undefined;
  private closed = false;

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
