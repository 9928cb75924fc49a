// IMPS → SIMPLE presence: a PresenceSubList (imps.md §4) for a presentity becomes a PIDF
// document (RFC 3863) with the RFC 4479 data model — one <dm:person> for the user's own
// attributes, one service <tuple> per CommC and one for the IMPS session (OnlineStatus), one
// <dm:device> for ClientInfo. Which row of PRESENCE_ROWS decided each part is reported.
// Pure: values in, a Pidf out; renderPidf (presence-namespaces.ts) writes the bytes.
import { createHash } from 'node:crypto';
import type { XmlElement } from '../../../common/xml/xml-node.ts';
import type { PresenceSubList } from '../../../domains/imps/csp/model/presence-attributes.ts';
import type { ServCaps } from '../../../domains/simple/payloads/caps.ts';
import type { Cipid } from '../../../domains/simple/payloads/cipid.ts';
import { emptyTuple, type Pidf, type Tuple } from '../../../domains/simple/payloads/pidf.ts';
import type { Rpid } from '../../../domains/simple/payloads/rpid.ts';
import { impsToSip } from '../address.ts';
import { writeGeopriv } from './geopriv.ts';
import {
  writeClientInfo,
  writeInfoLinks,
  writeNetwork,
  writePreferredContacts,
  writePreferredLanguage,
  writeUserAvailability,
} from './lab-elements.ts';
import {
  AVAILABILITY_TO_ACTIVITIES,
  CAP_ALIASES,
  CAP_SHAPES,
  CLIENT_TYPE_MOBILITY,
  moodToRpid,
  type UserAvailabilityValue,
  zoneToMinutes,
} from './presence-values.ts';

export type PresenceMapping<T> =
  | { ok: true; value: T; rows: string[] }
  | { ok: false; reason: string; rows: string[] };

/** Occurrence ids (RFC 4479 §3.4) of the parts the IWF writes; pres-rules and pidf-diff select by them. */
export const IDS = {
  person: 'wv-person',
  online: 'wv-online',
  device: 'wv-device',
  capPrefix: 'wv-cap-',
} as const;

/**
 * RFC 4480 §3.2 <class> of the IWF's tuples: pres-rules <provide-services> selects services by
 * class (RFC 5025 §3.3.1), so an IMPS grant of OnlineStatus or of CommCap alone is expressible.
 */
export const TUPLE_CLASSES = { online: 'wv-online', commCap: 'wv-commcap' } as const;

/** imps.md §4.1: Qualifier F = unknown or withheld; the attribute is treated as absent (row P2). */
function valid<T extends { qualifier?: boolean }>(a: T | undefined, rows: string[]): T | undefined {
  if (a === undefined) return undefined;
  if (a.qualifier === false) {
    rows.push('P2');
    return undefined;
  }
  return a;
}

/** CommC Contact → <contact> URI (RFC 3863 §4.1.5: a URI). */
function contactUri(cap: string, contact: string, rows: string[]): string {
  const c = contact.trim();
  if (/^\+\d+$/.test(c)) {
    rows.push('P11');
    return `tel:${c}`;
  }
  if (cap === 'EMAIL' && !c.includes(':') && c.includes('@')) {
    rows.push('P11');
    return `mailto:${c}`;
  }
  if (/^wv:/i.test(c) || (!c.includes(':') && c.includes('@'))) {
    const sip = impsToSip(c);
    if (sip.ok) {
      rows.push('P12');
      return sip.value;
    }
  }
  return c;
}

function capTuple(
  commC: NonNullable<NonNullable<PresenceSubList['commCap']>['commC']>[number],
  index: number,
  rows: string[],
): Tuple {
  const raw = (commC.cap ?? '').trim().toUpperCase();
  if (CAP_ALIASES[raw]) rows.push('P13');
  const cap = CAP_ALIASES[raw] ?? raw;
  const basic = commC.status?.trim().toUpperCase() === 'OPEN' ? 'open' : 'closed';
  const t = emptyTuple(`${IDS.capPrefix}${index + 1}`, basic);
  t.rpid.class = TUPLE_CLASSES.commCap;
  const shape = CAP_SHAPES[cap];
  const caps: ServCaps = { booleans: {}, lists: {}, descriptions: [], types: [], extensions: [] };
  for (const b of shape?.booleans ?? []) caps.booleans[b] = true;
  if (shape?.scheme) caps.schemes = { supported: [shape.scheme], notsupported: [] };
  // A Cap outside imps.md §4.2's list is named in the caps description (RFC 5196 §3.2.8) so it survives.
  if (!shape && raw) caps.descriptions.push({ text: raw });
  t.servcaps = caps;
  if (commC.contact !== undefined) t.contact = { uri: contactUri(cap, commC.contact, rows) };
  if (commC.note !== undefined) t.notes.push({ text: commC.note });
  rows.push('P10');
  return t;
}

/** A stable urn:uuid for the client device, derived from the presentity (RFC 4479 §3.4.2 needs a URN). */
function deviceUrn(entity: string): string {
  const h = createHash('sha1').update(`wv-client:${entity}`).digest('hex');
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** RFC 2397 data: URL. Lone surrogates (not encodable as UTF-8) become U+FFFD instead of throwing. */
function dataUri(type: string, payload: string, base64: boolean): string {
  if (base64) return `data:${type};base64,${payload}`;
  const wellFormed = payload.replace(
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '\uFFFD',
  );
  return `data:${type},${encodeURIComponent(wellFormed)}`;
}

/** IMPS PresenceSubList → PIDF for `entity` (the presentity's pres:/sip: URI, RFC 3863 §4.1.1). */
export function impsToPidf(sub: PresenceSubList, entity: string): PresenceMapping<Pidf> {
  const rows: string[] = [];
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(entity)) {
    return { ok: false, reason: `entity "${entity}" is not a URI (RFC 3863 §4.1.1)`, rows };
  }
  const doc: Pidf = { entity, tuples: [], notes: [], persons: [], devices: [], extensions: [] };
  const rpid: Rpid = {};
  const cipid: Cipid = {};
  const notes: Array<{ text: string }> = [];
  const ext: XmlElement[] = [];

  const online = valid(sub.onlineStatus, rows);
  if (online?.presenceValue !== undefined) {
    const t = emptyTuple(IDS.online, online.presenceValue.trim() === 'T' ? 'open' : 'closed');
    t.rpid.class = TUPLE_CLASSES.online;
    doc.tuples.push(t);
    rows.push('P1');
  }
  const commCap = valid(sub.commCap, rows);
  (commCap?.commC ?? []).forEach((c, i) => {
    doc.tuples.push(capTuple(c, i, rows));
  });

  const ua = valid(sub.userAvailability, rows)?.presenceValue?.trim();
  if (ua !== undefined) {
    // A value outside imps.md §4.2 has no activity either; the lab element keeps it (row P3).
    const acts = Object.hasOwn(AVAILABILITY_TO_ACTIVITIES, ua)
      ? AVAILABILITY_TO_ACTIVITIES[ua as UserAvailabilityValue]
      : [];
    if (acts.length > 0) rpid.activities = { notes: [], values: [...acts], others: [], extensions: [] };
    else ext.push(writeUserAvailability(ua));
    rows.push(ua === 'DISCREET' ? 'P4' : ua === 'NOT_AVAILABLE' ? 'P5' : 'P3');
  }
  const statusText = valid(sub.statusText, rows)?.presenceValue;
  if (statusText !== undefined) {
    notes.push({ text: statusText });
    rows.push('P6');
  }
  const mood = valid(sub.statusMood, rows)?.presenceValue;
  if (mood !== undefined) {
    const m = moodToRpid(mood);
    rpid.mood = {
      notes: [],
      values: 'token' in m ? [m.token] : [],
      others: 'other' in m ? [{ text: m.other }] : [],
      extensions: [],
    };
    rows.push('token' in m ? 'P7' : 'P8');
  }
  const alias = valid(sub.alias, rows)?.presenceValue;
  if (alias !== undefined) {
    cipid.displayName = alias;
    rows.push('P9');
  }
  const tz = valid(sub.timeZone, rows)?.zone;
  if (tz !== undefined) {
    const minutes = zoneToMinutes(tz);
    if (minutes === undefined) rows.push('P16');
    else {
      rpid.timeOffset = { minutes };
      rows.push('P15');
    }
  }
  const geo = writeGeopriv(valid(sub.geoLocation, rows), valid(sub.address, rows), rows);
  if (geo) ext.push(geo);
  const freeText = valid(sub.freeTextLocation, rows)?.presenceValue;
  if (freeText !== undefined) {
    rpid.placeType = { notes: [], values: [], others: [{ text: freeText }], extensions: [] };
    rows.push('P22');
  }
  const content = valid(sub.statusContent, rows);
  const referred = content?.referredContent ?? content?.preferredContent;
  if (content?.directContent !== undefined) {
    cipid.icon = dataUri(content.contentType ?? '', content.directContent.replace(/\s+/g, ''), true);
    rows.push('P24');
  } else if (referred !== undefined) {
    cipid.icon = referred.trim();
    rows.push('P23');
  }
  const card = valid(sub.contactInfo, rows);
  const cardUrl = card?.referredvCard ?? card?.preferredvCard;
  if (card?.containedvCard !== undefined) {
    cipid.card = dataUri('text/vcard;charset=utf-8', card.containedvCard, false);
    rows.push('P26');
  } else if (cardUrl !== undefined) {
    cipid.card = cardUrl.trim();
    rows.push('P25');
  }
  const lang = valid(sub.preferredLanguage, rows)?.presenceValue;
  if (lang !== undefined) {
    ext.push(writePreferredLanguage(lang));
    rows.push('P27');
  }
  const prefs = valid(sub.preferredContacts, rows)?.addrPrefs;
  if (prefs && prefs.length > 0) {
    ext.push(writePreferredContacts(prefs));
    rows.push('P28');
  }
  const links = valid(sub.infoLink, rows)?.infLinks;
  if (links && links.length > 0) {
    ext.push(writeInfoLinks(links));
    const first = links.find((l) => l.link !== undefined)?.link;
    if (first !== undefined) cipid.homepage = first.trim();
    rows.push('P29');
  }
  const registration = valid(sub.registration, rows)?.presenceValue?.trim();
  const plmn = valid(sub.plmn, rows)?.presenceValue;
  if (registration !== undefined || plmn !== undefined) {
    ext.push(writeNetwork(registration, plmn));
    if (registration !== undefined) rows.push('P30');
    if (plmn !== undefined) rows.push('P31');
  }

  const hasPerson =
    notes.length > 0 || ext.length > 0 || Object.keys(rpid).length + Object.keys(cipid).length > 0;
  if (hasPerson) doc.persons.push({ id: IDS.person, rpid, cipid, notes, extensions: ext });

  const client = valid(sub.clientInfo, rows);
  if (client) doc.devices.push(clientDevice(client, entity));
  if (client) rows.push('P14');
  return { ok: true, value: doc, rows };
}

function clientDevice(
  ci: NonNullable<PresenceSubList['clientInfo']>,
  entity: string,
): Pidf['devices'][number] {
  const rpid: Rpid = {};
  const type = ci.clientType?.trim().toUpperCase();
  if (type) rpid.class = type.toLowerCase();
  const mobility = type ? CLIENT_TYPE_MOBILITY[type] : undefined;
  const human = [ci.devManufacturer, ci.model].filter((x) => x !== undefined).join(' ');
  const descriptions = human ? [{ text: human }] : [];
  const device: Pidf['devices'][number] = {
    id: IDS.device,
    deviceId: deviceUrn(entity),
    rpid,
    notes: [],
    extensions: [writeClientInfo(ci)],
  };
  if (mobility || descriptions.length > 0) {
    device.devcaps = { descriptions, extensions: [] };
    if (mobility) device.devcaps.mobility = { supported: [mobility], notsupported: [] };
  }
  return device;
}
