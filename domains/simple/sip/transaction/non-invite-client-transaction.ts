import type { SipRequest, SipResponse } from '../message/sip-message.ts';
import type { Endpoint, InboundMessage, SendErrorListener, Transport } from '../transport/transport.ts';
import type { TransportError } from '../transport/transport-errors.ts';
import { CompletedTransaction } from './completed-transaction.ts';
import { createResponse } from './response-factory.ts';
import { TimerNode, type TimerOwner } from './timer-queue.ts';
import { transactionTimeout } from './timer-values.ts';
import type { TransactionHost } from './transaction-host.ts';
import type { ClientTransaction, ClientTransactionHandler, RequestTarget } from './transaction-user.ts';

// RFC 3261 §17.1.2: the non-INVITE client transaction (Figure 6).
//
//   Trying --1xx--> Proceeding --200-699--> Completed --Timer K--> Terminated
//                                  (Completed over UDP: see completed-transaction.ts)
//     |  \__________________200-699_____________^                    ^
//     +--Timer F or transport error (408/503 to the TU)--------------+

export type NonInviteClientState = 'trying' | 'proceeding' | 'completed' | 'terminated';

const TIMER_E = 0;
const TIMER_F = 1;

export class NonInviteClientTransaction implements ClientTransaction, TimerOwner, SendErrorListener {
  readonly kind = 'nict' as const;
  state: NonInviteClientState = 'trying';
  transportError: TransportError | undefined = undefined;
  timedOut = false;
  private readonly timerE = new TimerNode(this, TIMER_E);
  private readonly timerF = new TimerNode(this, TIMER_F);
  private intervalE: number;

  constructor(
    private readonly host: TransactionHost,
    readonly key: string,
    readonly branch: string,
    readonly request: SipRequest,
    private readonly bytes: Buffer,
    private readonly transport: Transport,
    readonly target: RequestTarget,
    private readonly handler: ClientTransactionHandler,
  ) {
    this.intervalE = host.timerValues.t1;
  }

  /** Sends the request; a refusal on the spot becomes the synthesized final response. */
  start(): void {
    const t = this.host.timerValues;
    // §17.1.2.2: "The "Trying" state is entered when the TU initiates a new client transaction
    // with a request. When entering this state, the client transaction SHOULD set timer F to fire
    // in 64*T1 seconds. The request MUST be passed to the transport layer for transmission. If an
    // unreliable transport is in use, the client transaction MUST set timer E to fire in T1".
    this.host.timers.schedule(this.timerF, transactionTimeout(t));
    if (!this.transport.reliable) this.host.timers.schedule(this.timerE, this.intervalE);
    const refused = this.transport.send(this.bytes, this.target, this);
    if (refused) {
      // Reported on a microtask so the owner sees sendRequest return before the answer.
      queueMicrotask(() => this.onSendError(refused, this.target));
    }
  }

  onTimer(kind: number): void {
    const t = this.host.timerValues;
    if (kind === TIMER_E) {
      if (this.state === 'trying') {
        // §17.1.2.2: "If timer E fires while still in this state, the timer is reset, but this
        // time with a value of MIN(2*T1, T2). When the timer fires again, it is reset to a
        // MIN(4*T1, T2). This process continues so that retransmissions occur with an
        // exponentially increasing interval that caps at T2."
        this.intervalE = Math.min(2 * this.intervalE, t.t2);
      } else if (this.state === 'proceeding') {
        // §17.1.2.2: "If Timer E fires while in the Proceeding state, the request MUST be passed
        // to the transport layer for retransmission, and Timer E MUST be reset with a value of T2".
        this.intervalE = t.t2;
      } else {
        return;
      }
      this.transport.send(this.bytes, this.target, this);
      this.host.timers.schedule(this.timerE, this.intervalE);
    } else if (kind === TIMER_F) {
      if (this.state !== 'trying' && this.state !== 'proceeding') return;
      // §17.1.2.2: "If Timer F fires while the client transaction is still in the "Trying"
      // state, the client transaction SHOULD inform the TU about the timeout, and then it SHOULD
      // enter the "Terminated" state." (Same sentence for Proceeding.) §8.1.3.1: treat as 408.
      this.timedOut = true;
      this.terminate();
      this.handler.onResponse(
        createResponse(this.request, 408, 'Request Timeout', this.host.ids),
        this,
        undefined,
      );
    }
  }

  /** A response whose branch and CSeq method matched this transaction (§17.1.3). */
  receiveResponse(response: SipResponse, inbound: InboundMessage): void {
    const status = response.status;
    if (this.state === 'trying' || this.state === 'proceeding') {
      if (status < 200) {
        // §17.1.2.2: "If a provisional response is received while in the "Trying" state, the
        // response MUST be passed to the TU, and then the client transaction SHOULD move to the
        // "Proceeding" state." In Proceeding: "...any provisional responses MUST be passed to
        // the TU".
        this.state = 'proceeding';
        this.handler.onResponse(response, this, inbound);
        return;
      }
      // §17.1.2.2: "If a final response (status codes 200-699) is received while in the "Trying"
      // [or "Proceeding"] state, the response MUST be passed to the TU, and the client
      // transaction MUST transition to the "Completed" state."
      // "Once the client transaction enters the "Completed" state, it MUST set Timer K to fire
      // in T4 seconds for unreliable transports, and zero seconds for reliable transports."
      // Over UDP the Completed state is handed to a compact record that holds the key only.
      // The tables are settled before the TU runs, so a throwing TU cannot leave a stale entry.
      this.stopTimers();
      if (this.transport.reliable) {
        this.terminate();
      } else {
        this.state = 'completed';
        const record = new CompletedTransaction(
          this.host,
          this.key,
          undefined,
          undefined,
          undefined,
          undefined,
          undefined,
        );
        this.host.retire(this, record, this.host.timerValues.t4);
      }
      this.handler.onResponse(response, this, inbound);
      return;
    }
    // §17.1.2.2: Completed: "...it buffers any additional response retransmissions that may be
    // received (which is why the client transaction remains there only for unreliable transports)".
  }

  onSendError(error: TransportError, _remote: Endpoint): void {
    if (this.state !== 'trying' && this.state !== 'proceeding') return;
    // §17.1.4: "...the client transaction SHOULD inform the TU that a transport failure has
    // occurred, and the client transaction SHOULD transition directly to the "Terminated"
    // state." §8.1.3.1: the TU treats it as a 503.
    this.transportError = error;
    this.terminate();
    this.handler.onResponse(
      createResponse(this.request, error.status, error.reason, this.host.ids),
      this,
      undefined,
    );
  }

  private stopTimers(): void {
    this.host.timers.cancel(this.timerE);
    this.host.timers.cancel(this.timerF);
  }

  private terminate(): void {
    if (this.state === 'terminated') return;
    this.state = 'terminated';
    this.stopTimers();
    this.host.transactionTerminated(this);
  }
}
