// SIMPLE → IMPS presence: a PIDF document (RFC 3863 + RFC 4479/4480/4482/5196, GEOPRIV) becomes
// a PresenceSubList (imps.md §4). Documents the IWF wrote come back exactly (the lab elements
// and the wv-* occurrence ids); documents from any SIMPLE client are read as well as they can be,
// and the rows reported say where that was lossy. Pure: a parsed Pidf in, values out.
import { text } from '../../../common/xml/query.ts';
import type { PresenceSubList } from '../../../domains/imps/csp/model/presence-attributes.ts';
import type { Person, Pidf, Tuple } from '../../../domains/simple/payloads/pidf.ts';
import { sipToImps } from '../address.ts';
import { readGeopriv } from './geopriv.ts';
import { IDS } from './imps-to-pidf.ts';
import { isLab, readClientInfo, readInfoLinks, readNetwork, readPreferredContacts } from './lab-elements.ts';
import { GEO_NS } from './presence-namespaces.ts';
import {
  CAP_SHAPES,
  CLIENT_TYPES,
  capFromShape,
  collapseActivities,
  minutesToZone,
  rpidToMood,
  SCHEME_TO_CAP,
} from './presence-values.ts';

type CommC = NonNullable<NonNullable<PresenceSubList['commCap']>['commC']>[number];

function schemeOf(uri: string): string {
  const i = uri.indexOf(':');
  return i > 0 ? uri.slice(0, i).toLowerCase() : '';
}

/** <contact> URI → CommC Contact: tel:/mailto: unwrapped, sip:/pres:/im: as wv: (address rows S1/S2). */
function contactValue(uri: string, rows: string[]): string {
  const scheme = schemeOf(uri);
  if (scheme === 'tel' || scheme === 'mailto') {
    rows.push('D14');
    return uri.slice(scheme.length + 1).split(';')[0]!;
  }
  if (scheme === 'sip' || scheme === 'sips' || scheme === 'pres' || scheme === 'im') {
    const wv = sipToImps(uri);
    if (wv.ok) {
      rows.push('D14');
      return wv.value;
    }
  }
  return uri;
}

function commC(t: Tuple, rows: string[]): CommC | undefined {
  const caps = t.servcaps;
  let cap = caps ? capFromShape(caps.booleans, caps.schemes?.supported ?? []) : undefined;
  if (!cap && caps?.descriptions[0] && !CAP_SHAPES[caps.descriptions[0].text])
    cap = caps.descriptions[0].text;
  if (cap) rows.push('D12');
  else {
    // RFC 3856 presence tuples commonly carry only <basic> and a sip: contact: an IM service.
    cap = SCHEME_TO_CAP[schemeOf(t.contact?.uri ?? 'sip:')];
    if (!cap) return undefined;
    rows.push('D13');
  }
  const out: CommC = { cap, status: t.status.basic === 'open' ? 'OPEN' : 'CLOSED' };
  if (t.contact) out.contact = contactValue(t.contact.uri, rows);
  if (t.notes[0]) out.note = t.notes[0].text;
  return out;
}

function availability(person: Person | undefined, tuples: Tuple[], rows: string[]): string | undefined {
  const lab = person?.extensions.find((e) => isLab(e, 'user-availability'));
  if (lab) {
    rows.push('D3');
    return text(lab).trim();
  }
  const acts = person?.rpid.activities;
  const collapsed = acts ? collapseActivities(acts.values, acts.others.length) : undefined;
  if (collapsed) {
    rows.push(collapsed === 'NOT_AVAILABLE' ? 'D4' : 'D5');
    return collapsed;
  }
  // RFC 7248 §3.3 in reverse: an open service and no activity is plain "available".
  if (tuples.some((t) => t.status.basic === 'open')) {
    rows.push('D6');
    return 'AVAILABLE';
  }
  return undefined;
}

function fromDataUri(uri: string): { type: string; payload: string; base64: boolean } | undefined {
  const m = /^data:([^,]*?)(;base64)?,(.*)$/s.exec(uri);
  if (!m) return undefined;
  return { type: m[1]!, payload: m[3]!, base64: m[2] !== undefined };
}

function personAttributes(p: Person, out: PresenceSubList, rows: string[]): void {
  const note = p.notes[0];
  if (note) {
    out.statusText = { qualifier: true, presenceValue: note.text };
    rows.push('D7');
  }
  const mood = p.rpid.mood;
  if (mood && (mood.values[0] !== undefined || mood.others[0] !== undefined)) {
    const value = mood.values[0] !== undefined ? rpidToMood(mood.values[0]) : mood.others[0]!.text;
    out.statusMood = { qualifier: true, presenceValue: value };
    rows.push(mood.values[0] !== undefined ? 'D9' : 'D10');
  }
  if (p.cipid.displayName !== undefined) {
    out.alias = { qualifier: true, presenceValue: p.cipid.displayName };
    rows.push('D11');
  }
  if (p.rpid.timeOffset) {
    out.timeZone = { qualifier: true, zone: minutesToZone(p.rpid.timeOffset.minutes) };
    rows.push('D17');
  }
  const place = p.rpid.placeType;
  if (place) {
    const free = place.others[0]?.text ?? place.extensions[0]?.local ?? place.values[0];
    if (free !== undefined) {
      out.freeTextLocation = { qualifier: true, presenceValue: free };
      rows.push(place.others[0] ? 'D22' : 'D22b');
    }
  }
  const icon = p.cipid.icon ?? p.rpid.statusIcon?.uri;
  if (icon !== undefined) {
    const data = fromDataUri(icon);
    if (data?.base64) {
      out.statusContent = { qualifier: true, directContent: data.payload };
      if (data.type) out.statusContent.contentType = data.type;
      rows.push('D24');
    } else {
      out.statusContent = { qualifier: true, referredContent: icon };
      rows.push(p.cipid.icon !== undefined ? 'D23' : 'D25');
    }
  }
  if (p.cipid.card !== undefined) {
    const data = fromDataUri(p.cipid.card);
    if (data && !data.base64 && /^text\/(x-)?vcard/i.test(data.type)) {
      out.contactInfo = { qualifier: true, containedvCard: safeDecode(data.payload) };
    } else out.contactInfo = { qualifier: true, referredvCard: p.cipid.card };
    rows.push('D26');
  }
  labAndGeo(p, out, rows);
  const unmapped =
    p.rpid.placeIs || p.rpid.privacy || p.rpid.sphere || p.rpid.userInput || p.rpid.class !== undefined;
  if (unmapped || p.cipid.map !== undefined || p.cipid.sound !== undefined) rows.push('D31');
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function labAndGeo(p: Person, out: PresenceSubList, rows: string[]): void {
  let links = false;
  for (const e of p.extensions) {
    if (e.ns === GEO_NS.geopriv && e.local === 'geopriv') {
      const loc = readGeopriv(e, rows);
      if (loc.geoLocation) out.geoLocation ??= loc.geoLocation;
      if (loc.address) out.address ??= loc.address;
    } else if (isLab(e, 'preferred-language')) {
      out.preferredLanguage = { qualifier: true, presenceValue: text(e).trim() };
      rows.push('D27');
    } else if (isLab(e, 'preferred-contacts')) {
      out.preferredContacts = { qualifier: true, addrPrefs: readPreferredContacts(e) };
      rows.push('D28');
    } else if (isLab(e, 'info-links')) {
      out.infoLink = { qualifier: true, infLinks: readInfoLinks(e) };
      links = true;
      rows.push('D29');
    } else if (isLab(e, 'network')) {
      const n = readNetwork(e);
      if (n.registration !== undefined) out.registration = { qualifier: true, presenceValue: n.registration };
      if (n.plmn !== undefined) out.plmn = { qualifier: true, presenceValue: n.plmn };
      rows.push('D30');
    }
  }
  if (!links && p.cipid.homepage !== undefined) {
    out.infoLink = { qualifier: true, infLinks: [{ link: p.cipid.homepage }] };
    rows.push('D29b');
  }
}

function clientInfo(doc: Pidf, out: PresenceSubList, rows: string[]): void {
  const device = doc.devices.find((d) => d.id === IDS.device) ?? doc.devices[0];
  if (!device) return;
  const lab = device.extensions.find((e) => isLab(e, 'client-info'));
  if (lab) {
    out.clientInfo = readClientInfo(lab);
    rows.push('D15');
    return;
  }
  const ci: NonNullable<PresenceSubList['clientInfo']> = { qualifier: true };
  const cls = device.rpid.class?.toUpperCase();
  const mobility = device.devcaps?.mobility?.supported[0];
  if (cls && (CLIENT_TYPES as readonly string[]).includes(cls)) ci.clientType = cls;
  else if (mobility) ci.clientType = mobility === 'mobile' ? 'MOBILE_PHONE' : 'COMPUTER';
  const description = device.devcaps?.descriptions[0]?.text ?? device.notes[0]?.text;
  if (description !== undefined) ci.model = description;
  out.clientInfo = ci;
  rows.push('D16');
}

/** PIDF → IMPS PresenceSubList. The first <dm:person> speaks for the user (RFC 4479 §3.1 allows one). */
export function pidfToImps(doc: Pidf): { value: PresenceSubList; rows: string[] } {
  const rows: string[] = [];
  const out: PresenceSubList = {};
  const online = doc.tuples.find((t) => t.id === IDS.online);
  const services = doc.tuples.filter((t) => t !== online);
  // Tuples another SIMPLE client wrote (not the IWF's wv-* ones) are read for what they imply.
  const foreign = services.filter((t) => !t.id.startsWith(IDS.capPrefix));
  if (online) {
    out.onlineStatus = { qualifier: true, presenceValue: online.status.basic === 'open' ? 'T' : 'F' };
    rows.push('D1');
  } else if (foreign.some((t) => t.status.basic !== undefined)) {
    const open = foreign.some((t) => t.status.basic === 'open');
    out.onlineStatus = { qualifier: true, presenceValue: open ? 'T' : 'F' };
    rows.push('D2');
  }
  const commCs = services.map((t) => commC(t, rows)).filter((c) => c !== undefined);
  if (commCs.length > 0) out.commCap = { qualifier: true, commC: commCs };
  const person = doc.persons[0];
  const ua = availability(person, foreign, rows);
  if (ua !== undefined) out.userAvailability = { qualifier: true, presenceValue: ua };
  if (person) personAttributes(person, out, rows);
  if (!out.statusText) {
    const note = doc.notes[0] ?? foreign.find((t) => t.notes[0])?.notes[0];
    if (note) {
      out.statusText = { qualifier: true, presenceValue: note.text };
      rows.push('D8');
    }
  }
  clientInfo(doc, out, rows);
  return { value: order(out), rows };
}

/** Keys in DTD order (imps.md §4.1), so encoders and deep-equal comparisons see one shape. */
const DTD_ORDER: ReadonlyArray<keyof PresenceSubList> = [
  'onlineStatus',
  'registration',
  'clientInfo',
  'timeZone',
  'geoLocation',
  'address',
  'freeTextLocation',
  'plmn',
  'commCap',
  'userAvailability',
  'preferredContacts',
  'preferredLanguage',
  'statusText',
  'statusMood',
  'alias',
  'statusContent',
  'contactInfo',
  'infoLink',
];

function order(s: PresenceSubList): PresenceSubList {
  const out: PresenceSubList = {};
  for (const k of DTD_ORDER) if (s[k] !== undefined) (out as Record<string, unknown>)[k] = s[k];
  return out;
}
