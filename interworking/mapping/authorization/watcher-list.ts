// Watcher information ⇄ the IMPS watcher list (imps.md §3.1 GetWatcherList, §12 "watcher-info
// (presence.winfo) → GetWatcherList-Response"; RFC 3857/3858): who watches a SIMPLE user, in
// IMPS terms, and who watches an IMPS user, as a watcherinfo document. Rows WL1–WL4.
// Pure: documents in, primitives out, and back.
import type { PRESENCE_PRIMITIVES } from '../../../domains/imps/csp/model/presence-primitives.ts';
import type { Model } from '../../../domains/imps/csp/model/schema.ts';
import type { Watcher, WatcherInfo, WatcherStatus } from '../../../domains/simple/payloads/watcherinfo.ts';
import { impsToSip, sipToImps } from '../address.ts';

export type GetWatcherListResponse = Model<(typeof PRESENCE_PRIMITIVES)['GetWatcherList-Response']>;

export interface WatcherListRow {
  id: string;
  direction: 'imps→simple' | 'simple→imps';
  imps: string;
  simple: string;
  fidelity: 'lossless' | 'lossy' | 'none';
  clause: string;
  note: string;
}

export const WATCHER_LIST_ROWS: readonly WatcherListRow[] = [
  {
    id: 'WL1',
    direction: 'simple→imps',
    imps: 'Watcher (User UserID, FriendlyName 1.3, WatcherStatus = the winfo status)',
    simple: 'watcherinfo <watcher> active or pending, package presence',
    fidelity: 'lossless',
    clause: 'RFC 3858 §4.2; imps.md §3.1 GetWatcherList-Response (1.2 Watcher, 1.3 FriendlyName)',
    note: 'WatcherStatus is free text in IMPS (imps.md §3.2); the winfo status word is used',
  },
  {
    id: 'WL2',
    direction: 'simple→imps',
    imps: 'User* only',
    simple: 'the same, for a CSP 1.1 client',
    fidelity: 'lossy',
    clause: 'imps.md §3.1 (1.1 GetWatcherList-Response is (User*))',
    note: 'status and display name are dropped',
  },
  {
    id: 'WL3',
    direction: 'simple→imps',
    imps: '— left out',
    simple: 'watchers waiting or terminated, other packages, non-SIP URIs',
    fidelity: 'none',
    clause: 'RFC 3857 §5.2 (not watching now)',
    note: '',
  },
  {
    id: 'WL4',
    direction: 'imps→simple',
    imps: 'GetWatcherList-Response Watcher / User',
    simple: 'watcherinfo full state, one <watcher status="active" event="subscribe"> each',
    fidelity: 'lossy',
    clause: 'RFC 3858 §4 (full state); RFC 3857 §5.2',
    note: 'IMPS lists current watchers only; id from the address, no expiration or duration',
  },
];

const watching = (s: WatcherStatus) => s === 'active' || s === 'pending';

/** A SIMPLE presentity's watchers (winfo) → GetWatcherList-Response for the CSP version asked. */
export function watcherInfoToWatcherList(
  info: WatcherInfo,
  csp: '1.1' | '1.2' | '1.3',
): { value: GetWatcherListResponse; rows: string[] } {
  const rows = new Set<string>();
  const found: Array<{ userId: string; w: Watcher }> = [];
  for (const list of info.watcherLists) {
    for (const w of list.watchers) {
      const wv = list.package === 'presence' && watching(w.status) ? sipToImps(w.uri) : undefined;
      if (!wv?.ok) {
        rows.add('WL3');
        continue;
      }
      if (!found.some((f) => f.userId === wv.value)) found.push({ userId: wv.value, w });
    }
  }
  if (csp === '1.1') {
    if (found.length > 0) rows.add('WL2');
    return { value: { users: found.map((f) => ({ userId: f.userId })) }, rows: [...rows] };
  }
  if (found.length > 0) rows.add('WL1');
  const watchers = found.map(({ userId, w }) => {
    const user: NonNullable<NonNullable<GetWatcherListResponse['watchers']>[number]['user']> = { userId };
    if (csp === '1.3' && w.displayName !== undefined) user.friendlyName = w.displayName;
    return { user, watcherStatus: w.status };
  });
  const value: GetWatcherListResponse = { watchers };
  if (csp === '1.3') value.watcherCount = watchers.length;
  return { value, rows: [...rows] };
}

/** An IMPS user's watchers (GetWatcherList-Response from PS1) → a full watcherinfo document. */
export function watcherListToWatcherInfo(
  resource: string,
  response: GetWatcherListResponse,
  version: number,
): { value: WatcherInfo; row: string } {
  const ids = [...(response.watchers ?? []).map((w) => w.user), ...(response.users ?? [])]
    .map((u) => u?.userId)
    .filter((u) => u !== undefined);
  const watchers: Watcher[] = [];
  for (const userId of ids) {
    const uri = impsToSip(userId);
    if (!uri.ok || watchers.some((w) => w.uri === uri.value)) continue;
    watchers.push({
      id: `wv-${uri.value.replace(/[^A-Za-z0-9]/g, '-')}`,
      uri: uri.value,
      status: 'active',
      event: 'subscribe',
    });
  }
  return {
    value: {
      version,
      state: 'full',
      watcherLists: [{ resource, package: 'presence', watchers, extensions: [] }],
      extensions: [],
    },
    row: 'WL4',
  };
}
