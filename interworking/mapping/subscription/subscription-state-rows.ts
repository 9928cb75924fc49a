// SIP subscription states (RFC 6665 §4.1.3 Subscription-State, every reason of §4.2.2 / §8.2.3)
// ⇄ the IMPS subscription, in both use-case directions (DESIGN §5.3.5/§5.3.6, imps.md §3.2,
// §12, simple.md §1.2, §9.2):
//   simple→imps: Harry (IMPS) watches Jane; Jane's pres-rules and PS2 decide, the IWF is the SIP
//                subscriber and turns each NOTIFY's state into what PS1 and Harry see;
//   imps→simple: Jane (SIMPLE) watches Harry; Harry's attribute lists or his CSP 1.2/1.3 client
//                (reactive authorization) decide, the IWF is the SIP notifier.
import type { SubscriptionStateHeader } from '../../../domains/simple/sip/core/event-header.ts';

/** What the IMPS side of a Harry-watches-Jane subscription does for a NOTIFY state. */
export type ImpsSubscriptionEffect =
  /** PresenceNotification with the mapped body; `full`: every mapped attribute, not only changes. */
  | { kind: 'notify'; full: boolean }
  /** Keep the IMPS subscription; nothing to tell Harry yet. */
  | { kind: 'hold' }
  /** The IWF subscribes again after this many seconds; Harry sees nothing. */
  | { kind: 'resubscribe'; afterSeconds: number }
  /** End the IMPS subscription: a last PresenceNotification withholding every attribute (Qualifier F); `csp` answers later GetPresence. */
  | { kind: 'end'; csp: number }
  /** End quietly: the last values stay true (RFC 6665 invariant). */
  | { kind: 'end-keep-last' };

/** What Harry's side decided (PS1 over SSP, or the IWF's copy of his lists) for Jane's subscription. */
export type ImpsAuthOutcome =
  | { kind: 'granted'; attributes: string[] }
  | { kind: 'reactive-request'; csp: '1.2' | '1.3' }
  | { kind: 'accepted' }
  | { kind: 'denied' }
  | { kind: 'unanswered' }
  | { kind: 'blocked' }
  | { kind: 'revoked' }
  | { kind: 'unknown-user' }
  | { kind: 'expired' }
  | { kind: 'ps1-unavailable'; retryAfter: number }
  | { kind: 'shutdown' }
  | { kind: 'reactive-status'; state: 'GRANTED' | 'DENIED' | 'PENDING' };

/** What the IWF as notifier sends Jane. */
export interface SipSubscriptionAnswer {
  /** Final response to an initial SUBSCRIBE, when the outcome refuses it outright. */
  response?: number;
  state: SubscriptionStateHeader;
  /** NOTIFY body: the mapped PIDF, none (pending/terminated, RFC 6665 §4.2.2), or a document with no attributes. */
  body: 'state' | 'none' | 'empty';
}

interface RowBase {
  id: string;
  sip: string;
  imps: string;
  fidelity: 'lossless' | 'lossy' | 'none';
  clause: string;
  note: string;
}
export interface SimpleToImpsStateRow extends RowBase {
  direction: 'simple→imps';
  example: {
    header: SubscriptionStateHeader;
    previous?: 'pending' | 'active';
    effect: ImpsSubscriptionEffect;
  };
}
export interface ImpsToSimpleStateRow extends RowBase {
  direction: 'imps→simple';
  example: { outcome: ImpsAuthOutcome; initial: boolean; answer: SipSubscriptionAnswer };
}
export type SubscriptionStateRow = SimpleToImpsStateRow | ImpsToSimpleStateRow;

/** Re-subscription waits (simple.md §1.2, baresip's policy): now, or 300 s unless retry-after says more. */
export const RETRY_NOW = 0;
export const RETRY_LATER = 300;

const EXPIRES = 3600;

export const SUBSCRIPTION_STATE_ROWS: readonly SubscriptionStateRow[] = [
  // ---- Harry (IMPS) watches Jane (SIMPLE): NOTIFY state → IMPS --------------------------------
  {
    id: 'SS1',
    direction: 'simple→imps',
    sip: 'active (NOTIFY with PIDF)',
    imps: 'PresenceNotification with the mapped, changed attributes',
    fidelity: 'lossless',
    clause: 'RFC 6665 §4.1.3; imps.md §3.1',
    note: 'only changes after the first (rows O2–O6)',
    example: {
      header: { state: 'active', expires: EXPIRES },
      previous: 'active',
      effect: { kind: 'notify', full: false },
    },
  },
  {
    id: 'SS2',
    direction: 'simple→imps',
    sip: 'active, first NOTIFY or after pending',
    imps: 'PresenceNotification with every mapped attribute',
    fidelity: 'lossless',
    clause: 'DESIGN §5.3.6 (Harry gets full state without subscribing again); imps.md §3.1',
    note: 'Jane approved Harry from her pending watchers',
    example: {
      header: { state: 'active', expires: EXPIRES },
      previous: 'pending',
      effect: { kind: 'notify', full: true },
    },
  },
  {
    id: 'SS3',
    direction: 'simple→imps',
    sip: 'pending',
    imps: 'IMPS subscription kept, no PresenceNotification',
    fidelity: 'lossy',
    clause: 'RFC 6665 §4.1.3 (pending: not yet authorized); imps.md §12 (no values yet)',
    note: 'IMPS has no "pending" to show the watcher; SubscribePresence was already answered 200',
    example: { header: { state: 'pending', expires: EXPIRES }, effect: { kind: 'hold' } },
  },
  {
    id: 'SS4',
    direction: 'simple→imps',
    sip: 'terminated;reason=deactivated',
    imps: 'none visible: the IWF re-subscribes at once',
    fidelity: 'lossless',
    clause: 'RFC 6665 §4.2.2 deactivated (re-subscribe immediately)',
    note: '',
    example: {
      header: { state: 'terminated', reason: 'deactivated' },
      effect: { kind: 'resubscribe', afterSeconds: RETRY_NOW },
    },
  },
  {
    id: 'SS5',
    direction: 'simple→imps',
    sip: 'terminated;reason=probation[;retry-after=s]',
    imps: 'none visible: re-subscribe after retry-after (300 s at least)',
    fidelity: 'lossy',
    clause: 'RFC 6665 §4.2.2 probation',
    note: 'Harry keeps the last values meanwhile',
    example: {
      header: { state: 'terminated', reason: 'probation', retryAfter: 600 },
      effect: { kind: 'resubscribe', afterSeconds: 600 },
    },
  },
  {
    id: 'SS6',
    direction: 'simple→imps',
    sip: 'terminated;reason=rejected',
    imps: 'last PresenceNotification withholding all (Qualifier F); subscription ends; GetPresence → 532',
    fidelity: 'lossy',
    clause: 'RFC 6665 §4.2.2 rejected (do not re-subscribe); imps.md §12; status row E5 (403 → 532)',
    note: 'Jane removed Harry from her access list',
    example: { header: { state: 'terminated', reason: 'rejected' }, effect: { kind: 'end', csp: 532 } },
  },
  {
    id: 'SS7',
    direction: 'simple→imps',
    sip: 'terminated;reason=timeout',
    imps: 'none visible: the IWF re-subscribes at once',
    fidelity: 'lossless',
    clause: 'RFC 6665 §4.2.2 timeout',
    note: 'the IWF refreshes before expiry; timeout means a refresh was lost',
    example: {
      header: { state: 'terminated', reason: 'timeout' },
      effect: { kind: 'resubscribe', afterSeconds: 0 },
    },
  },
  {
    id: 'SS8',
    direction: 'simple→imps',
    sip: 'terminated;reason=giveup[;retry-after=s]',
    imps: 'none visible: re-subscribe after retry-after (300 s at least)',
    fidelity: 'lossy',
    clause: 'RFC 6665 §4.2.2 giveup (no authorization decision in time)',
    note: 'the new subscription is likely pending again (SS3)',
    example: {
      header: { state: 'terminated', reason: 'giveup' },
      effect: { kind: 'resubscribe', afterSeconds: RETRY_LATER },
    },
  },
  {
    id: 'SS9',
    direction: 'simple→imps',
    sip: 'terminated;reason=noresource',
    imps: 'last PresenceNotification withholding all; subscription ends; GetPresence → 531',
    fidelity: 'lossy',
    clause: 'RFC 6665 §4.2.2 noresource; status row E6 (404 → 531)',
    note: '',
    example: { header: { state: 'terminated', reason: 'noresource' }, effect: { kind: 'end', csp: 531 } },
  },
  {
    id: 'SS10',
    direction: 'simple→imps',
    sip: 'terminated;reason=invariant',
    imps: 'subscription ends, the last values stay',
    fidelity: 'lossless',
    clause: 'RFC 6665 §4.2.2 invariant (state will not change; do not re-subscribe)',
    note: '',
    example: { header: { state: 'terminated', reason: 'invariant' }, effect: { kind: 'end-keep-last' } },
  },
  {
    id: 'SS11',
    direction: 'simple→imps',
    sip: 'terminated with no or an unknown reason',
    imps: 'none visible: re-subscribe after retry-after (300 s at least)',
    fidelity: 'lossy',
    clause: 'RFC 6665 §4.1.3 (no/unknown reason: the subscriber may re-subscribe)',
    note: '',
    example: {
      header: { state: 'terminated', reason: 'migrated' },
      effect: { kind: 'resubscribe', afterSeconds: RETRY_LATER },
    },
  },
  {
    id: 'SS12',
    direction: 'simple→imps',
    sip: 'an unknown state',
    imps: 'treated as pending',
    fidelity: 'lossy',
    clause: 'RFC 6665 §8.2.3 (new states are registered; unknown ones carry no authorization)',
    note: '',
    example: { header: { state: 'waiting' }, effect: { kind: 'hold' } },
  },
  // ---- Jane (SIMPLE) watches Harry (IMPS): IMPS decision → Subscription-State ------------------
  {
    id: 'SN1',
    direction: 'imps→simple',
    sip: '200; NOTIFY active;expires=N with the granted attributes',
    imps: 'an attribute list grants Jane (user > contact list > default list)',
    fidelity: 'lossless',
    clause: 'imps.md §3.2 item 1 (proactive); RFC 6665 §4.2.1.1',
    note: 'DESIGN §5.3.5 normal flow',
    example: {
      outcome: { kind: 'granted', attributes: ['OnlineStatus', 'UserAvailability'] },
      initial: true,
      answer: { response: 200, state: { state: 'active', expires: EXPIRES }, body: 'state' },
    },
  },
  {
    id: 'SN2',
    direction: 'imps→simple',
    sip: 'NOTIFY active with a document of no attributes',
    imps: 'an attribute list that grants nothing',
    fidelity: 'lossy',
    clause: 'RFC 5025 §3.2.1 polite-block (active, neutral document)',
    note: 'IMPS servers send an empty PresenceSubList here (imps.md §3.1)',
    example: {
      outcome: { kind: 'granted', attributes: [] },
      initial: false,
      answer: { state: { state: 'active', expires: EXPIRES }, body: 'empty' },
    },
  },
  {
    id: 'SN3',
    direction: 'imps→simple',
    sip: '200; NOTIFY pending, no body',
    imps: 'no grant; CSP 1.2 REACT client: PresenceAuth-Request sent to Harry',
    fidelity: 'lossless',
    clause: 'imps.md §3.2 item 2; RFC 6665 §4.2.1.1 (pending)',
    note: 'DESIGN §5.3.6, reverse direction',
    example: {
      outcome: { kind: 'reactive-request', csp: '1.2' },
      initial: true,
      answer: { response: 200, state: { state: 'pending', expires: EXPIRES }, body: 'none' },
    },
  },
  {
    id: 'SN4',
    direction: 'imps→simple',
    sip: '200; NOTIFY pending, no body',
    imps: 'no grant; CSP 1.3 client: Notification-Request ANU sent to Harry',
    fidelity: 'lossless',
    clause: 'imps.md §3.2 item 3',
    note: '',
    example: {
      outcome: { kind: 'reactive-request', csp: '1.3' },
      initial: true,
      answer: { response: 200, state: { state: 'pending', expires: EXPIRES }, body: 'none' },
    },
  },
  {
    id: 'SN5',
    direction: 'imps→simple',
    sip: 'NOTIFY active with full state',
    imps: 'PresenceAuth-User Acceptance T (1.2) / CreateAttributeList or AuthorizeAndGrant (1.3)',
    fidelity: 'lossless',
    clause: 'imps.md §3.2; RFC 6665 §4.2.1.2 (state change → NOTIFY)',
    note: '',
    example: {
      outcome: { kind: 'accepted' },
      initial: false,
      answer: { state: { state: 'active', expires: EXPIRES }, body: 'state' },
    },
  },
  {
    id: 'SN6',
    direction: 'imps→simple',
    sip: 'NOTIFY terminated;reason=rejected',
    imps: 'PresenceAuth-User Acceptance F',
    fidelity: 'lossless',
    clause: 'imps.md §12; RFC 6665 §4.2.2 rejected',
    note: 'the deny variant of §5.3.6',
    example: {
      outcome: { kind: 'denied' },
      initial: false,
      answer: { state: { state: 'terminated', reason: 'rejected' }, body: 'none' },
    },
  },
  {
    id: 'SN7',
    direction: 'imps→simple',
    sip: 'NOTIFY terminated;reason=giveup',
    imps: 'reactive request unanswered (CSP 521 Unresponded presence request)',
    fidelity: 'lossless',
    clause: 'imps.md §3.2 item 2 (pending requests expire → 521); RFC 6665 §4.2.2 giveup',
    note: '',
    example: {
      outcome: { kind: 'unanswered' },
      initial: false,
      answer: { state: { state: 'terminated', reason: 'giveup' }, body: 'none' },
    },
  },
  {
    id: 'SN8',
    direction: 'imps→simple',
    sip: '403 to a new SUBSCRIBE; NOTIFY terminated;reason=rejected in a subscription',
    imps: "Jane on Harry's in-use BlockList",
    fidelity: 'lossless',
    clause: 'imps.md §3.2 (blocked: no presence); RFC 5025 §3.2.1 block; status row C18',
    note: '',
    example: {
      outcome: { kind: 'blocked' },
      initial: true,
      answer: { response: 403, state: { state: 'terminated', reason: 'rejected' }, body: 'none' },
    },
  },
  {
    id: 'SN9',
    direction: 'imps→simple',
    sip: 'NOTIFY terminated;reason=rejected',
    imps: "CancelAuth-Request / DeleteAttributeList revoking Jane's grant",
    fidelity: 'lossless',
    clause: 'imps.md §3.1 CancelAuth-Request; RFC 6665 §4.2.2 rejected',
    note: '',
    example: {
      outcome: { kind: 'revoked' },
      initial: false,
      answer: { state: { state: 'terminated', reason: 'rejected' }, body: 'none' },
    },
  },
  {
    id: 'SN10',
    direction: 'imps→simple',
    sip: '404 to a new SUBSCRIBE; terminated;reason=noresource',
    imps: 'CSP 531 Unknown user',
    fidelity: 'lossless',
    clause: 'status row C17; RFC 6665 §4.2.2 noresource',
    note: '',
    example: {
      outcome: { kind: 'unknown-user' },
      initial: true,
      answer: { response: 404, state: { state: 'terminated', reason: 'noresource' }, body: 'none' },
    },
  },
  {
    id: 'SN11',
    direction: 'imps→simple',
    sip: 'NOTIFY terminated;reason=timeout',
    imps: "UnsubscribePresence to PS1 (Jane's subscription expired or Expires: 0)",
    fidelity: 'lossless',
    clause: 'RFC 6665 §4.2.2 timeout (also after an unsubscribe, §4.2.1.4)',
    note: '',
    example: {
      outcome: { kind: 'expired' },
      initial: false,
      answer: { state: { state: 'terminated', reason: 'timeout' }, body: 'none' },
    },
  },
  {
    id: 'SN12',
    direction: 'imps→simple',
    sip: 'NOTIFY terminated;reason=probation;retry-after=s',
    imps: 'PS1 unreachable (SSP 503 / timeout)',
    fidelity: 'lossy',
    clause: 'RFC 6665 §4.2.2 probation; issue 5 item 8 (peer down → timely clear errors)',
    note: '',
    example: {
      outcome: { kind: 'ps1-unavailable', retryAfter: 120 },
      initial: false,
      answer: { state: { state: 'terminated', reason: 'probation', retryAfter: 120 }, body: 'none' },
    },
  },
  {
    id: 'SN13',
    direction: 'imps→simple',
    sip: 'NOTIFY terminated;reason=deactivated',
    imps: 'the IWF is shutting down its SSP side',
    fidelity: 'lossless',
    clause: 'RFC 6665 §4.2.2 deactivated (re-subscribe at once, maybe elsewhere)',
    note: 'restarts keep subscriptions (issue 5 item 3); this is for a planned stop',
    example: {
      outcome: { kind: 'shutdown' },
      initial: false,
      answer: { state: { state: 'terminated', reason: 'deactivated' }, body: 'none' },
    },
  },
  {
    id: 'SN14',
    direction: 'imps→simple',
    sip: 'active / terminated;reason=rejected / pending',
    imps: 'GetReactiveAuthStatus GRANTED / DENIED / PENDING (1.2)',
    fidelity: 'lossless',
    clause: 'imps.md §3.1 GetReactiveAuthStatus-Response',
    note: 'used after an IWF restart to re-learn decisions',
    example: {
      outcome: { kind: 'reactive-status', state: 'DENIED' },
      initial: false,
      answer: { state: { state: 'terminated', reason: 'rejected' }, body: 'none' },
    },
  },
];
