// "Only changes" (imps.md §3.1: after the first PresenceNotification the server sends only the
// attributes that changed) ⇄ RFC 5263 partial notification (simple.md §5.2), and the IWF-side
// differ used when the SIMPLE side sends full documents anyway (it ignores filters or does not
// do pidf-diff — Kamailio and OpenSIPS ignore both, simple.md §5.1).
// Pure: two PresenceSubLists in, the changed attributes out.
import { isDeepStrictEqual } from 'node:util';
import {
  type PresenceSubList,
  PresenceSubListSchema,
} from '../../../domains/imps/csp/model/presence-attributes.ts';
import { CONTENT_TYPE } from '../../../domains/simple/payloads/namespaces.ts';

export interface OnlyChangesRow {
  id: string;
  direction: 'imps→simple' | 'simple→imps';
  imps: string;
  simple: string;
  fidelity: 'lossless' | 'lossy' | 'none';
  clause: string;
  note: string;
}

export const ONLY_CHANGES_ROWS: readonly OnlyChangesRow[] = [
  {
    id: 'O1',
    direction: 'imps→simple',
    imps: 'SubscribePresence (notifications carry changed attributes)',
    simple: `SUBSCRIBE Accept: ${CONTENT_TYPE.pidf}, ${CONTENT_TYPE.pidfDiff}`,
    fidelity: 'lossless',
    clause: 'RFC 5263 §3 (the watcher lists pidf-diff in Accept); simple.md §9.2',
    note: 'PIDF stays listed: a notifier without partial notification sends full state',
  },
  {
    id: 'O2',
    direction: 'simple→imps',
    imps: 'first PresenceNotification: every mapped attribute',
    simple: 'NOTIFY <pidf-full> (or a plain PIDF)',
    fidelity: 'lossless',
    clause: 'RFC 5263 §4 (first NOTIFY and the first after a refresh carry full state)',
    note: 'the IWF keeps it as the baseline of the subscription',
  },
  {
    id: 'O3',
    direction: 'simple→imps',
    imps: 'PresenceNotification with the changed attributes',
    simple: 'NOTIFY <p:patch version=n+1>',
    fidelity: 'lossless',
    clause: 'RFC 5263 §4; RFC 5262 (patch applied to the baseline)',
    note: 'the face applies the patch (payloads pidf-diff) and diffs the mapped result (O4)',
  },
  {
    id: 'O4',
    direction: 'simple→imps',
    imps: 'PresenceNotification with the changed attributes',
    simple: 'NOTIFY with full state again (filters or pidf-diff ignored)',
    fidelity: 'lossless',
    clause: 'imps.md §3.1 (notify on change of a subscribed attribute)',
    note: 'diffPresence(previous, next) against the last mapped state',
  },
  {
    id: 'O5',
    direction: 'simple→imps',
    imps: 'no PresenceNotification',
    simple: 'NOTIFY whose mapped attributes did not change',
    fidelity: 'lossless',
    clause: 'imps.md §3.1',
    note: 'e.g. only a timestamp or an unmapped RPID element changed',
  },
  {
    id: 'O6',
    direction: 'simple→imps',
    imps: 'the attribute with Qualifier F',
    simple: 'a part removed from the document',
    fidelity: 'lossless',
    clause: 'imps.md §4.1 (Qualifier F: clients treat the attribute as absent)',
    note: '',
  },
  {
    id: 'O7',
    direction: 'simple→imps',
    imps: 're-SUBSCRIBE (refresh) for full state',
    simple: 'patch version gap or a patch that does not apply',
    fidelity: 'lossless',
    clause: 'RFC 5263 §4.3',
    note: 'nothing reaches the IMPS side until full state is back',
  },
  {
    id: 'O8',
    direction: 'imps→simple',
    imps: 'PS1 PresenceNotification (changed attributes) for a SIMPLE watcher',
    simple: `NOTIFY ${CONTENT_TYPE.pidf} with the whole merged state`,
    fidelity: 'lossless',
    clause: 'RFC 3856 §6.9 (full state); RFC 5263 §3 (partial is optional for the notifier)',
    note: 'the IWF merges the change into the stored state (mergePresence) and sends full PIDF',
  },
  {
    id: 'O9',
    direction: 'imps→simple',
    imps: '— (PS1 only has IMPS attributes to give)',
    simple: 'SUBSCRIBE whose Accept lists neither application/pidf+xml nor a wildcard',
    fidelity: 'none',
    clause: 'RFC 3856 §6.7 (PIDF is the mandatory format; no Accept = PIDF); RFC 6665 §8.3.1 (406)',
    note: 'answered 406 Not Acceptable',
  },
];

/** Row O1: the Accept header of the IWF's presence SUBSCRIBE. */
export const PRESENCE_SUBSCRIBE_ACCEPT = `${CONTENT_TYPE.pidf}, ${CONTENT_TYPE.pidfDiff}`;

/** Rows O8/O9: the NOTIFY body type for a SIMPLE watcher's Accept header, or 406. */
export function notifyBodyType(
  accept: string | undefined,
): { value: string; row: string } | { refuse: 406; row: string } {
  if (accept === undefined || accept.trim() === '') return { value: CONTENT_TYPE.pidf, row: 'O8' };
  const types = accept.split(',').map((t) => t.split(';')[0]!.trim().toLowerCase());
  const ok = types.some((t) => t === CONTENT_TYPE.pidf || t === 'application/*' || t === '*/*');
  return ok ? { value: CONTENT_TYPE.pidf, row: 'O8' } : { refuse: 406, row: 'O9' };
}

const KEYS = Object.keys(PresenceSubListSchema) as Array<keyof typeof PresenceSubListSchema>;
const EL = new Map(KEYS.map((k) => [k, PresenceSubListSchema[k].el]));

export interface PresenceDelta {
  /** The changed and added attributes with their new values; removed ones with Qualifier F. */
  value: PresenceSubList;
  /** Element names of the attributes in `value`, in DTD order. */
  changed: string[];
  rows: string[];
}

/** The attributes of `next` that differ from `previous` (rows O4–O6). */
export function diffPresence(previous: PresenceSubList, next: PresenceSubList): PresenceDelta {
  const value: Record<string, unknown> = {};
  const changed: string[] = [];
  const rows = new Set<string>();
  for (const k of KEYS) {
    const before = previous[k];
    const after = next[k];
    if (isDeepStrictEqual(before, after)) continue;
    if (after === undefined) {
      value[k] = { qualifier: false };
      rows.add('O6');
    } else {
      value[k] = after;
      rows.add('O4');
    }
    changed.push(EL.get(k)!);
  }
  if (changed.length === 0) rows.add('O5');
  return { value: value as PresenceSubList, changed, rows: [...rows] };
}

/**
 * The inverse for the other direction (row O8): a PresenceNotification's changed attributes
 * folded into the stored state; Qualifier F removes the attribute (imps.md §4.1).
 */
export function mergePresence(state: PresenceSubList, change: PresenceSubList): PresenceSubList {
  const out: Record<string, unknown> = { ...state };
  for (const k of KEYS) {
    const v = change[k] as { qualifier?: boolean } | undefined;
    if (v === undefined) continue;
    if (v.qualifier === false) delete out[k];
    else out[k] = v;
  }
  return out as PresenceSubList;
}
