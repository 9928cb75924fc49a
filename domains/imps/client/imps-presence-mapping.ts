// The control API's common presence model (docs/control-api.md, RPID terms) <-> IMPS presence
// attributes (imps.md §4, §12 proposed mapping). Pure; one row per field.

import type {
  ControlPresence,
  PresenceField,
  ProvidePermissions,
} from '../../simple/client/terminal-control.ts';
import type { PresenceSubList } from '../csp/model/presence-attributes.ts';

// imps.md §12: AVAILABLE <-> available, DISCREET <-> busy/discreet, NOT_AVAILABLE <-> away.
const AVAILABILITY_TO_IMPS = {
  available: 'AVAILABLE',
  discreet: 'DISCREET',
  'not-available': 'NOT_AVAILABLE',
} as const;
const AVAILABILITY_FROM_IMPS: Record<string, ControlPresence['availability']> = {
  AVAILABLE: 'available',
  DISCREET: 'discreet',
  NOT_AVAILABLE: 'not-available',
};

const on = (v: string) => ({ qualifier: true, presenceValue: v });

/**
 * What the terminal publishes with UpdatePresence. OnlineStatus is server-maintained (PS1 sets
 * it from the session); `basic` becomes CommCap IM OPEN/CLOSED, and `closed` without an
 * availability means NOT_AVAILABLE. `activities` has no IMPS attribute and is dropped.
 */
export function toImpsPresence(p: ControlPresence): PresenceSubList {
  const out: PresenceSubList = {};
  const availability =
    p.availability ?? (p.basic === 'closed' ? 'not-available' : p.basic === 'open' ? 'available' : undefined);
  if (availability !== undefined) out.userAvailability = on(AVAILABILITY_TO_IMPS[availability]);
  if (p.basic !== undefined)
    out.commCap = { qualifier: true, commC: [{ cap: 'IM', status: p.basic === 'open' ? 'OPEN' : 'CLOSED' }] };
  if (p.note !== undefined) out.statusText = on(p.note);
  const mood = p.mood?.[0];
  if (mood !== undefined) out.statusMood = on(mood.toUpperCase());
  if (p.placeType !== undefined) out.freeTextLocation = on(p.placeType);
  if (p.statusIcon !== undefined) out.statusContent = { qualifier: true, referredContent: p.statusIcon };
  return out;
}

function value(a: { qualifier?: boolean; presenceValue?: string } | undefined): string | undefined {
  return a === undefined || a.qualifier === false ? undefined : a.presenceValue;
}

export function fromImpsPresence(psl: PresenceSubList): ControlPresence {
  const out: ControlPresence = {};
  const availability = value(psl.userAvailability);
  if (availability !== undefined) out.availability = AVAILABILITY_FROM_IMPS[availability] ?? 'available';
  const online = value(psl.onlineStatus);
  const im = psl.commCap?.commC?.find((c) => c.cap === 'IM')?.status;
  if (online === 'F' || im === 'CLOSED') out.basic = 'closed';
  else if (online === 'T' || im === 'OPEN') out.basic = availability === 'NOT_AVAILABLE' ? 'closed' : 'open';
  const note = value(psl.statusText);
  if (note !== undefined) out.note = note;
  const mood = value(psl.statusMood);
  if (mood !== undefined) out.mood = [mood.toLowerCase()];
  const place = value(psl.freeTextLocation);
  if (place !== undefined) out.placeType = place;
  const icon = psl.statusContent?.referredContent ?? psl.statusContent?.preferredContent;
  if (icon !== undefined) out.statusIcon = icon;
  const registered = value(psl.registration);
  const plmn = value(psl.plmn);
  if (registered !== undefined || plmn !== undefined) {
    out.network = {};
    if (registered !== undefined) out.network.registered = registered === 'T';
    if (plmn !== undefined) out.network.visited = plmn;
  }
  return out;
}

/**
 * The IMPS attributes a subscription to some fields of the common model names (imps.md §3.1: a
 * SubscribePresence PresenceSubList of empty elements). The inverse of fromImpsPresence:
 * `basic` is read from OnlineStatus and CommCap; `activities` has no IMPS attribute (toImpsPresence
 * drops it), so it adds nothing.
 */
const ATTRIBUTES_OF_FIELD: Record<PresenceField, readonly string[]> = {
  basic: ['OnlineStatus', 'CommCap'],
  availability: ['UserAvailability'],
  activities: [],
  mood: ['StatusMood'],
  note: ['StatusText'],
  placeType: ['FreeTextLocation'],
  statusIcon: ['StatusContent'],
  network: ['Registration', 'PLMN'],
};

export function subscribedAttributes(fields: readonly PresenceField[]): string[] {
  return [...new Set(fields.flatMap((f) => ATTRIBUTES_OF_FIELD[f]))];
}

/** Attribute element names an approved watcher may see (RFC 5025-like `provide` switches). */
export function grantedAttributes(provide: ProvidePermissions | undefined): string[] {
  const out = ['OnlineStatus', 'UserAvailability', 'CommCap', 'ClientInfo', 'StatusContent', 'Alias'];
  const p = provide ?? { notes: true, mood: true, placeType: true, network: true };
  if (p.notes !== false) out.push('StatusText');
  if (p.mood !== false) out.push('StatusMood');
  if (p.placeType !== false) out.push('FreeTextLocation');
  if (p.network !== false) out.push('Registration', 'PLMN');
  return out;
}

/** `sip:jane@domain2.lab`, `pres:…`, `im:…` or a bare `user@domain` -> `wv:jane@domain2.lab`. */
export function toWvAddress(target: string): string {
  const t = target.trim();
  const m = /^(?:sip|sips|pres|im|wv):(.*)$/i.exec(t);
  return `wv:${(m === null ? t : m[1]!).toLowerCase()}`;
}
