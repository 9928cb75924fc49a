// An IMPS contact-list subscription (SubscribePresence with ContactList, AutoSubscribe, imps.md
// §3.1) whose members live in the SIMPLE domain ⇄ SIMPLE subscriptions: one SUBSCRIBE per
// member, or one RFC 4662 list subscription through an RLS (simple.md §4.4–4.5, §9.2), and the
// RLS's RLMI NOTIFY read back as one IMPS Presence per member. Rows CL1–CL8.
// Pure: ids and documents in, a plan and per-member results out; lookups are the caller's.
import type { PresenceSubList } from '../../../domains/imps/csp/model/presence-attributes.ts';
import type { Pidf } from '../../../domains/simple/payloads/pidf.ts';
import { entry, list, type ResourceLists } from '../../../domains/simple/payloads/resource-lists.ts';
import type { RlmiList } from '../../../domains/simple/payloads/rlmi.ts';
import { impsToSip, sipToImps } from '../address.ts';
import { pidfToImps } from '../presence/pidf-to-imps.ts';
import { sipStateToImps } from './subscription-state.ts';
import type { ImpsSubscriptionEffect } from './subscription-state-rows.ts';

export interface ContactListRow {
  id: string;
  direction: 'imps→simple' | 'simple→imps';
  imps: string;
  simple: string;
  fidelity: 'lossless' | 'lossy' | 'none';
  clause: string;
  note: string;
}

export const CONTACT_LIST_ROWS: readonly ContactListRow[] = [
  {
    id: 'CL1',
    direction: 'imps→simple',
    imps: 'SubscribePresence ContactList, members in a SIMPLE domain, no RLS known',
    simple: 'one SUBSCRIBE (Event: presence) per foreign member',
    fidelity: 'lossless',
    clause: 'imps.md §12 (one SUBSCRIBE per member); RFC 3856',
    note: 'each member subscription follows the SS rows on its own',
  },
  {
    id: 'CL2',
    direction: 'imps→simple',
    imps: 'the same, with an RLS serving the SIMPLE domain',
    simple:
      'one SUBSCRIBE to the list URI (address row A3), Supported: eventlist, Accept: multipart/related, application/rlmi+xml, application/pidf+xml; the members as a resource-lists document for the RLS',
    fidelity: 'lossless',
    clause: 'RFC 4662 §4.1, §5; RFC 4826 §3 (resource-lists), §4 (rls-services)',
    note: 'the document goes to the RLS by XCAP, or in the SUBSCRIBE (RFC 5367)',
  },
  {
    id: 'CL3',
    direction: 'imps→simple',
    imps: 'members in the IMPS domains, or not addressable',
    simple: '— not subscribed by the IWF',
    fidelity: 'none',
    clause: 'imps.md §3.1 (PS1 serves its own users); address row A6',
    note: 'unaddressable members are reported back (DetailedResult 531)',
  },
  {
    id: 'CL4',
    direction: 'imps→simple',
    imps: 'member added to / removed from an AutoSubscribe list',
    simple:
      'SUBSCRIBE for the new member / SUBSCRIBE Expires: 0 for the removed one (per member); a new resource-lists document (RLS)',
    fidelity: 'lossless',
    clause: 'imps.md §3.1 (AutoSubscribe follows list changes)',
    note: '',
  },
  {
    id: 'CL5',
    direction: 'simple→imps',
    imps: 'Presence (UserID, PresenceSubList) for that member',
    simple: 'RLMI <resource> with an active <instance> and its PIDF part',
    fidelity: 'lossless',
    clause: 'RFC 4662 §5.2 (instance state, cid); presence rows D1–D31',
    note: '',
  },
  {
    id: 'CL6',
    direction: 'simple→imps',
    imps: 'nothing for that member yet',
    simple: 'instance pending (or active without a part)',
    fidelity: 'lossy',
    clause: 'RFC 4662 §5.2; row SS3',
    note: '',
  },
  {
    id: 'CL7',
    direction: 'simple→imps',
    imps: "the member's effect as for its own NOTIFY (withheld, re-subscribe …)",
    simple: 'instance terminated with a reason',
    fidelity: 'lossy',
    clause: 'RFC 4662 §5.2 (reason as in RFC 6665); rows SS4–SS11',
    note: 'the IWF re-subscribes through the list, not per member',
  },
  {
    id: 'CL8',
    direction: 'simple→imps',
    imps: 'only the members listed',
    simple: 'RLMI fullState="false" (partial)',
    fidelity: 'lossless',
    clause: 'RFC 4662 §5.2 (partial lists only carry changed resources)',
    note: 'unlisted members keep their last state',
  },
];

/** RFC 4662 §5.1: what the IWF's list SUBSCRIBE accepts. */
export const RLS_ACCEPT = 'multipart/related, application/rlmi+xml, application/pidf+xml';

export interface ContactListPlan {
  mode: 'per-member' | 'rls';
  /** Foreign members the IWF subscribes to (per-member) or lists for the RLS. */
  members: Array<{ userId: string; sipUri: string }>;
  /** rls mode: the list URI and the members as an RFC 4826 document. */
  listUri?: string;
  resourceLists?: ResourceLists;
  skipped: Array<{ userId: string; code: number; description: string }>;
  rows: string[];
}

const domainOf = (wv: string) => wv.slice(wv.lastIndexOf('@') + 1).toLowerCase();

export function planContactListSubscription(
  contactList: string,
  members: readonly string[],
  options: { impsDomains: readonly string[]; rls: boolean },
): ContactListPlan {
  const rows = new Set<string>();
  const foreign: ContactListPlan['members'] = [];
  const skipped: ContactListPlan['skipped'] = [];
  for (const userId of members) {
    const sip = impsToSip(userId);
    if (!sip.ok) {
      skipped.push({ userId, code: 531, description: 'Unknown user' });
      rows.add('CL3');
    } else if (options.impsDomains.some((d) => d.toLowerCase() === domainOf(userId))) rows.add('CL3');
    else foreign.push({ userId, sipUri: sip.value });
  }
  const listUri = impsToSip(contactList);
  if (!options.rls || !listUri.ok || foreign.length === 0) {
    if (foreign.length > 0) rows.add('CL1');
    return { mode: 'per-member', members: foreign, skipped, rows: [...rows] };
  }
  rows.add('CL2');
  return {
    mode: 'rls',
    members: foreign,
    listUri: listUri.value,
    resourceLists: {
      lists: [
        list(
          undefined,
          foreign.map((m) => entry(m.sipUri)),
        ),
      ],
    },
    skipped,
    rows: [...rows],
  };
}

/** AutoSubscribe list change (row CL4): who to subscribe and unsubscribe. */
export function memberChanges(
  before: readonly string[],
  after: readonly string[],
): { subscribe: string[]; unsubscribe: string[]; row: string } {
  const lower = (xs: readonly string[]) => new Set(xs.map((x) => x.toLowerCase()));
  const b = lower(before);
  const a = lower(after);
  return {
    subscribe: after.filter((x) => !b.has(x.toLowerCase())),
    unsubscribe: before.filter((x) => !a.has(x.toLowerCase())),
    row: 'CL4',
  };
}

export interface MemberUpdate {
  userId: string;
  presenceSubList?: PresenceSubList;
  /** For terminated instances: what the member's own NOTIFY would have done (rows SS4–SS11). */
  effect?: ImpsSubscriptionEffect;
}

/**
 * An RLS NOTIFY (RLMI + the parts it points at, parsed by the caller) → one update per member.
 * `parts` maps Content-ID to the member's PIDF.
 */
export function rlmiToPresences(
  rlmi: RlmiList,
  parts: ReadonlyMap<string, Pidf>,
): { value: MemberUpdate[]; rows: string[] } {
  const rows = new Set<string>();
  const value: MemberUpdate[] = [];
  if (!rlmi.fullState) rows.add('CL8');
  for (const res of rlmi.resources) {
    const wv = sipToImps(res.uri);
    if (!wv.ok) continue;
    const inst = res.instances.find((i) => i.state === 'active') ?? res.instances[0];
    if (!inst) continue;
    if (inst.state === 'terminated') {
      const state =
        inst.reason === undefined ? { state: 'terminated' } : { state: 'terminated', reason: inst.reason };
      value.push({ userId: wv.value, effect: sipStateToImps(state).value });
      rows.add('CL7');
      continue;
    }
    const doc = inst.cid === undefined ? undefined : parts.get(inst.cid);
    if (inst.state !== 'active' || !doc) {
      rows.add('CL6');
      continue;
    }
    value.push({ userId: wv.value, presenceSubList: pidfToImps(doc).value });
    rows.add('CL5');
  }
  return { value, rows: [...rows] };
}
