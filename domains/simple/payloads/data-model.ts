// RFC 4479 data model: <dm:person> and <dm:device> beside PIDF tuples (data-model.xsd), and the
// shared handling of the "##other" slot every holder has, where RPID, CIPID and caps elements
// are typed and anything else is kept verbatim as an extension.
import { children, el, text } from '../../../common/xml/query.ts';
import type { XmlElement } from '../../../common/xml/xml-node.ts';
import { type DevCaps, readDevCaps, readServCaps, type ServCaps, writeDevCaps } from './caps.ts';
import { type Cipid, isEmptyCipid, readCipidElement, writeCipid } from './cipid.ts';
import { NS, PREFIX } from './namespaces.ts';
import { invalid, type Note, parseDateTime, q, readNote, requireAttr, writeNote } from './payload-codec.ts';
import { isEmptyRpid, type Rpid, readRpidElement, writeRpid } from './rpid.ts';

export interface Person {
  /** occurrence-id (RFC 4479 §3.4), used by pres-rules and pidf-diff selectors. */
  id: string;
  rpid: Rpid;
  cipid: Cipid;
  notes: Note[];
  timestamp?: string;
  extensions: XmlElement[];
}

export interface Device {
  id: string;
  /** The device's URN (RFC 4479 §3.4.2), e.g. `urn:uuid:…` or `mac:…`. */
  deviceId: string;
  rpid: Rpid;
  devcaps?: DevCaps;
  notes: Note[];
  timestamp?: string;
  extensions: XmlElement[];
}

/** What a holder's ##other slot decodes into. */
export interface OtherSlot {
  rpid: Rpid;
  cipid: Cipid;
  servcaps?: ServCaps;
  devcaps?: DevCaps;
  deviceIds: string[];
  extensions: XmlElement[];
}

export function emptySlot(): OtherSlot {
  return { rpid: {}, cipid: {}, deviceIds: [], extensions: [] };
}

const PIDF_MUST_UNDERSTAND = (e: XmlElement) =>
  e.attributes.some(
    (a) => a.ns === NS.pidf && a.local === 'mustUnderstand' && /^\s*(true|1)\s*$/.test(a.value),
  );

/** RFC 3863 §4.1.7 (mustUnderstand): an extension we keep but don't understand must not carry it. */
function checkMustUnderstand(e: XmlElement): void {
  if (PIDF_MUST_UNDERSTAND(e)) invalid(`<${e.name}> is marked mustUnderstand`, 'PAYLOAD_ERR_MUST_UNDERSTAND');
  for (const c of children(e)) checkMustUnderstand(c);
}

/** Sort one element of a ##other slot into `slot`. */
export function readOther(e: XmlElement, slot: OtherSlot, where: 'tuple' | 'person' | 'device'): void {
  if (e.ns === NS.rpid) {
    if (!readRpidElement(e, slot.rpid)) slot.extensions.push(e);
  } else if (e.ns === NS.cipid && where !== 'device') {
    if (!readCipidElement(e, slot.cipid)) slot.extensions.push(e);
  } else if (e.ns === NS.caps && e.local === 'servcaps' && where === 'tuple' && slot.servcaps === undefined) {
    slot.servcaps = readServCaps(e);
  } else if (e.ns === NS.caps && e.local === 'devcaps' && where === 'device' && slot.devcaps === undefined) {
    slot.devcaps = readDevCaps(e);
  } else if (e.ns === NS.dm && e.local === 'deviceID' && where === 'tuple') {
    slot.deviceIds.push(text(e).trim());
  } else if (e.ns === NS.dm) {
    invalid(`<${e.name}> is not allowed in a ${where}`);
  } else {
    checkMustUnderstand(e);
    slot.extensions.push(e);
  }
}

export function writeRpidCipid(rpid: Rpid, cipid: Cipid): XmlElement[] {
  return [...(isEmptyRpid(rpid) ? [] : writeRpid(rpid)), ...(isEmptyCipid(cipid) ? [] : writeCipid(cipid))];
}

const dm = (local: string) => q(PREFIX.dm, local);

function readTail(e: XmlElement, c: XmlElement, notes: Note[], holder: { timestamp?: string }): boolean {
  if (c.local === 'note') notes.push(readNote(c));
  else if (c.local === 'timestamp') {
    if (holder.timestamp !== undefined) invalid(`<${e.name}> has two timestamps`);
    holder.timestamp = parseDateTime(text(c), 'dm:timestamp');
  } else return false;
  return true;
}

export function readPerson(e: XmlElement): Person {
  const slot = emptySlot();
  const person: Person = {
    id: requireAttr(e, 'id'),
    rpid: slot.rpid,
    cipid: slot.cipid,
    notes: [],
    extensions: [],
  };
  for (const c of children(e)) {
    if (c.ns === NS.dm) {
      if (!readTail(e, c, person.notes, person)) invalid(`<${c.name}> is not allowed in <dm:person>`);
    } else readOther(c, slot, 'person');
  }
  person.extensions = slot.extensions;
  return person;
}

export function writePerson(p: Person): XmlElement {
  return el(NS.dm, dm('person'), { id: p.id }, [
    ...writeRpidCipid(p.rpid, p.cipid),
    ...p.extensions,
    ...p.notes.map((n) => writeNote(NS.dm, dm('note'), n)),
    p.timestamp !== undefined && el(NS.dm, dm('timestamp'), {}, [p.timestamp]),
  ]);
}

export function readDevice(e: XmlElement): Device {
  const slot = emptySlot();
  let deviceId: string | undefined;
  const notes: Note[] = [];
  const holder: { timestamp?: string } = {};
  for (const c of children(e)) {
    if (c.ns === NS.dm && c.local === 'deviceID') {
      if (deviceId !== undefined) invalid('<dm:device> has two <dm:deviceID>');
      deviceId = text(c).trim();
    } else if (c.ns === NS.dm) {
      if (!readTail(e, c, notes, holder)) invalid(`<${c.name}> is not allowed in <dm:device>`);
    } else readOther(c, slot, 'device');
  }
  // RFC 4479 §3.4.2 / data-model.xsd: deviceID is required in a device.
  if (deviceId === undefined || deviceId === '') invalid('<dm:device> lacks <dm:deviceID>');
  const device: Device = {
    id: requireAttr(e, 'id'),
    deviceId,
    rpid: slot.rpid,
    notes,
    extensions: slot.extensions,
  };
  if (slot.devcaps) device.devcaps = slot.devcaps;
  if (holder.timestamp !== undefined) device.timestamp = holder.timestamp;
  return device;
}

export function writeDevice(d: Device): XmlElement {
  return el(NS.dm, dm('device'), { id: d.id }, [
    ...(isEmptyRpid(d.rpid) ? [] : writeRpid(d.rpid)),
    d.devcaps && writeDevCaps(d.devcaps),
    ...d.extensions,
    el(NS.dm, dm('deviceID'), {}, [d.deviceId]),
    ...d.notes.map((n) => writeNote(NS.dm, dm('note'), n)),
    d.timestamp !== undefined && el(NS.dm, dm('timestamp'), {}, [d.timestamp]),
  ]);
}

/** Occurrence ids share one xs:ID space across tuples, persons and devices. */
export function checkUniqueIds(ids: Iterable<string>): void {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) invalid(`id "${id}" is used twice (RFC 3863 §4.1.2, xs:ID)`);
    seen.add(id);
  }
}
