import type { Clock } from '../../../../common/clock.ts';
import type { IdSource } from '../../../../common/ids.ts';
import type { SipResponse } from '../message/sip-message.ts';
import type { Endpoint, InboundMessage, SendErrorListener } from '../transport/transport.ts';
import type { TransportError } from '../transport/transport-errors.ts';
import type { CompletedTransaction } from './completed-transaction.ts';
import type { TimerQueue } from './timer-queue.ts';
import type { TimerValues } from './timer-values.ts';
import type { ServerTransaction, TransactionUser } from './transaction-user.ts';

/** What a state machine needs from the layer that owns it (the layer implements it). */
export interface TransactionHost {
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly timers: TimerQueue;
  readonly timerValues: TimerValues;
  readonly tu: TransactionUser;
  /**
   * Encodes a response and sends it where RFC 3261 §18.2.2 / RFC 3581 say, on the transport the
   * request came in on. Returns what was sent (kept for retransmission) or the refusal.
   */
  sendResponse(
    response: SipResponse,
    request: InboundMessage,
    onError: SendErrorListener,
  ): SentResponse | TransportError;
  /**
   * Files the compact Completed record in place of `tx` and arms its timer (J or K): the
   * transaction object itself is no longer needed to absorb retransmissions.
   */
  retire(tx: { readonly key: string }, record: CompletedTransaction, delayMs: number): void;
  /** Removes a terminated transaction from the matching tables. */
  transactionTerminated(tx: { readonly key: string; readonly cancelKey?: string | undefined }): void;
  /** RFC 3261 §17.2.4: a server transaction could not send; the TU is told. */
  serverTransportError(tx: ServerTransaction, error: TransportError): void;
}

export interface SentResponse {
  readonly bytes: Buffer;
  readonly remote: Endpoint;
}

export function isTransportError(x: SentResponse | TransportError): x is TransportError {
  return (x as TransportError).code !== undefined;
}
