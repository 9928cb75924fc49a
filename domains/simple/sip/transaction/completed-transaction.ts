import type { Endpoint, Transport } from '../transport/transport.ts';
import { TimerNode, type TimerOwner } from './timer-queue.ts';

// The Completed state of a non-INVITE transaction over UDP, kept compact. RFC 3261 §17.1.2.2 and
// §17.2.2 hold a finished transaction for Timer K (T4 = 5 s, client) or Timer J (64*T1 = 32 s,
// server) only to absorb retransmissions: the client drops retransmitted responses, the server
// resends its final response. That needs the key, the final response's bytes and where they
// went — not the parsed request, the response object or the TU's handler. At thousands of
// transactions per second, J alone would otherwise keep ~32 s worth of parsed messages alive.
// The transaction object hands its Completed state over to this record; the layer files the
// record under the same key and it ends the transaction when its timer fires.

export interface CompletedHost {
  transactionTerminated(tx: { readonly key: string; readonly cancelKey?: string | undefined }): void;
}

export class CompletedTransaction implements TimerOwner {
  readonly kind = 'completed' as const;
  readonly state = 'completed' as const;
  readonly timer = new TimerNode(this, 0);

  constructor(
    private readonly host: CompletedHost,
    readonly key: string,
    readonly cancelKey: string | undefined,
    /** The final response's To value, whose tag a CANCEL's 200 reuses (RFC 3261 §9.2). */
    private readonly toHeader: string | undefined,
    private readonly bytes: Buffer | undefined,
    private readonly remote: Endpoint | undefined,
    private readonly transport: Transport | undefined,
  ) {}

  get toTag(): string | undefined {
    return this.toHeader === undefined ? undefined : /;\s*tag\s*=\s*([^;\s]+)/i.exec(this.toHeader)?.[1];
  }

  /** Server side: "the last final response MUST be passed to the transport layer" (§17.2.2). */
  receiveRetransmission(): void {
    if (this.bytes && this.remote && this.transport) this.transport.send(this.bytes, this.remote);
  }

  /** Client side: Completed buffers response retransmissions, i.e. drops them (§17.1.2.2). */
  receiveResponse(): void {}

  /** J or K fired: "...MUST transition to the "Terminated" state." */
  onTimer(): void {
    this.host.transactionTerminated(this);
  }
}
