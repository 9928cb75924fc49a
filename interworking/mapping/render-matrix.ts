// Renders the mapping tables (data in this folder) as the Markdown matrix in docs/mapping.md.
// `npm run docs:mapping` rewrites the file; a unit test fails when the file and the rows differ,
// so the document, the code and the tests stay one table.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ADDRESS_ROWS } from './address.ts';
import { AUTHORIZATION_SECTIONS } from './authorization/authorization-matrix.ts';
import { MESSAGE_SECTIONS } from './message/message-matrix.ts';
import { PRESENCE_SECTIONS } from './presence/presence-matrix.ts';
import { STATUS_ROWS } from './status.ts';
import { SUBSCRIPTION_SECTIONS } from './subscription/subscription-matrix.ts';

/** A table contributed by a mapping module: a heading, a short intro, and its rows as cells. */
export interface MatrixSection {
  title: string;
  intro: string;
  headers: string[];
  rows: Array<Array<string | number>>;
}

/** How to call the table-driven mappers of the subfolders (each returns values plus row ids). */
const API_SECTION: MatrixSection = {
  title: 'Mapping API (presence, subscriptions, authorization, messages)',
  intro: [
    'Every mapper is pure: values in, values out, plus the ids of the rows below that decided (for the',
    '`lab:iwf:map` trace). Faces send what the mappers return. Example:',
    '',
    '```ts',
    "import { impsToPidf } from './interworking/mapping/presence/imps-to-pidf.ts';",
    "import { renderPidf } from './interworking/mapping/presence/presence-namespaces.ts';",
    "const r = impsToPidf({ userAvailability: { qualifier: true, presenceValue: 'DISCREET' } }, 'pres:harry@domain1.lab');",
    "if (r.ok) notify(renderPidf(r.value)); // r.rows = ['P4']: <rpid:activities><rpid:busy/>",
    '```',
  ].join('\n'),
  headers: ['function', 'module', 'in → out', 'rows'],
  rows: [
    ['impsToPidf(sub, entity)', 'presence/imps-to-pidf.ts', 'PresenceSubList → Pidf', 'P1–P31'],
    ['pidfToImps(pidf)', 'presence/pidf-to-imps.ts', 'Pidf → PresenceSubList', 'D1–D31'],
    ['renderPidf(pidf)', 'presence/presence-namespaces.ts', 'Pidf → application/pidf+xml text', '—'],
    [
      'attributesToFilter(names) / filterToAttributes(fs)',
      'subscription/attribute-filter.ts',
      'attribute names ⇄ FilterSet',
      'F0–F23',
    ],
    [
      'diffPresence(prev, next) / mergePresence(state, change)',
      'subscription/only-changes.ts',
      'PresenceSubList ⇄ changed attributes',
      'O1–O9',
    ],
    [
      'planContactListSubscription(list, members, opts) / rlmiToPresences(rlmi, parts)',
      'subscription/contact-list-subscription.ts',
      'contact list → per-member or RLS plan; RLMI NOTIFY → Presence per member',
      'CL1–CL8',
    ],
    [
      'sipStateToImps(header, previous) / impsOutcomeToSip(outcome, opts)',
      'subscription/subscription-state.ts',
      'Subscription-State ⇄ IMPS effect',
      'SS1–SS12, SN1–SN14',
    ],
    [
      'attributesToTransformations(names) / transformationsToAttributes(t)',
      'authorization/attribute-permissions.ts',
      'attribute names ⇄ pres-rules transformations',
      'AZ0–AZ18',
    ],
    [
      'impsPolicyToPresRules(policy) / presRulesToImps(ruleset)',
      'authorization/imps-policy-to-pres-rules.ts, pres-rules-to-imps.ts',
      'ImpsPresencePolicy ⇄ PresRuleset',
      'AU1–AU10, PR1–PR6',
    ],
    [
      'watchersToAuthRequests(winfo, csp) / applyPresenceAuthUser(policy, auth, asked)',
      'authorization/reactive-authorization.ts',
      'pending watchers → PresenceAuth-Request / ANU; Acceptance → policy',
      'W1–W8',
    ],
    [
      'watcherInfoToWatcherList(winfo, csp) / watcherListToWatcherInfo(resource, response, version)',
      'authorization/watcher-list.ts',
      'watcherinfo ⇄ GetWatcherList-Response',
      'WL1–WL4',
    ],
    [
      'sendMessageToSip(req, { ids, now })',
      'message/send-message-to-sip.ts',
      'SendMessage-Request → SipMessage[] + failures',
      'IM1–IM7',
    ],
    [
      'sipMessageToImps(msg, opts)',
      'message/sip-message-to-imps.ts',
      'MESSAGE → SendMessage-Request / IMDN / refusal',
      'IN1–IN7',
    ],
    [
      'imdnToDeliveryReport / deliveryReportToImdn / messageResponseToCsp / impsResultToSip',
      'message/delivery-report.ts',
      'IMDN ⇄ DeliveryReport; final responses via status rows',
      'DR1–DR9, X1–X6',
    ],
    [
      'new MessageCorrelation(entries)',
      'message/message-correlation.ts',
      'IMPS MessageID ⇄ Call-ID ⇄ imdn.Message-ID',
      '—',
    ],
  ],
};

/** Sections rendered after the address and status tables, in this order. */
const SECTIONS: readonly MatrixSection[] = [
  API_SECTION,
  ...PRESENCE_SECTIONS,
  ...SUBSCRIPTION_SECTIONS,
  ...AUTHORIZATION_SECTIONS,
  ...MESSAGE_SECTIONS,
];

function cell(s: string | number): string {
  return String(s).replace(/\|/g, '\\|');
}

function table(headers: string[], rows: Array<Array<string | number>>): string {
  return [
    `| ${headers.join(' | ')} |`,
    `|${headers.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ].join('\n');
}

export function renderMappingMatrix(): string {
  const parts: string[] = [
    '# IMPS ⇄ SIMPLE mapping matrix',
    '',
    'Generated from the row tables in `interworking/mapping/` by `npm run docs:mapping`; every row has',
    'one test (`tests/unit/interworking/mapping/`). Fidelity: **lossless** maps both ways without loss,',
    '**lossy** maps with loss or approximation, **none** has no counterpart (refused or dropped).',
    '',
  ];
  for (const direction of ['imps→simple', 'simple→imps'] as const) {
    parts.push(`## Addresses, ${direction === 'imps→simple' ? 'IMPS → SIMPLE' : 'SIMPLE → IMPS'}`, '');
    parts.push(
      table(
        ['row', 'IMPS', 'SIMPLE', 'fidelity', 'example', 'note'],
        ADDRESS_ROWS.filter((r) => r.direction === direction).map((r) => [
          r.id,
          r.imps,
          r.simple,
          r.fidelity,
          `\`${r.example.input}\` → ${r.example.output === null ? 'refused' : `\`${r.example.output}\``}`,
          r.note,
        ]),
      ),
      '',
    );
  }
  parts.push('## Status codes, SIMPLE → IMPS (SIP response → CSP/SSP Result)', '');
  parts.push(
    table(
      ['row', 'SIP', 'CSP', 'Description', 'fidelity', 'note'],
      STATUS_ROWS.filter((r) => r.direction === 'simple→imps').map((r) => [
        r.id,
        r.sip,
        r.csp,
        r.text,
        r.fidelity,
        r.note,
      ]),
    ),
    '',
  );
  parts.push('## Status codes, IMPS → SIMPLE (CSP/SSP Result → SIP response)', '');
  parts.push(
    table(
      ['row', 'CSP', 'SIP', 'reason phrase', 'fidelity', 'note'],
      STATUS_ROWS.filter((r) => r.direction === 'imps→simple').map((r) => [
        r.id,
        r.csp,
        r.sip,
        r.text,
        r.fidelity,
        r.note,
      ]),
    ),
    '',
  );
  for (const s of SECTIONS) parts.push(`## ${s.title}`, '', s.intro, '', table(s.headers, s.rows), '');
  return parts.join('\n');
}

export const MATRIX_PATH = fileURLToPath(new URL('../../docs/mapping.md', import.meta.url));

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(MATRIX_PATH, renderMappingMatrix());
  console.log(`wrote ${MATRIX_PATH}`);
}

export function matrixIsCurrent(): boolean {
  try {
    return readFileSync(MATRIX_PATH, 'utf8') === renderMappingMatrix();
  } catch {
    return false;
  }
}
