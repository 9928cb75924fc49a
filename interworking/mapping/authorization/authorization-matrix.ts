// The authorization rows as sections of docs/mapping.md (rendered by ../render-matrix.ts).
import { md } from '../presence/presence-matrix.ts';
import type { MatrixSection } from '../render-matrix.ts';
import { PERMISSION_ROWS } from './attribute-permissions.ts';
import { POLICY_ROWS } from './imps-policy-to-pres-rules.ts';
import { REACTIVE_ROWS } from './reactive-authorization.ts';
import { WATCHER_LIST_ROWS } from './watcher-list.ts';

const HEADERS = ['row', 'direction', 'IMPS', 'SIMPLE', 'fidelity', 'clause', 'note'];

export const AUTHORIZATION_SECTIONS: readonly MatrixSection[] = [
  {
    title: 'Authorization: granted attributes ⇄ pres-rules transformations',
    intro: [
      '`interworking/mapping/authorization/attribute-permissions.ts`: what an IMPS grant of each attribute',
      'becomes in an RFC 5025 rule, given where the presence rows put the attribute (services are selected',
      'by their `rpid:class`). All attributes together are `provide-all-attributes` (row AZ0).',
    ].join('\n'),
    headers: [
      'row',
      'attribute',
      'component',
      'booleans',
      'provide-unknown-attribute',
      'fidelity',
      'clause',
      'note',
    ],
    rows: PERMISSION_ROWS.map((r) =>
      [
        r.id,
        r.attribute,
        typeof r.component === 'string'
          ? `provide-${r.component}`
          : `provide-services class ${r.component.services}`,
        r.booleans.join(', ') || '—',
        r.unknown.map(([ns, name]) => `${name} (${ns})`).join(', ') || '—',
        r.fidelity,
        r.clause,
        r.note,
      ].map(md),
    ),
  },
  {
    title: 'Authorization: IMPS policy ⇄ pres-rules rules',
    intro: [
      '`impsPolicyToPresRules` and `presRulesToImps`: attribute lists, block and grant lists and reactive',
      'authorization as rules with `sub-handling` and transformations. A seeded test evaluates the rendered',
      "rules with the payloads' RFC 4745/5025 evaluator and compares each watcher's result with imps.md",
      "§3.2's resolution (user > contact list > default > reactive > none, blocks first).",
    ].join('\n'),
    headers: HEADERS,
    rows: POLICY_ROWS.map((r) => [r.id, r.direction, r.imps, r.simple, r.fidelity, r.clause, r.note].map(md)),
  },
  {
    title: 'Authorization: pending watchers ⇄ reactive authorization',
    intro: [
      '`interworking/mapping/authorization/reactive-authorization.ts`: watcherinfo pending watchers become',
      'PresenceAuth-Request (CSP 1.2) or Notification-Request ANU (CSP 1.3); PresenceAuth-User Acceptance',
      "T/F and CancelAuth-Request fold into the publisher's policy (allow / block).",
    ].join('\n'),
    headers: HEADERS,
    rows: REACTIVE_ROWS.map((r) =>
      [r.id, r.direction, r.imps, r.simple, r.fidelity, r.clause, r.note].map(md),
    ),
  },
  {
    title: 'Authorization: watcherinfo ⇄ GetWatcherList',
    intro: [
      '`interworking/mapping/authorization/watcher-list.ts`: who watches a SIMPLE user, as the IMPS watcher list',
      "(per CSP version), and an IMPS user's watchers as a watcherinfo document.",
    ].join('\n'),
    headers: HEADERS,
    rows: WATCHER_LIST_ROWS.map((r) =>
      [r.id, r.direction, r.imps, r.simple, r.fidelity, r.clause, r.note].map(md),
    ),
  },
];
