import { checkDestination } from '../../domains/simple/sip/transport/loopback-guard.ts';
import {
  type Endpoint,
  endpointKey,
  type SendErrorListener,
  type TransportProtocol,
} from '../../domains/simple/sip/transport/transport.ts';
import { TransportBase, type TransportOptions } from '../../domains/simple/sip/transport/transport-base.ts';
import { type TransportError, transportError } from '../../domains/simple/sip/transport/transport-errors.ts';

// An in-memory SIP network for layer tests inside one node (STYLE lesson 12): transports that
// implement the real Transport interface and run the real receive path (decode, RFC 3581
// stamping, stateless answers, trace), but hand bytes to each other instead of to sockets.
// Node-to-node tests use real sockets; this is only for stepping transactions with ManualClock.

export interface SentRecord {
  from: Endpoint;
  to: Endpoint;
  protocol: TransportProtocol;
  bytes: Buffer;
  text: string;
}

export class InMemoryNetwork {
  private readonly endpoints = new Map<string, InMemoryTransport>();
  /** Every datagram handed to the network, in order (dropped ones included). */
  readonly sent: SentRecord[] = [];
  /** Return true to lose a message (models UDP loss). */
  drop: (record: SentRecord) => boolean = () => false;
  private queue: Array<{ to: InMemoryTransport; bytes: Buffer; from: Endpoint }> = [];

  transport(options: TransportOptions & { protocol?: TransportProtocol }): InMemoryTransport {
    return new InMemoryTransport(this, options, options.protocol ?? 'udp');
  }

  register(t: InMemoryTransport): void {
    this.endpoints.set(`${t.protocol}/${endpointKey(t.local)}`, t);
  }

  unregister(t: InMemoryTransport): void {
    this.endpoints.delete(`${t.protocol}/${endpointKey(t.local)}`);
  }

  post(from: InMemoryTransport, to: Endpoint, bytes: Buffer): void {
    const record: SentRecord = {
      from: from.local,
      to,
      protocol: from.protocol,
      bytes,
      text: bytes.toString('latin1'),
    };
    this.sent.push(record);
    if (this.drop(record)) return;
    const target = this.endpoints.get(`${from.protocol}/${endpointKey(to)}`);
    if (target) this.queue.push({ to: target, bytes, from: from.local });
  }

  /** Delivers everything queued, including what deliveries cause. Returns how many were delivered. */
  deliver(): number {
    let n = 0;
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      for (const item of batch) {
        item.to.inject(item.bytes, item.from);
        n++;
      }
    }
    return n;
  }

  /** Messages sent to `to` whose first line starts with `startLine`. */
  sentTo(to: Endpoint, startLine: string): SentRecord[] {
    return this.sent.filter((r) => endpointKey(r.to) === endpointKey(to) && r.text.startsWith(startLine));
  }
}

export class InMemoryTransport extends TransportBase {
  readonly reliable: boolean;
  /** Remote endpoints this transport "has a connection" to (TCP-like behaviour). */
  readonly open = new Set<string>();
  /** Make the next sends fail asynchronously with this error (a refused TCP connect). */
  failNextSends: TransportError | undefined;
  private listening = false;

  constructor(
    private readonly network: InMemoryNetwork,
    options: TransportOptions,
    readonly protocol: TransportProtocol,
  ) {
    super(options);
    this.reliable = protocol === 'tcp';
  }

  async listen(): Promise<Endpoint> {
    const refusal = this.bindRefusal();
    if (refusal) throw refusal;
    this.listening = true;
    this.network.register(this);
    return this.local;
  }

  async close(): Promise<void> {
    this.listening = false;
    this.network.unregister(this);
  }

  send(bytes: Buffer, remote: Endpoint, onError?: SendErrorListener): TransportError | undefined {
    const refused = checkDestination(remote);
    if (refused) return refused;
    if (!this.listening) return transportError('SIP_ERR_TRANSPORT_CLOSED');
    const failure = this.failNextSends;
    if (failure) {
      queueMicrotask(() => onError?.onSendError(failure, remote));
      return undefined;
    }
    this.trace('tx', bytes, remote);
    this.network.post(this, remote, bytes);
    return undefined;
  }

  hasConnection(remote: Endpoint): boolean {
    return this.open.has(endpointKey(remote));
  }

  /** Called by the network: the same receive path as a socket's. */
  inject(bytes: Buffer, from: Endpoint): void {
    if (this.reliable) this.open.add(endpointKey(from));
    this.receive(bytes, from);
  }
}
