// Reactive authorization across the IWF (imps.md §3.2 items 2–3, §12; simple.md §3.2, §9.2):
// a SIMPLE watcher waiting in pending (RFC 3857/3858 watcherinfo, status="pending") becomes an
// IMPS authorization request to the publisher — PresenceAuth-Request (CSP 1.2) or
// Notification-Request NotificationType=ANU (CSP 1.3) — and the publisher's PresenceAuth-User
// Acceptance T/F becomes an allow/block decision (rows AU7/AU8, SN5/SN6).
// Pure: watcher records and primitives in, primitives and a new policy out.
import type { PresenceSubList } from '../../../domains/imps/csp/model/presence-attributes.ts';
import type { Watcher, WatcherInfo } from '../../../domains/simple/payloads/watcherinfo.ts';
import { impsToSip, sipToImps } from '../address.ts';
import { attributesToSubList, requestedAttributes } from '../subscription/attribute-filter.ts';
import type { ImpsPresencePolicy } from './imps-policy.ts';

export interface ReactiveRow {
  id: string;
  direction: 'imps→simple' | 'simple→imps';
  imps: string;
  simple: string;
  fidelity: 'lossless' | 'lossy' | 'none';
  clause: string;
  note: string;
}

export const REACTIVE_ROWS: readonly ReactiveRow[] = [
  {
    id: 'W1',
    direction: 'simple→imps',
    imps: 'PresenceAuth-Request (UserID, PresenceSubList of the requested attributes)',
    simple: 'watcherinfo <watcher status="pending" event="subscribe">, publisher on CSP 1.2',
    fidelity: 'lossless',
    clause: 'RFC 3858 §4.2; imps.md §3.1 PresenceAuth-Request (≤1.2)',
    note: "the requested attributes come from the watcher's filter (rows F1–F23), else all",
  },
  {
    id: 'W2',
    direction: 'simple→imps',
    imps: 'Notification-Request NotificationType ANU (UserID, PresenceSubList)',
    simple: 'the same pending watcher, publisher on CSP 1.3',
    fidelity: 'lossless',
    clause: 'imps.md §3.2 item 3 (ANU = Authorization-Needed-User)',
    note: '',
  },
  {
    id: 'W3',
    direction: 'simple→imps',
    imps: 'one more request, as W1/W2',
    simple: '<watcher status="waiting">',
    fidelity: 'lossy',
    clause: 'RFC 3857 §5.2.2 waiting (subscription ended unanswered, may still be authorized)',
    note: 'IMPS cannot tell "waiting" from "pending"',
  },
  {
    id: 'W4',
    direction: 'simple→imps',
    imps: '— nothing to ask',
    simple: 'watchers active or terminated (approved, rejected, timeout, …)',
    fidelity: 'none',
    clause: 'RFC 3858 §4.2',
    note: 'already decided; GetWatcherList shows them',
  },
  {
    id: 'W5',
    direction: 'imps→simple',
    imps: 'PresenceAuth-User Acceptance T [PresenceSubList]',
    simple: 'allow for the watcher (user grant, row AU7); watcher becomes active, event approved',
    fidelity: 'lossless',
    clause: 'imps.md §3.1; RFC 3857 §5.2.1 (pending → active: approved)',
    note: 'no PresenceSubList: the attributes the watcher asked for',
  },
  {
    id: 'W6',
    direction: 'imps→simple',
    imps: 'PresenceAuth-User Acceptance F',
    simple: 'block for the watcher (row AU8); watcher terminated, event rejected',
    fidelity: 'lossless',
    clause: 'imps.md §3.1; RFC 3857 §5.2.1 (pending → terminated: rejected)',
    note: '',
  },
  {
    id: 'W7',
    direction: 'imps→simple',
    imps: 'CancelAuth-Request (UserID)',
    simple: "the watcher's user rule removed; terminated;reason=rejected (row SN9)",
    fidelity: 'lossless',
    clause: 'imps.md §3.1 CancelAuth-Request',
    note: '',
  },
  {
    id: 'W8',
    direction: 'imps→simple',
    imps: 'PresenceAuth-Request for an IMPS watcher of a SIMPLE publisher',
    simple: 'watcherinfo <watcher status="pending" event="subscribe"> (id from the UserID)',
    fidelity: 'lossy',
    clause: 'RFC 3858 §4.2',
    note: 'no SIP subscription exists on that side: no expiration, duration or display name',
  },
];

/** The CSP primitive asking the publisher, in the CSP version its client speaks. */
export type AuthorizationRequest =
  | { primitive: 'PresenceAuth-Request'; userId: string; presenceSubList: PresenceSubList }
  | {
      primitive: 'Notification-Request';
      notificationType: 'ANU';
      userId: string;
      presenceSubList: PresenceSubList;
    };

/**
 * Pending (and waiting) watchers of one watcherinfo document → authorization requests.
 * `requested(uri)` gives the attributes a watcher asked for (its filter), or undefined for all.
 */
export function watchersToAuthRequests(
  info: WatcherInfo,
  csp: '1.2' | '1.3',
  requested: (watcherUri: string) => readonly string[] | undefined = () => undefined,
): { value: AuthorizationRequest[]; rows: string[] } {
  const rows = new Set<string>();
  const value: AuthorizationRequest[] = [];
  for (const list of info.watcherLists) {
    if (list.package !== 'presence') continue;
    for (const w of list.watchers) {
      const r = watcherToAuthRequest(w, csp, requested(w.uri));
      for (const id of r.rows) rows.add(id);
      if (r.value) value.push(r.value);
    }
  }
  return { value, rows: [...rows] };
}

export function watcherToAuthRequest(
  w: Watcher,
  csp: '1.2' | '1.3',
  attributes?: readonly string[],
): { value: AuthorizationRequest | undefined; rows: string[] } {
  if (w.status !== 'pending' && w.status !== 'waiting') return { value: undefined, rows: ['W4'] };
  const userId = sipToImps(w.uri);
  if (!userId.ok) return { value: undefined, rows: ['W4'] };
  const presenceSubList = attributesToSubList(attributes ?? []);
  const rows = w.status === 'waiting' ? ['W3'] : [];
  if (csp === '1.2') {
    return {
      value: { primitive: 'PresenceAuth-Request', userId: userId.value, presenceSubList },
      rows: [...rows, 'W1'],
    };
  }
  return {
    value: {
      primitive: 'Notification-Request',
      notificationType: 'ANU',
      userId: userId.value,
      presenceSubList,
    },
    rows: [...rows, 'W2'],
  };
}

/** An IMPS PresenceAuth-Request (IMPS watcher, SIMPLE publisher) as a watcherinfo entry (row W8). */
export function authRequestToWatcher(userId: string): { value: Watcher | undefined; row: string } {
  const uri = impsToSip(userId);
  if (!uri.ok) return { value: undefined, row: 'W8' };
  const id = `wv-${uri.value.replace(/[^A-Za-z0-9]/g, '-')}`;
  return { value: { id, uri: uri.value, status: 'pending', event: 'subscribe' }, row: 'W8' };
}

const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
const without = (xs: string[], id: string) => xs.filter((x) => !same(x, id));

/**
 * PresenceAuth-User (UserID, Acceptance, PresenceSubList?) folded into the publisher's policy.
 * `asked` is what the watcher requested, used when Acceptance T carries no PresenceSubList.
 */
export function applyPresenceAuthUser(
  policy: ImpsPresencePolicy,
  auth: { userId: string; acceptance: boolean; presenceSubList?: PresenceSubList },
  asked: readonly string[],
): { value: ImpsPresencePolicy; row: string } {
  const userGrants = policy.userGrants.filter((g) => !same(g.userId, auth.userId));
  const denied = without(policy.denied, auth.userId);
  if (!auth.acceptance)
    return { value: { ...policy, userGrants, denied: [...denied, auth.userId] }, row: 'W6' };
  const granted = auth.presenceSubList ? requestedAttributes(auth.presenceSubList) : [...asked];
  return {
    value: { ...policy, denied, userGrants: [...userGrants, { userId: auth.userId, attributes: granted }] },
    row: 'W5',
  };
}

/** CancelAuth-Request: the watcher's grant goes and it is not asked again; a default grant still applies. */
export function applyCancelAuth(
  policy: ImpsPresencePolicy,
  userId: string,
): { value: ImpsPresencePolicy; row: string } {
  const userGrants = policy.userGrants.filter((g) => !same(g.userId, userId));
  return { value: { ...policy, userGrants, denied: [...without(policy.denied, userId), userId] }, row: 'W7' };
}
