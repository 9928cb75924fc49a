// The subscription rows as sections of docs/mapping.md (rendered by ../render-matrix.ts).
import { md } from '../presence/presence-matrix.ts';
import type { MatrixSection } from '../render-matrix.ts';
import { ATTRIBUTE_FILTER_ROWS, FILTER_REQUEST_ROWS } from './attribute-filter-rows.ts';
import { CONTACT_LIST_ROWS } from './contact-list-subscription.ts';
import { ONLY_CHANGES_ROWS } from './only-changes.ts';
import { SUBSCRIPTION_STATE_ROWS } from './subscription-state-rows.ts';

const stateRows = (direction: 'simple→imps' | 'imps→simple') =>
  SUBSCRIPTION_STATE_ROWS.filter((r) => r.direction === direction).map((r) =>
    [r.id, r.sip, r.imps, r.fidelity, r.clause, r.note].map(md),
  );

export const SUBSCRIPTION_SECTIONS: readonly MatrixSection[] = [
  {
    title: 'Subscriptions: IMPS attribute subsets ⇄ RFC 4661 filters',
    intro: [
      '`interworking/mapping/subscription/attribute-filter.ts`: the attributes a SubscribePresence or',
      'GetPresence names become one `<filter id="wv-attributes">` whose `<what>` includes the PIDF parts',
      "the presence rows read them from (built and parsed with the payloads' simple-filter codec); a",
      "SIMPLE watcher's filter is read back into the attributes to ask PS1 for. Per attribute:",
    ].join('\n'),
    headers: ['row', 'attribute', 'XPath includes', 'also reads', 'fidelity', 'note'],
    rows: ATTRIBUTE_FILTER_ROWS.map((r) =>
      [r.id, r.attribute, r.paths.join('<br>'), (r.reads ?? []).join('<br>') || '—', r.fidelity, r.note].map(
        (c) => c.replace(/<(?!br>)/g, '&lt;'),
      ),
    ),
  },
  {
    title: 'Subscriptions: filter requests as a whole',
    intro: 'How whole requests and the selections that match no single attribute are handled.',
    headers: ['row', 'direction', 'IMPS', 'SIMPLE', 'fidelity', 'note'],
    rows: FILTER_REQUEST_ROWS.map((r) => [r.id, r.direction, r.imps, r.simple, r.fidelity, r.note].map(md)),
  },
  {
    title: 'Subscriptions: "only changes" ⇄ partial notification',
    intro: [
      '`interworking/mapping/subscription/only-changes.ts`: IMPS notifications carry only changed',
      'attributes; toward SIMPLE the IWF asks for RFC 5263 partial notification, and when the SIMPLE side',
      'sends full documents anyway, `diffPresence(previous, next)` keeps only what changed.',
    ].join('\n'),
    headers: ['row', 'direction', 'IMPS', 'SIMPLE', 'fidelity', 'clause', 'note'],
    rows: ONLY_CHANGES_ROWS.map((r) =>
      [r.id, r.direction, r.imps, r.simple, r.fidelity, r.clause, r.note].map(md),
    ),
  },
  {
    title: 'Subscription state, SIMPLE → IMPS (Harry watches Jane: NOTIFY Subscription-State → IMPS)',
    intro: [
      '`sipStateToImps(header, previous)` in `interworking/mapping/subscription/subscription-state.ts`:',
      'the IWF is the SIP subscriber; every RFC 6665 state and reason has a row. CSP codes come from the',
      'status rows above.',
    ].join('\n'),
    headers: ['row', 'SIP Subscription-State', 'IMPS side', 'fidelity', 'clause', 'note'],
    rows: stateRows('simple→imps'),
  },
  {
    title: 'Subscription state, IMPS → SIMPLE (Jane watches Harry: IMPS decision → Subscription-State)',
    intro: [
      "`impsOutcomeToSip(outcome, { expires, initial })`: the IWF is the SIP notifier and Harry's",
      'attribute lists or his CSP 1.2 (PresenceAuth) / 1.3 (Notification ANU) client decide.',
      '`reason=invariant` is never sent: IMPS presence can always change.',
    ].join('\n'),
    headers: ['row', 'SIP answer', 'IMPS decision', 'fidelity', 'clause', 'note'],
    rows: stateRows('imps→simple'),
  },
  {
    title: 'Subscriptions: contact lists with SIMPLE members ⇄ per-member or RLS subscriptions',
    intro: [
      '`interworking/mapping/subscription/contact-list-subscription.ts`: the members of an IMPS contact list',
      'that live in a SIMPLE domain are subscribed one by one, or through an RLS as one RFC 4662 list',
      'subscription; the RLMI of each RLS NOTIFY becomes one IMPS Presence per member.',
    ].join('\n'),
    headers: ['row', 'direction', 'IMPS', 'SIMPLE', 'fidelity', 'clause', 'note'],
    rows: CONTACT_LIST_ROWS.map((r) =>
      [r.id, r.direction, r.imps, r.simple, r.fidelity, r.clause, r.note].map(md),
    ),
  },
];
