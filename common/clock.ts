// Time as an injected dependency: every object that owns a timer (SIP Timers E/F/J/K/N,
// subscription and publication expiry, IMPS KeepAlive) takes a Clock, so tests step time
// instead of waiting for it.

export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds on a monotonic scale (only differences are meaningful). */
  now(): number;
  /** Wall-clock time, for Date headers and trace timestamps. */
  wallNow(): number;
  setTimer(delayMs: number, fire: () => void): TimerHandle;
}

class SystemTimer implements TimerHandle {
  constructor(private readonly timeout: NodeJS.Timeout) {}
  cancel(): void {
    clearTimeout(this.timeout);
  }
}

export const systemClock: Clock = {
  now: () => performance.now(),
  wallNow: () => Date.now(),
  setTimer(delayMs, fire) {
    const t = setTimeout(fire, delayMs);
    // A pending protocol timer must never keep a process alive on its own.
    t.unref();
    return new SystemTimer(t);
  },
};
