// The two subscription-state mappers over SUBSCRIPTION_STATE_ROWS (subscription-state-rows.ts):
// a NOTIFY's Subscription-State → what the IMPS side does (Harry watches Jane), and Harry's
// authorization outcome → the Subscription-State the IWF sends (Jane watches Harry).
// Pure: values in, values out, with the deciding row; CSP codes come from the status rows.
import type { SubscriptionStateHeader } from '../../../domains/simple/sip/core/event-header.ts';
import { sipStatusToCsp } from '../status.ts';
import {
  type ImpsAuthOutcome,
  type ImpsSubscriptionEffect,
  RETRY_LATER,
  RETRY_NOW,
  type SipSubscriptionAnswer,
} from './subscription-state-rows.ts';

const later = (retryAfter: number | undefined) => Math.max(retryAfter ?? 0, RETRY_LATER);

/** Harry watches Jane: the NOTIFY's Subscription-State (and the state before it) → the IMPS effect. */
export function sipStateToImps(
  header: SubscriptionStateHeader,
  previous?: 'pending' | 'active',
): { value: ImpsSubscriptionEffect; row: string } {
  const state = header.state.toLowerCase();
  if (state === 'active') {
    return previous === 'active'
      ? { value: { kind: 'notify', full: false }, row: 'SS1' }
      : { value: { kind: 'notify', full: true }, row: 'SS2' };
  }
  if (state === 'pending') return { value: { kind: 'hold' }, row: 'SS3' };
  if (state !== 'terminated') return { value: { kind: 'hold' }, row: 'SS12' };
  switch (header.reason?.toLowerCase()) {
    case 'deactivated':
      return { value: { kind: 'resubscribe', afterSeconds: RETRY_NOW }, row: 'SS4' };
    case 'probation':
      return { value: { kind: 'resubscribe', afterSeconds: later(header.retryAfter) }, row: 'SS5' };
    case 'rejected':
      // The code a later GetPresence answers comes from the status table (403 → row E5).
      return { value: { kind: 'end', csp: sipStatusToCsp(403).code }, row: 'SS6' };
    case 'timeout':
      return { value: { kind: 'resubscribe', afterSeconds: RETRY_NOW }, row: 'SS7' };
    case 'giveup':
      return { value: { kind: 'resubscribe', afterSeconds: later(header.retryAfter) }, row: 'SS8' };
    case 'noresource':
      return { value: { kind: 'end', csp: sipStatusToCsp(404).code }, row: 'SS9' };
    case 'invariant':
      return { value: { kind: 'end-keep-last' }, row: 'SS10' };
    default:
      return { value: { kind: 'resubscribe', afterSeconds: later(header.retryAfter) }, row: 'SS11' };
  }
}

/** Jane watches Harry: Harry's side's outcome → response, Subscription-State and NOTIFY body. */
export function impsOutcomeToSip(
  outcome: ImpsAuthOutcome,
  options: { expires: number; initial: boolean },
): { value: SipSubscriptionAnswer; row: string } {
  const { expires, initial } = options;
  const ok = initial ? { response: 200 } : {};
  const active = (body: 'state' | 'empty'): SipSubscriptionAnswer => ({
    ...ok,
    state: { state: 'active', expires },
    body,
  });
  const pending: SipSubscriptionAnswer = { ...ok, state: { state: 'pending', expires }, body: 'none' };
  const terminated = (reason: string, response?: number, retryAfter?: number): SipSubscriptionAnswer => ({
    ...(initial && response !== undefined ? { response } : {}),
    state: { state: 'terminated', reason, ...(retryAfter === undefined ? {} : { retryAfter }) },
    body: 'none',
  });
  switch (outcome.kind) {
    case 'granted':
      return outcome.attributes.length > 0
        ? { value: active('state'), row: 'SN1' }
        : { value: active('empty'), row: 'SN2' };
    case 'reactive-request':
      return { value: pending, row: outcome.csp === '1.2' ? 'SN3' : 'SN4' };
    case 'accepted':
      return { value: active('state'), row: 'SN5' };
    case 'denied':
      return { value: terminated('rejected', 403), row: 'SN6' };
    case 'unanswered':
      return { value: terminated('giveup', 480), row: 'SN7' };
    case 'blocked':
      return { value: terminated('rejected', 403), row: 'SN8' };
    case 'revoked':
      return { value: terminated('rejected', 403), row: 'SN9' };
    case 'unknown-user':
      return { value: terminated('noresource', 404), row: 'SN10' };
    case 'expired':
      return { value: terminated('timeout'), row: 'SN11' };
    case 'ps1-unavailable':
      return { value: terminated('probation', 503, outcome.retryAfter), row: 'SN12' };
    case 'shutdown':
      return { value: terminated('deactivated', 503), row: 'SN13' };
    case 'reactive-status': {
      const value =
        outcome.state === 'GRANTED'
          ? active('state')
          : outcome.state === 'DENIED'
            ? terminated('rejected', 403)
            : pending;
      return { value, row: 'SN14' };
    }
  }
}
