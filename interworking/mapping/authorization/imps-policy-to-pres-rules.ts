// IMPS authorization → RFC 5025 pres-rules (simple.md §4.3, §9.2; imps.md §3.2, §12): one rule
// per explicit grant, a default rule, a confirm rule for reactive authorization, block rules.
// RFC 4745 §10.2 combines every matching rule by maximum, whereas IMPS lets the most specific
// grant win (user > contact list > default); so each broader rule excepts the identities a
// narrower rule or a block names (<cp:many><cp:except>), and the result is the same decision.
// Pure: the policy in, a PresRuleset out (serializePresRules writes the XCAP document).
import { emptyConditions, type IdentityCondition } from '../../../domains/simple/payloads/common-policy.ts';
import {
  emptyTransformations,
  type PresRule,
  type PresRuleset,
} from '../../../domains/simple/payloads/pres-rules.ts';
import { impsToSip } from '../address.ts';
import { attributesToTransformations } from './attribute-permissions.ts';
import type { ImpsPresencePolicy } from './imps-policy.ts';

export interface PolicyRow {
  id: string;
  direction: 'imps→simple' | 'simple→imps';
  imps: string;
  simple: string;
  fidelity: 'lossless' | 'lossy' | 'none';
  clause: string;
  note: string;
}

export const RULE_IDS = {
  user: 'wv-user-',
  list: 'wv-list-',
  default: 'wv-default',
  confirm: 'wv-confirm',
  block: 'wv-block',
  otherwise: 'wv-otherwise',
} as const;

export const POLICY_ROWS: readonly PolicyRow[] = [
  {
    id: 'AU1',
    direction: 'imps→simple',
    imps: 'CreateAttributeList UserID + PresenceSubList',
    simple: 'rule wv-user-n: <cp:one id=sip:…>, sub-handling allow, provide-* for the attributes',
    fidelity: 'lossless',
    clause: 'imps.md §3.2 item 1; RFC 5025 §3.2.1, §3.3',
    note: 'transformations per attribute: rows AZ1–AZ18',
  },
  {
    id: 'AU2',
    direction: 'imps→simple',
    imps: 'CreateAttributeList ContactList + PresenceSubList',
    simple: 'rule wv-list-n: one <cp:one> per member (not named by a user grant), allow',
    fidelity: 'lossy',
    clause: 'imps.md §3.2 item 1 (contact-list grant); RFC 4745 §7.1.1',
    note: 'members are listed when rendered: the rule is re-rendered when the list changes',
  },
  {
    id: 'AU3',
    direction: 'imps→simple',
    imps: 'CreateAttributeList DefaultList=T',
    simple: 'rule wv-default: <cp:many> except every identity with its own grant or block, allow',
    fidelity: 'lossless',
    clause: 'imps.md §3.2 (user > contact list > default); RFC 4745 §7.1.2 (many/except), §10.2 (max)',
    note: 'the excepts make RFC 4745\'s "maximum of the matching rules" give IMPS\'s "most specific wins"',
  },
  {
    id: 'AU4',
    direction: 'imps→simple',
    imps: 'no default grant, reactive authorization (1.2 REACT / 1.3 DefaultNotify)',
    simple: 'rule wv-confirm: <cp:many> except granted, blocked and denied, sub-handling confirm',
    fidelity: 'lossless',
    clause: 'RFC 5025 §3.2.1 confirm (pending + winfo); imps.md §12',
    note: 'the watcher waits in pending and the publisher is asked (rows W1/W2)',
  },
  {
    id: 'AU5',
    direction: 'imps→simple',
    imps: 'BlockList in use: UserID',
    simple: 'rule wv-block: <cp:one> per entity, sub-handling block; excepted from every allow/confirm rule',
    fidelity: 'lossless',
    clause: 'imps.md §6.4; RFC 5025 §3.2.1 block',
    note: 'a block must not be outvoted by a broader allow (RFC 4745 §10.2)',
  },
  {
    id: 'AU6',
    direction: 'imps→simple',
    imps: 'GrantList in use',
    simple: 'default/confirm rules name only the listed identities (<cp:one>), nobody else is matched',
    fidelity: 'lossless',
    clause: 'imps.md §6.4 (only listed entities may)',
    note: '',
  },
  {
    id: 'AU7',
    direction: 'imps→simple',
    imps: 'PresenceAuth-User Acceptance T [PresenceSubList]',
    simple: 'a user rule (AU1) for the watcher with the granted attributes',
    fidelity: 'lossless',
    clause: 'imps.md §3.1 PresenceAuth-User; RFC 5025 §3.2.1 allow',
    note: 'no PresenceSubList = the attributes the watcher asked for',
  },
  {
    id: 'AU8',
    direction: 'imps→simple',
    imps: 'PresenceAuth-User Acceptance F',
    simple: 'rule wv-block names the watcher; excepted from wv-confirm',
    fidelity: 'lossless',
    clause: 'imps.md §3.1; RFC 5025 §3.2.1 block',
    note: 'a default grant still applies (RFC 4745 max), as in IMPS',
  },
  {
    id: 'AU9',
    direction: 'imps→simple',
    imps: 'anyone else (no grant, not reactive)',
    simple: 'rule wv-otherwise: no conditions, sub-handling block',
    fidelity: 'lossless',
    clause: 'RFC 4745 §10.1 (a rule without conditions matches everyone); RFC 5025 §3.2.1',
    note: 'explicit, so a PS2 defaulting to confirm still blocks',
  },
  {
    id: 'AU10',
    direction: 'imps→simple',
    imps: 'an identity that is not a wv: address',
    simple: '— left out',
    fidelity: 'none',
    clause: 'address row A6',
    note: '',
  },
  {
    id: 'PR1',
    direction: 'simple→imps',
    imps: 'userGrants with the attributes the transformations show',
    simple: 'allow rule with <cp:one> identities',
    fidelity: 'lossless',
    clause: 'RFC 5025 §3.2.1, §3.3; rows AZ1–AZ18',
    note: '',
  },
  {
    id: 'PR2',
    direction: 'simple→imps',
    imps: 'defaultGrant',
    simple: 'allow rule with <cp:many> (its excepts dropped) or without conditions',
    fidelity: 'lossy',
    clause: 'RFC 4745 §7.1.2',
    note: 'a <cp:many domain=…> grant has no IMPS counterpart and becomes the default',
  },
  {
    id: 'PR3',
    direction: 'simple→imps',
    imps: 'reactive = true',
    simple: 'confirm rule',
    fidelity: 'lossless',
    clause: 'RFC 5025 §3.2.1 confirm',
    note: '',
  },
  {
    id: 'PR4',
    direction: 'simple→imps',
    imps: 'a grant of no attributes',
    simple: 'polite-block rule',
    fidelity: 'lossy',
    clause: 'RFC 5025 §3.2.1 polite-block',
    note: 'the watcher is active and sees nothing — IMPS sends an empty PresenceSubList',
  },
  {
    id: 'PR5',
    direction: 'simple→imps',
    imps: 'blocked',
    simple: 'block rule with <cp:one> identities',
    fidelity: 'lossless',
    clause: 'RFC 5025 §3.2.1 block',
    note: 'block rules without identities (catch-alls) say only "no default"',
  },
  {
    id: 'PR6',
    direction: 'simple→imps',
    imps: '— dropped',
    simple: 'sphere, validity or foreign conditions',
    fidelity: 'none',
    clause: 'RFC 4745 §7.2, §7.3 (IMPS grants have neither)',
    note: 'the rule is read as if unconditional on them',
  },
];

const sip = (wv: string, rows: Set<string>): string | undefined => {
  const r = impsToSip(wv);
  if (!r.ok) rows.add('AU10');
  return r.ok ? r.value : undefined;
};

const lower = (xs: Iterable<string>) => new Set([...xs].map((x) => x.toLowerCase()));

function ones(ids: string[], rows: Set<string>): IdentityCondition | undefined {
  const uris = ids.map((id) => sip(id, rows)).filter((u) => u !== undefined);
  return uris.length === 0 ? undefined : { ones: uris, manys: [], extensions: [] };
}

function rule(
  id: string,
  identity: IdentityCondition | undefined,
  subHandling: PresRule['subHandling'],
): PresRule {
  const conditions = emptyConditions();
  if (identity) conditions.identities.push(identity);
  const r: PresRule = { id, conditions, actionExtensions: [], transformations: emptyTransformations() };
  if (!identity) delete r.conditions;
  if (subHandling) r.subHandling = subHandling;
  return r;
}

/** IMPS policy → pres-rules document for the publisher; rows AU1–AU10 name what was used. */
export function impsPolicyToPresRules(policy: ImpsPresencePolicy): { value: PresRuleset; rows: string[] } {
  const rows = new Set<string>();
  const rules: PresRule[] = [];
  const blocked = lower(policy.blocked);
  const allowedByGrantList = (id: string) =>
    !policy.grantList || policy.grantList.some((g) => g.toLowerCase() === id.toLowerCase());
  const eligible = (id: string) => !blocked.has(id.toLowerCase()) && allowedByGrantList(id);
  if (policy.grantList) rows.add('AU6');

  const named = new Set<string>();
  policy.userGrants.forEach((g, i) => {
    named.add(g.userId.toLowerCase());
    if (!eligible(g.userId)) return;
    const identity = ones([g.userId], rows);
    if (!identity) return;
    const r = rule(`${RULE_IDS.user}${i + 1}`, identity, 'allow');
    r.transformations = attributesToTransformations(g.attributes).value;
    rules.push(r);
    rows.add('AU1');
  });
  policy.contactListGrants.forEach((g, i) => {
    const members = g.members.filter((m) => !named.has(m.toLowerCase()) && eligible(m));
    for (const m of g.members) named.add(m.toLowerCase());
    const identity = ones(members, rows);
    if (!identity) return;
    const r = rule(`${RULE_IDS.list}${i + 1}`, identity, 'allow');
    r.transformations = attributesToTransformations(g.attributes).value;
    rules.push(r);
    rows.add('AU2');
  });

  // Everyone not named above (and not blocked/denied, for confirm) — as <many> with excepts, or,
  // under an in-use grant list, as the listed identities themselves.
  const rest = (alsoExcept: Set<string>): IdentityCondition | undefined => {
    const skip = new Set([...named, ...blocked, ...alsoExcept]);
    if (policy.grantList)
      return ones(
        policy.grantList.filter((g) => !skip.has(g.toLowerCase())),
        rows,
      );
    const excepts = [...skip]
      .map((id) => sip(id, rows))
      .filter((u) => u !== undefined)
      .map((id) => ({ id }));
    return { ones: [], manys: [{ excepts }], extensions: [] };
  };
  if (policy.defaultGrant) {
    const identity = rest(new Set());
    if (identity) {
      const r = rule(RULE_IDS.default, identity, 'allow');
      r.transformations = attributesToTransformations(policy.defaultGrant).value;
      rules.push(r);
    }
    rows.add('AU3');
  } else if (policy.reactive) {
    const identity = rest(lower(policy.denied));
    if (identity) rules.push(rule(RULE_IDS.confirm, identity, 'confirm'));
    rows.add('AU4');
  }
  const blockIds = [...policy.blocked, ...policy.denied];
  const blockIdentity = ones(blockIds, rows);
  if (blockIdentity) {
    rules.push(rule(RULE_IDS.block, blockIdentity, 'block'));
    if (policy.blocked.length > 0) rows.add('AU5');
    if (policy.denied.length > 0) rows.add('AU8');
  }
  rules.push(rule(RULE_IDS.otherwise, undefined, 'block'));
  rows.add('AU9');
  return { value: { rules }, rows: [...rows] };
}
