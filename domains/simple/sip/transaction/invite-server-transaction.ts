import type { SipRequest, SipResponse } from '../message/sip-message.ts';
import type { Endpoint, InboundMessage, SendErrorListener } from '../transport/transport.ts';
import type { TransportError } from '../transport/transport-errors.ts';
import { createResponse } from './response-factory.ts';
import { TimerNode, type TimerOwner } from './timer-queue.ts';
import { transactionTimeout } from './timer-values.ts';
import { type TransactionError, transactionError } from './transaction-errors.ts';
import { isTransportError, type TransactionHost } from './transaction-host.ts';
import type { ServerTransaction } from './transaction-user.ts';

// RFC 3261 §17.2.1: the INVITE server transaction (Figure 7), with RFC 6026's "Accepted" state
// for 2xx. The lab's roles do not run sessions; this machine exists so an INVITE gets a proper
// final answer (501, 486, 487 …) that is retransmitted until ACKed.
//
//   Proceeding --300-699--> Completed --ACK--> Confirmed --Timer I--> Terminated
//       |                       \--Timer H (no ACK)---------------------^
//       +--2xx--> Accepted --Timer L--> Terminated  (RFC 6026 §8.5-8.7)

export type InviteServerState = 'proceeding' | 'completed' | 'confirmed' | 'accepted' | 'terminated';

const TIMER_TRYING = 0;
const TIMER_G = 1;
const TIMER_H = 2;
const TIMER_I = 3;
const TIMER_L = 4;

/** §17.2.1: "...unless it knows that the TU will generate a provisional or final response within 200 ms". */
const AUTO_TRYING_MS = 200;

export class InviteServerTransaction implements ServerTransaction, TimerOwner, SendErrorListener {
  readonly kind = 'ist' as const;
  state: InviteServerState = 'proceeding';
  private readonly timerTrying = new TimerNode(this, TIMER_TRYING);
  private readonly timerG = new TimerNode(this, TIMER_G);
  private readonly timerH = new TimerNode(this, TIMER_H);
  private readonly timerI = new TimerNode(this, TIMER_I);
  private readonly timerL = new TimerNode(this, TIMER_L);
  private intervalG: number;
  private lastBytes: Buffer | undefined = undefined;
  private lastRemote: Endpoint | undefined = undefined;
  lastResponse: SipResponse | undefined = undefined;

  constructor(
    private readonly host: TransactionHost,
    readonly key: string,
    readonly request: SipRequest,
    readonly inbound: InboundMessage,
    readonly cancelKey: string | undefined,
  ) {
    this.intervalG = host.timerValues.t1;
    // §17.2.1: "When a server transaction is constructed for a request, it enters the
    // "Proceeding" state. The server transaction MUST generate a 100 (Trying) response unless it
    // knows that the TU will generate a provisional or final response within 200 ms".
    host.timers.schedule(this.timerTrying, AUTO_TRYING_MS);
  }

  get answered(): boolean {
    return this.state !== 'proceeding';
  }

  respond(response: SipResponse): TransactionError | undefined {
    const status = response.status;
    if (this.state === 'terminated') return transactionError('SIP_ERR_TX_TERMINATED');
    // RFC 6026 §8.5: in Accepted, further 2xx from the TU (its own retransmissions) are sent.
    const accepted2xx = this.state === 'accepted' && status >= 200 && status < 300;
    if (this.state !== 'proceeding' && !accepted2xx) return transactionError('SIP_ERR_TX_FINAL_SENT');
    this.host.timers.cancel(this.timerTrying);
    const sent = this.host.sendResponse(response, this.inbound, this);
    if (isTransportError(sent)) {
      this.onSendError(sent, this.inbound.remote);
      return transactionError('SIP_ERR_TX_TRANSPORT');
    }
    this.lastBytes = sent.bytes;
    this.lastRemote = sent.remote;
    this.lastResponse = response;
    if (status < 200 || accepted2xx) return undefined;
    const t = this.host.timerValues;
    if (status < 300) {
      // RFC 6026 §8.5 (replacing §17.2.1's move to Terminated): "If, while in the "Proceeding"
      // state, the TU passes a 2xx response to the server transaction, the server transaction
      // MUST pass this response to the transport layer for transmission ... and the server
      // transaction MUST then transition to the "Accepted" state." Timer L = 64*T1.
      this.state = 'accepted';
      this.host.timers.schedule(this.timerL, transactionTimeout(t));
      return undefined;
    }
    // §17.2.1: "While in the "Proceeding" state, if the TU passes a response with status code
    // from 300 to 699 to the server transaction, the response MUST be passed to the transport
    // layer for transmission, and the state machine MUST enter the "Completed" state. For
    // unreliable transports, timer G is set to fire in T1 seconds ... timer H MUST be set to fire
    // in 64*T1 seconds for all transports."
    this.state = 'completed';
    if (!this.inbound.transport.reliable) this.host.timers.schedule(this.timerG, this.intervalG);
    this.host.timers.schedule(this.timerH, transactionTimeout(t));
    return undefined;
  }

  receiveRetransmission(): void {
    // §17.2.1: "If a request retransmission is received while in the "Proceeding" state, the most
    // recent provisional response that was received from the TU MUST be passed to the transport
    // layer for retransmission." Completed: "...the server SHOULD pass the response to the
    // transport for retransmission." RFC 6026 §8.5: Accepted absorbs INVITE retransmissions.
    if ((this.state === 'proceeding' || this.state === 'completed') && this.lastBytes && this.lastRemote) {
      this.inbound.transport.send(this.lastBytes, this.lastRemote, this);
    }
  }

  /** An ACK matched this transaction (the ACK for a non-2xx final response, §17.2.3). */
  receiveAck(): void {
    if (this.state !== 'completed') return; // Confirmed: "absorb any additional ACK messages".
    // §17.2.1: "If an ACK is received while the server transaction is in the "Completed" state,
    // the server transaction MUST transition to the "Confirmed" state. As Timer G is ignored in
    // this state, any retransmissions of the response will cease." Timer I: T4 (UDP), 0 (TCP).
    this.state = 'confirmed';
    this.host.timers.cancel(this.timerG);
    this.host.timers.cancel(this.timerH);
    if (this.inbound.transport.reliable) this.terminate();
    else this.host.timers.schedule(this.timerI, this.host.timerValues.t4);
  }

  onTimer(kind: number): void {
    const t = this.host.timerValues;
    switch (kind) {
      case TIMER_TRYING:
        if (this.state === 'proceeding' && !this.lastBytes) {
          this.respond(createResponse(this.request, 100, 'Trying', this.host.ids));
        }
        return;
      case TIMER_G:
        // §17.2.1: "If timer G fires, the response is passed to the transport layer once more
        // for retransmission, and timer G is set to fire in MIN(2*T1, T2) seconds."
        if (this.state !== 'completed' || !this.lastBytes || !this.lastRemote) return;
        this.inbound.transport.send(this.lastBytes, this.lastRemote, this);
        this.intervalG = Math.min(2 * this.intervalG, t.t2);
        this.host.timers.schedule(this.timerG, this.intervalG);
        return;
      case TIMER_H:
        // §17.2.1: "If timer H fires while in the "Completed" state, it implies that the ACK was
        // never received. In this case, the server transaction MUST transition to the
        // "Terminated" state, and MUST indicate to the TU that a transaction failure has occurred."
        if (this.state === 'completed') {
          this.terminate();
          this.host.tu.onTimeout?.(this);
        }
        return;
      case TIMER_I:
        // §17.2.1: "Once timer I fires, the server MUST transition to the "Terminated" state."
        if (this.state === 'confirmed') this.terminate();
        return;
      case TIMER_L:
        // RFC 6026 §8.7: "If Timer L fires while the INVITE server transaction is in the
        // "Accepted" state, the transaction MUST transition to the "Terminated" state."
        if (this.state === 'accepted') this.terminate();
        return;
    }
  }

  onSendError(error: TransportError, _remote: Endpoint): void {
    if (this.state === 'terminated') return;
    // §17.2.4: inform the TU and go to Terminated.
    this.terminate();
    this.host.serverTransportError(this, error);
  }

  private terminate(): void {
    if (this.state === 'terminated') return;
    this.state = 'terminated';
    for (const node of [this.timerTrying, this.timerG, this.timerH, this.timerI, this.timerL]) {
      this.host.timers.cancel(node);
    }
    this.lastBytes = undefined;
    this.host.transactionTerminated(this);
  }
}
