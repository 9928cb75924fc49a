// RFC 3261 §17.1.1.1 and Table 4 (Appendix A): T1, T2, T4 and the timers derived from them.
// Configurable because tests and a loaded lab may want other values; the defaults are the RFC's.

export interface TimerValues {
  /** RTT estimate, default 500 ms. */
  readonly t1: number;
  /** Maximum retransmit interval for non-INVITE requests and INVITE responses, default 4 s. */
  readonly t2: number;
  /** Maximum duration a message remains in the network, default 5 s. */
  readonly t4: number;
}

export const DEFAULT_TIMER_VALUES: TimerValues = { t1: 500, t2: 4000, t4: 5000 };

export function timerValues(overrides: Partial<TimerValues> = {}): TimerValues {
  return { ...DEFAULT_TIMER_VALUES, ...overrides };
}

/** Timer F, B, H, J(UDP), L: 64*T1. */
export function transactionTimeout(t: TimerValues): number {
  return 64 * t.t1;
}

/**
 * RFC 4320 §4.1: "A SIP element MUST NOT respond to a non-INVITE request with a Status-Code of 100
 * over any unreliable transport, such as UDP, before the amount of time it takes a client
 * transaction's Timer E to be reset to T2." That is T1 + 2T1 + 4T1 … until the interval hits T2.
 */
export function timeUntilTimerEReachesT2(t: TimerValues): number {
  let elapsed = 0;
  let interval = t.t1;
  while (interval < t.t2) {
    elapsed += interval;
    interval = Math.min(interval * 2, t.t2);
  }
  return elapsed;
}
