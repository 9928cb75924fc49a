// Coalescing of SSP session transactions toward one peer. An SSP message may carry several
// Transaction elements in its Session (the CSP envelope's Transaction+, imps.md §10), and each
// is answered on its own. Transactions go out at once while fewer than `maxInFlight` POSTs
// to the peer are unacknowledged; past that they wait and leave together in the next POST.
// So a quiet link adds no delay, and a busy one pays one HTTP exchange per batch instead of
// one per notification or answer (Nagle's idea, bounded by count and by bytes).
import type { SspTransaction } from './ssp-model.ts';

export interface SspOutboxOptions {
  /** POSTs to the peer that may await their HTTP acknowledgement at once. */
  maxInFlight: number;
  /** Most transactions in one POST. */
  maxBatch: number;
}

/** Sends one batch; calls `done` exactly once when its HTTP exchange has ended, however it ended. */
export type SendBatch = (transactions: SspTransaction[], done: () => void) => void;

export class SspOutbox {
  private queue: SspTransaction[] = [];
  private inFlight = 0;

  constructor(
    private readonly send: SendBatch,
    private readonly options: SspOutboxOptions,
  ) {}

  get waiting(): number {
    return this.queue.length;
  }

  get posting(): number {
    return this.inFlight;
  }

  push(transaction: SspTransaction): void {
    this.queue.push(transaction);
    if (this.inFlight < this.options.maxInFlight) this.flush();
  }

  /** Drops what waits (the endpoint stops); returns it so requests can be failed. */
  drain(): SspTransaction[] {
    const dropped = this.queue;
    this.queue = [];
    return dropped;
  }

  private flush(): void {
    while (this.queue.length > 0 && this.inFlight < this.options.maxInFlight) {
      const batch =
        this.queue.length <= this.options.maxBatch ? this.queue : this.queue.slice(0, this.options.maxBatch);
      this.queue = batch === this.queue ? [] : this.queue.slice(this.options.maxBatch);
      this.inFlight++;
      let ended = false;
      this.send(batch, () => {
        if (ended) return;
        ended = true;
        this.inFlight--;
        this.flush();
      });
    }
  }
}
