// Load shapes for bench:iwf, each bounded in time and in what it waits for: a closed loop (every
// key keeps one message in flight: the peak rate) and an open loop paced at a fixed rate (the
// latency at a given load). Arrivals are matched per key: a key has at most one message in
// flight, so the next arrival for it is the answer to the last send.
import { now } from './peers.ts';

/** Per-key arrival matching: `expect(key)` resolves at the arrival time, or undefined on timeout. */
export class Arrivals {
  private readonly waiting = new Map<string, (at: number) => void>();
  /** Arrivals nobody waited for (late after a timeout, or duplicates). */
  stray = 0;
  /** Expectations that timed out (the message may still arrive, as a stray). */
  timedOut = 0;

  arrived(key: string, at: number): void {
    const w = this.waiting.get(key);
    if (!w) {
      this.stray++;
      return;
    }
    this.waiting.delete(key);
    w(at);
  }

  expect(key: string, timeoutMs: number): Promise<number | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(key);
        this.timedOut++;
        resolve(undefined);
      }, timeoutMs);
      this.waiting.set(key, (at) => {
        clearTimeout(timer);
        resolve(at);
      });
    });
  }
}

export interface LoopResult {
  /** Arrivals within the window per second of the window. */
  rate: number;
  count: number;
  lost: number;
  /** Sends the open loop could not make because every key was busy. */
  backlogged: number;
  latencies: number[];
}

const TIMEOUT_MS = 3000;

export async function closedLoop(
  keys: string[],
  arrivals: Arrivals,
  fire: (key: string) => void,
  windowMs: number,
): Promise<LoopResult> {
  const latencies: number[] = [];
  let lost = 0;
  const end = now() + windowMs;
  await Promise.all(
    keys.map(async (key) => {
      while (now() < end) {
        const sent = now();
        const waiting = arrivals.expect(key, TIMEOUT_MS);
        fire(key);
        const at = await waiting;
        if (at === undefined) lost++;
        else if (at <= end) latencies.push(at - sent);
      }
    }),
  );
  return {
    rate: latencies.length / (windowMs / 1000),
    count: latencies.length,
    lost,
    backlogged: 0,
    latencies,
  };
}

export async function pacedLoop(
  keys: string[],
  arrivals: Arrivals,
  fire: (key: string) => void,
  ratePerSec: number,
  windowMs: number,
): Promise<LoopResult> {
  const latencies: number[] = [];
  const busy = new Set<string>();
  const outstanding: Array<Promise<void>> = [];
  let lost = 0;
  let issued = 0;
  let backlogged = 0;
  let next = 0;
  const t0 = now();
  while (now() - t0 < windowMs) {
    const due = Math.floor((ratePerSec * (now() - t0)) / 1000) - issued;
    for (let i = 0; i < due; i++) {
      let key: string | undefined;
      for (let probe = 0; probe < keys.length && key === undefined; probe++) {
        const k = keys[(next + probe) % keys.length]!;
        if (!busy.has(k)) {
          key = k;
          next = (next + probe + 1) % keys.length;
        }
      }
      issued++;
      if (key === undefined) {
        backlogged++;
        continue;
      }
      const k = key;
      busy.add(k);
      const sent = now();
      const waiting = arrivals.expect(k, TIMEOUT_MS);
      fire(k);
      outstanding.push(
        waiting.then((at) => {
          busy.delete(k);
          if (at === undefined) lost++;
          else latencies.push(at - sent);
        }),
      );
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  await Promise.all(outstanding);
  return {
    rate: latencies.length / (windowMs / 1000),
    count: latencies.length,
    lost,
    backlogged,
    latencies,
  };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Polls until `done()` or the deadline; true when done. */
export async function until(done: () => boolean, ms: number): Promise<boolean> {
  const deadline = now() + ms;
  while (!done()) {
    if (now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}
