import type { SipRequest, SipResponse } from '../message/sip-message.ts';
import type { InboundMessage, TransportProtocol } from '../transport/transport.ts';
import type { TransportError } from '../transport/transport-errors.ts';
import type { TransactionError } from './transaction-errors.ts';

// The transaction layer's upward interface (RFC 3261 §17: the "transaction user", TU). The user
// agent core, a proxy or a test implements TransactionUser; it talks down through
// TransactionLayer (sendRequest, respond, sendStatelessResponse, sendStatelessRequest).

/** Where a request goes: a next hop already resolved to a loopback IP by the routing above. */
export interface RequestTarget {
  protocol: TransportProtocol;
  address: string;
  port: number;
}

/** A server transaction as the TU sees it: the request, where it came from, and `respond`. */
export interface ServerTransaction {
  readonly kind: 'nist' | 'ist';
  readonly request: SipRequest;
  /** Transport, local and remote address of the request. */
  readonly inbound: InboundMessage;
  readonly state: string;
  /**
   * Sends a response through the transaction (RFC 3261 §17.2). Returns undefined when sent, or
   * why not (a final response already sent, RFC 4320 provisional rule, transport refusal).
   */
  respond(response: SipResponse): TransactionError | undefined;
}

/** A client transaction as its owner sees it. */
export interface ClientTransaction {
  readonly kind: 'nict';
  readonly request: SipRequest;
  readonly state: string;
  /** The branch of the Via this layer added (RFC 3261 §8.1.1.7); CANCEL reuses it. */
  readonly branch: string;
  readonly target: RequestTarget;
  /** Set when the final answer was synthesized because of a transport failure. */
  readonly transportError: TransportError | undefined;
  /** True when the final answer is the synthesized 408 of Timer F. */
  readonly timedOut: boolean;
}

/**
 * Receives the responses of one client transaction: provisional ones as they come, then exactly
 * one final response — from the network, or synthesized: 408 when Timer F fires (RFC 3261
 * §17.1.2.2, §8.1.3.1) and 503 (or the catalogue's status) on a transport failure (§17.1.4).
 * `inbound` is undefined for a synthesized response.
 */
export interface ClientTransactionHandler {
  onResponse(response: SipResponse, tx: ClientTransaction, inbound: InboundMessage | undefined): void;
}

export interface TransactionUser {
  /**
   * A new request created a server transaction (every method but ACK, and INVITE only when
   * `allow` lists it). The TU answers with `tx.respond(...)`.
   */
  onRequest(tx: ServerTransaction, request: SipRequest, inbound: InboundMessage): void;
  /** Methods the TU implements, for the `Allow` of a 501; INVITE reaches the TU only if listed. */
  readonly allow?: readonly string[];
  /** An ACK that matched no server transaction: the ACK for a 2xx (RFC 3261 §17.2.3, §13.3.1.4). */
  onAck?(request: SipRequest, inbound: InboundMessage): void;
  /** A response that matched no client transaction (a 2xx retransmission; a proxy forwards it). */
  onStrayResponse?(response: SipResponse, inbound: InboundMessage): void;
  /**
   * A CANCEL matched an INVITE server transaction that has not answered yet (RFC 3261 §9.2). The
   * layer has already answered the CANCEL 200; the TU should answer the INVITE 487. Without this
   * hook the layer answers 487 itself.
   */
  onCancel?(tx: ServerTransaction, cancel: SipRequest): void;
  /** Timer H fired: the ACK for a non-2xx final response never came (RFC 3261 §17.2.1). */
  onTimeout?(tx: ServerTransaction): void;
  /** A response could not be delivered (RFC 3261 §17.2.4: "inform the TU"). */
  onTransportError?(tx: ServerTransaction, error: TransportError): void;
}
