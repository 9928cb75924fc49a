// Waiting for what a real peer sends, always under a deadline: a peer that never answers fails
// the test with the name of what was missing instead of hanging it until the suite's timeout.
// Shared by the interop suites that drive the lab's SIP stack against Kamailio, SIPp and PS2.
import type { NotifyInfo, Subscriber, TerminationInfo } from '../../../domains/simple/sip/core/index.ts';

/** Rejects with "no `what` within `ms` ms" when `promise` has not settled by then. */
export function within<T>(promise: Promise<T>, what: string, ms = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The next NOTIFY whose body satisfies `accept`. Kamailio may send more than one NOTIFY for one
 * change (RFC 6665 §4.2.2 lets a notifier send one whenever it likes), so the first is not
 * necessarily the one a step waits for.
 */
export function notifyMatching(
  sub: Subscriber,
  accept: (info: NotifyInfo) => boolean,
  what: string,
): Promise<NotifyInfo> {
  return within(
    new Promise<NotifyInfo>((resolve) => {
      const listener = (info: NotifyInfo) => {
        if (!accept(info)) return;
        sub.off('notify', listener);
        resolve(info);
      };
      sub.on('notify', listener);
    }),
    what,
  );
}

/** The subscription's next NOTIFY, whatever it carries. */
export const nextNotify = (sub: Subscriber): Promise<NotifyInfo> =>
  within(new Promise<NotifyInfo>((r) => sub.once('notify', r)), 'NOTIFY');

/** The end of the subscription (NOTIFY terminated, or a refused refresh). */
export const nextTermination = (sub: Subscriber): Promise<TerminationInfo> =>
  within(new Promise<TerminationInfo>((r) => sub.once('terminated', r)), 'termination');

/** Polls `predicate` every 10 ms; rejects with "timed out waiting for `what`" after `timeoutMs`. */
export function waitFor(what: string, predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (predicate()) resolve();
      else if (Date.now() - start > timeoutMs) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(tick, 10);
    };
    tick();
  });
}
