// One IMPS session (imps.md §13 item 3): who, which client, the negotiated capabilities and
// functions, the KeepAliveTime deadline on the injected Clock, and the per-session queue of
// server-initiated transactions (§13 item 4) that polls drain and client Responses retire.
import type { Clock, TimerHandle } from '../../../common/clock.ts';
import type { CspEncoding, CspVersion } from '../csp/csp-version.ts';
import type { CspPrimitive } from '../csp/model/primitives.ts';

export type DeliveryMethod = 'P' | 'N';
export type CirMethod = 'STCP' | 'SUDP' | 'SHTTP';

export interface OutboundTransaction {
  transactionId: string;
  primitive: CspPrimitive;
  /** Clock time of the last send; undefined until first sent. */
  sentAt?: number;
  /** Called when the client's Response with this TransactionID arrives. */
  onResponse?: (response: CspPrimitive) => void;
}

export interface SessionCapabilities {
  deliveryMethod: DeliveryMethod;
  cirMethods: CirMethod[];
  udpPort?: number;
  multiTrans: number;
}

export class ImpsSession {
  readonly queue: OutboundTransaction[] = [];
  capabilities: SessionCapabilities = { deliveryMethod: 'P', cirMethods: [], multiTrans: 1 };
  /** Undefined until Service negotiation; then only these function codes may be used (506). */
  agreedFunctions: Set<string> | undefined;
  /** Version and encoding of the client's last message: server requests go out in them. */
  version: CspVersion;
  encoding: CspEncoding;
  /** Source address of the last request (the access network, for PLMN/roaming). */
  remoteAddress: string;
  /** Where SUDP wake-ups go: the terminal itself, also when it comes through a relay. */
  cirAddress: string;
  roaming: boolean;
  /** Called whenever a transaction is queued while nothing was waiting unsent (CIR wake-up). */
  wake: ((session: ImpsSession) => void) | undefined;
  private timer: TimerHandle | undefined;
  private closed = false;

  constructor(
    readonly sessionId: string,
    readonly userId: string,
    readonly clientId: string,
    readonly cookie: string,
    public keepAliveSeconds: number,
    init: {
      version: CspVersion;
      encoding: CspEncoding;
      remoteAddress: string;
      cirAddress?: string;
      roaming: boolean;
    },
    private readonly clock: Clock,
    private readonly onExpire: (session: ImpsSession) => void,
  ) {
    this.version = init.version;
    this.encoding = init.encoding;
    this.remoteAddress = init.remoteAddress;
    this.cirAddress = init.cirAddress ?? init.remoteAddress;
    this.roaming = init.roaming;
    this.touch();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** imps.md §2.1: any request refreshes the KeepAliveTime deadline. */
  touch(): void {
    if (this.closed) return;
    this.timer?.cancel();
    this.timer = this.clock.setTimer(this.keepAliveSeconds * 1000, () => {
      if (this.closed) return;
      this.onExpire(this);
    });
  }

  close(): void {
    this.closed = true;
    this.timer?.cancel();
    this.timer = undefined;
    this.wake = undefined;
  }

  enqueue(tx: OutboundTransaction): void {
    if (this.closed) return;
    const hadUnsent = this.hasUnsent();
    this.queue.push(tx);
    if (!hadUnsent) this.wake?.(this);
  }

  hasUnsent(): boolean {
    return this.queue.some((t) => t.sentAt === undefined);
  }

  /**
   * Transactions to put in the answer to a Polling-Request: never sent, or sent more than
   * `resendAfterMs` ago without an answer (§13 item 4 "re-send otherwise"), at most MultiTrans.
   */
  takeForPoll(now: number, resendAfterMs: number): OutboundTransaction[] {
    const out: OutboundTransaction[] = [];
    for (const t of this.queue) {
      if (out.length >= Math.max(1, this.capabilities.multiTrans)) break;
      if (t.sentAt === undefined || now - t.sentAt >= resendAfterMs) {
        t.sentAt = now;
        out.push(t);
      }
    }
    return out;
  }

  /** Retires the transaction the client answered; returns it when it was ours. */
  retire(transactionId: string | undefined): OutboundTransaction | undefined {
    if (transactionId === undefined) return undefined;
    const i = this.queue.findIndex((t) => t.transactionId === transactionId);
    if (i < 0) return undefined;
    const [t] = this.queue.splice(i, 1);
    return t;
  }
}
