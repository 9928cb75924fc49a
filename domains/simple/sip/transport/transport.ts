import type { Endpoint } from '../../../../common/trace.ts';
import type { SipMessage } from '../message/sip-message.ts';
import type { TransportError } from './transport-errors.ts';

// The transport layer of RFC 3261 §18 as seen from the transaction layer above it: bytes go down
// to an address, decoded messages come up with the address they came from. One small upward
// interface (TransportListener), one downward one (Transport); UDP and TCP swap behind them.

export type { Endpoint };

export type TransportProtocol = 'udp' | 'tcp';

/** A message that arrived and decoded; requests already carry RFC 3581 `received`/`rport`. */
export interface InboundMessage {
  readonly message: SipMessage;
  /** The bytes as received (one framed message on TCP). */
  readonly bytes: Buffer;
  readonly protocol: TransportProtocol;
  /** The transport it arrived on: responses to it go back through the same one. */
  readonly transport: Transport;
  readonly local: Endpoint;
  /** The packet source (UDP) or the connection's far end (TCP). */
  readonly remote: Endpoint;
}

/** The single upward interface of a transport (STYLE lesson 2). */
export interface TransportListener {
  onMessage(inbound: InboundMessage): void;
}

/**
 * Told when a send that was accepted fails later (connection refused, reset, socket error).
 * Synchronous refusals (loopback guard, closed transport) are the return value of `send` instead,
 * so a state machine is never re-entered from inside its own send call.
 */
export interface SendErrorListener {
  onSendError(error: TransportError, remote: Endpoint): void;
}

export interface Transport {
  readonly protocol: TransportProtocol;
  /** True for TCP: Timers E/G are not run and K/J/I/D are zero (RFC 3261 §17). */
  readonly reliable: boolean;
  /** The bound address; the port is known after `listen()` resolves (port 0 allowed). */
  readonly local: Endpoint;
  /** The node name reported with every trace event. */
  readonly node: string;
  listen(): Promise<Endpoint>;
  close(): Promise<void>;
  setListener(listener: TransportListener): void;
  /**
   * Sends one encoded message. Returns a TransportError when refused at once (destination
   * outside 127.0.0.0/8, not an IP literal, transport closed, too large), else undefined; a later
   * failure goes to `onError` (an object, so a transaction passes itself and no closure is made).
   */
  send(bytes: Buffer, remote: Endpoint, onError?: SendErrorListener): TransportError | undefined;
  /** TCP: whether a connection to `remote` is open now (RFC 3261 §18.2.2 reuse); UDP: false. */
  hasConnection(remote: Endpoint): boolean;
}

/** `address:port`, the key connections and RFC 3581 routing use. */
export function endpointKey(e: Endpoint): string {
  return `${e.address}:${e.port}`;
}
