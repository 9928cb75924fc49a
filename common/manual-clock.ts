import type { Clock, TimerHandle } from './clock.ts';

interface Pending {
  at: number;
  seq: number;
  fire: () => void;
  cancelled: boolean;
}

/** A Clock that moves only when told to: `advance(ms)` fires every timer due, in order. */
export class ManualClock implements Clock {
  private current = 0;
  private seq = 0;
  private pending: Pending[] = [];

  constructor(private readonly wallOrigin = Date.UTC(2026, 0, 1)) {}

  now(): number {
    return this.current;
  }

  wallNow(): number {
    return this.wallOrigin + this.current;
  }

  setTimer(delayMs: number, fire: () => void): TimerHandle {
    const entry: Pending = {
      at: this.current + Math.max(0, delayMs),
      seq: this.seq++,
      fire,
      cancelled: false,
    };
    this.pending.push(entry);
    return {
      cancel: () => {
        entry.cancelled = true;
      },
    };
  }

  /** Moves time forward by `ms`, firing due timers in time order (timers set by timers included). */
  advance(ms: number): void {
    const target = this.current + ms;
    for (;;) {
      let next: Pending | undefined;
      for (const p of this.pending) {
        if (p.cancelled || p.at > target) continue;
        if (!next || p.at < next.at || (p.at === next.at && p.seq < next.seq)) next = p;
      }
      if (!next) break;
      this.current = next.at;
      next.cancelled = true;
      next.fire();
    }
    this.pending = this.pending.filter((p) => !p.cancelled);
    this.current = target;
  }

  /** Number of timers still armed; tests use it to prove a state machine cleaned up. */
  get armed(): number {
    return this.pending.filter((p) => !p.cancelled).length;
  }
}
