import type { SipRequest, SipResponse } from '../message/sip-message.ts';
import type { Endpoint, InboundMessage, SendErrorListener } from '../transport/transport.ts';
import type { TransportError } from '../transport/transport-errors.ts';
import { CompletedTransaction } from './completed-transaction.ts';
import { timeUntilTimerEReachesT2, transactionTimeout } from './timer-values.ts';
import { type TransactionError, transactionError } from './transaction-errors.ts';
import { isTransportError, type TransactionHost } from './transaction-host.ts';
import type { ServerTransaction } from './transaction-user.ts';

// RFC 3261 §17.2.2: the non-INVITE server transaction (Figure 8), with RFC 4320 §4.1.
//
//   Trying --1xx from TU--> Proceeding --200-699 from TU--> Completed --Timer J--> Terminated
//     \__________________200-699 from TU_______________________^
//   (Completed over UDP, where Timer J runs 64*T1: see completed-transaction.ts; "The server
//   transaction remains in this state until Timer J fires, at which point it MUST transition to
//   the "Terminated" state.")

export type NonInviteServerState = 'trying' | 'proceeding' | 'completed' | 'terminated';

export class NonInviteServerTransaction implements ServerTransaction, SendErrorListener {
  readonly kind = 'nist' as const;
  state: NonInviteServerState = 'trying';
  private readonly createdAt: number;
  /** The last response sent: bytes and destination, resent on a request retransmission. */
  private lastBytes: Buffer | undefined = undefined;
  private lastRemote: Endpoint | undefined = undefined;
  /** The last response itself, so a CANCEL's 200 can reuse its To tag (§9.2). */
  lastResponse: SipResponse | undefined = undefined;

  constructor(
    private readonly host: TransactionHost,
    readonly key: string,
    readonly request: SipRequest,
    readonly inbound: InboundMessage,
    readonly cancelKey: string | undefined,
  ) {
    this.createdAt = host.clock.now();
  }

  respond(response: SipResponse): TransactionError | undefined {
    const status = response.status;
    if (this.state === 'completed') return transactionError('SIP_ERR_TX_FINAL_SENT');
    if (this.state === 'terminated') return transactionError('SIP_ERR_TX_TERMINATED');
    if (status < 200) {
      // RFC 4320 §4.1: "A SIP element MUST NOT send any provisional response with a Status-Code
      // other than 100 to a non-INVITE request." and "...MUST NOT respond to a non-INVITE request
      // with a Status-Code of 100 over any unreliable transport, such as UDP, before the amount of
      // time it takes a client transaction's Timer E to be reset to T2."
      if (status !== 100) return transactionError('SIP_ERR_TX_PROVISIONAL_REFUSED');
      const early = this.host.clock.now() - this.createdAt < timeUntilTimerEReachesT2(this.host.timerValues);
      if (!this.inbound.transport.reliable && early)
        return transactionError('SIP_ERR_TX_PROVISIONAL_REFUSED');
    }
    const sent = this.host.sendResponse(response, this.inbound, this);
    if (isTransportError(sent)) {
      this.onSendError(sent, this.inbound.remote);
      return transactionError('SIP_ERR_TX_TRANSPORT');
    }
    this.lastBytes = sent.bytes;
    this.lastRemote = sent.remote;
    this.lastResponse = response;
    if (status < 200) {
      // §17.2.2: "While in the "Trying" state, if the TU passes a provisional response to the
      // server transaction, the server transaction MUST enter the "Proceeding" state."
      this.state = 'proceeding';
      return undefined;
    }
    // §17.2.2: "If the TU passes a final response (status codes 200-699) to the server while in
    // the "Proceeding" state, the transaction MUST enter the "Completed" state" (likewise from
    // Trying). "When the server transaction enters the "Completed" state, it MUST set Timer J to
    // fire in 64*T1 seconds for unreliable transports, and zero seconds for reliable transports."
    this.state = 'completed';
    if (this.inbound.transport.reliable) {
      this.terminate();
      return undefined;
    }
    // Over UDP the Completed state is handed to a compact record: bytes, destination, key.
    const record = new CompletedTransaction(
      this.host,
      this.key,
      this.cancelKey,
      response.headers.get('To'),
      sent.bytes,
      sent.remote,
      this.inbound.transport,
    );
    this.host.retire(this, record, transactionTimeout(this.host.timerValues));
    this.lastBytes = undefined;
    this.lastResponse = undefined;
    return undefined;
  }

  /** The same request arrived again (matched by §17.2.3). */
  receiveRetransmission(): void {
    // §17.2.2: Trying: "...any further request retransmissions are discarded." Proceeding: "If a
    // retransmission of the request is received while in the "Proceeding" state, the most
    // recently sent provisional response MUST be passed to the transport layer for
    // retransmission." Completed: "...whenever a retransmission of the request is received, the
    // last final response MUST be passed to the transport layer for retransmission."
    if ((this.state === 'proceeding' || this.state === 'completed') && this.lastBytes && this.lastRemote) {
      this.inbound.transport.send(this.lastBytes, this.lastRemote, this);
    }
  }

  onSendError(error: TransportError, _remote: Endpoint): void {
    if (this.state === 'terminated') return;
    // §17.2.4: "...the server transaction SHOULD inform the TU that a failure has occurred, and
    // SHOULD transition to the terminated state."
    this.terminate();
    this.host.serverTransportError(this, error);
  }

  private terminate(): void {
    if (this.state === 'terminated') return;
    this.state = 'terminated';
    // Only the bytes were needed for retransmission; drop them with the entry.
    this.lastBytes = undefined;
    this.host.transactionTerminated(this);
  }
}
