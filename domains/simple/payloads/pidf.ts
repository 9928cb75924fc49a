// RFC 3863 PIDF (application/pidf+xml) with the RFC 4479 data model, RFC 4480 RPID, RFC 4482
// CIPID and RFC 5196 caps typed; any other extension element is kept and written back.
import { attr, children, el, text } from '../../../common/xml/query.ts';
import { serializeXml } from '../../../common/xml/serialize.ts';
import type { XmlElement } from '../../../common/xml/xml-node.ts';
import type { ServCaps } from './caps.ts';
import { writeServCaps } from './caps.ts';
import type { Cipid } from './cipid.ts';
import {
  checkUniqueIds,
  type Device,
  emptySlot,
  type Person,
  readDevice,
  readOther,
  readPerson,
  writeDevice,
  writePerson,
  writeRpidCipid,
} from './data-model.ts';
import { NS, PREFIX } from './namespaces.ts';
import {
  decodeXml,
  guard,
  invalid,
  type Note,
  oneOf,
  type PayloadLimits,
  parseDateTime,
  q,
  readNote,
  requireAttr,
  writeNote,
  xmlns,
} from './payload-codec.ts';
import type { PayloadResult } from './payload-error.ts';
import type { Rpid } from './rpid.ts';

export { CONTENT_TYPE } from './namespaces.ts';
export const PIDF_CONTENT_TYPE = 'application/pidf+xml';

export type Basic = 'open' | 'closed';

export interface TupleStatus {
  /** RFC 3863 §4.1.4: optional — a status may carry only extension elements (e.g. geopriv). */
  basic?: Basic;
  extensions: XmlElement[];
}

export interface Contact {
  uri: string;
  /** qvalue 0..1 (RFC 3863 §4.1.5). */
  priority?: number;
}

/** A PIDF tuple = an RFC 4479 service. */
export interface Tuple {
  id: string;
  status: TupleStatus;
  /** <dm:deviceID> binding the service to devices (RFC 4479 §3.4.1). */
  deviceIds: string[];
  rpid: Rpid;
  cipid: Cipid;
  servcaps?: ServCaps;
  contact?: Contact;
  notes: Note[];
  timestamp?: string;
  extensions: XmlElement[];
}

export interface Pidf {
  entity: string;
  tuples: Tuple[];
  notes: Note[];
  persons: Person[];
  devices: Device[];
  extensions: XmlElement[];
}

export type { Device, Person };

export function emptyTuple(id: string, basic?: Basic): Tuple {
  const t: Tuple = {
    id,
    status: { extensions: [] },
    deviceIds: [],
    rpid: {},
    cipid: {},
    notes: [],
    extensions: [],
  };
  if (basic !== undefined) t.status.basic = basic;
  return t;
}

const QVALUE = /^(0(\.\d{0,3})?|1(\.0{0,3})?)$/;

function readTuple(e: XmlElement): Tuple {
  const slot = emptySlot();
  let status: TupleStatus | undefined;
  let contact: Contact | undefined;
  let timestamp: string | undefined;
  const notes: Note[] = [];
  for (const c of children(e)) {
    if (c.ns !== NS.pidf) {
      readOther(c, slot, 'tuple');
      continue;
    }
    switch (c.local) {
      case 'status': {
        if (status) invalid('<tuple> has two <status> (RFC 3863 §4.1.3)');
        status = { extensions: [] };
        for (const s of children(c)) {
          if (s.ns === NS.pidf && s.local === 'basic') {
            if (status.basic !== undefined) invalid('<status> has two <basic>');
            status.basic = oneOf(text(s).trim(), ['open', 'closed'] as const, '<basic>');
          } else if (s.ns === NS.pidf) invalid(`<${s.name}> is not allowed in <status>`);
          else status.extensions.push(s);
        }
        break;
      }
      case 'contact': {
        if (contact) invalid('<tuple> has two <contact> (RFC 3863 §4.1.5)');
        contact = { uri: text(c).trim() };
        const p = attr(c, 'priority');
        if (p !== undefined) {
          if (!QVALUE.test(p.trim())) invalid(`contact priority "${p}" is not a qvalue`);
          contact.priority = Number(p);
        }
        break;
      }
      case 'note':
        notes.push(readNote(c));
        break;
      case 'timestamp':
        if (timestamp !== undefined) invalid('<tuple> has two <timestamp>');
        timestamp = parseDateTime(text(c), '<timestamp>');
        break;
      default:
        invalid(`<${c.name}> is not allowed in <tuple>`);
    }
  }
  // RFC 3863 §4.1.3 and pidf.xsd: every tuple has exactly one <status>.
  if (!status) invalid(`<tuple id="${attr(e, 'id') ?? ''}"> lacks <status> (RFC 3863 §4.1.3)`);
  const t: Tuple = {
    id: requireAttr(e, 'id'),
    status,
    deviceIds: slot.deviceIds,
    rpid: slot.rpid,
    cipid: slot.cipid,
    notes,
    extensions: slot.extensions,
  };
  if (slot.servcaps) t.servcaps = slot.servcaps;
  if (contact) t.contact = contact;
  if (timestamp !== undefined) t.timestamp = timestamp;
  return t;
}

/** Tree → model; throws Invalid (use parsePidf or readPidf for the non-throwing API). */
export function pidfFromXml(root: XmlElement): Pidf {
  if (root.ns !== NS.pidf || root.local !== 'presence') invalid(`root is ${root.name}, expected presence`);
  const entity = requireAttr(root, 'entity').trim();
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\S+$/.test(entity))
    invalid(`entity "${entity}" is not a URI (RFC 3863 §4.1.1)`);
  const doc: Pidf = { entity, tuples: [], notes: [], persons: [], devices: [], extensions: [] };
  for (const c of children(root)) {
    if (c.ns === NS.pidf) {
      if (c.local === 'tuple') doc.tuples.push(readTuple(c));
      else if (c.local === 'note') doc.notes.push(readNote(c));
      else invalid(`<${c.name}> is not allowed in <presence>`);
    } else if (c.ns === NS.dm && c.local === 'person') doc.persons.push(readPerson(c));
    else if (c.ns === NS.dm && c.local === 'device') doc.devices.push(readDevice(c));
    else if (c.ns === NS.dm) invalid(`<${c.name}> is not allowed in <presence>`);
    else {
      const slot = emptySlot();
      readOther(c, slot, 'person'); // applies the mustUnderstand check
      doc.extensions.push(c);
    }
  }
  checkUniqueIds([...doc.tuples, ...doc.persons, ...doc.devices].map((x) => x.id));
  return doc;
}

/** Same as parsePidf but from an already-parsed tree (pidf-diff, filters). */
export function readPidf(root: XmlElement): PayloadResult<Pidf> {
  return guard(() => pidfFromXml(root));
}

export function parsePidf(input: Buffer | string, limits?: PayloadLimits): PayloadResult<Pidf> {
  return decodeXml(input, limits, [{ ns: NS.pidf, local: 'presence' }], pidfFromXml);
}

function writeTuple(t: Tuple): XmlElement {
  return el(NS.pidf, 'tuple', { id: t.id }, [
    el(NS.pidf, 'status', {}, [
      t.status.basic !== undefined && el(NS.pidf, 'basic', {}, [t.status.basic]),
      ...t.status.extensions,
    ]),
    ...t.deviceIds.map((d) => el(NS.dm, q(PREFIX.dm, 'deviceID'), {}, [d])),
    ...writeRpidCipid(t.rpid, t.cipid),
    t.servcaps && writeServCaps(t.servcaps),
    ...t.extensions,
    t.contact && el(NS.pidf, 'contact', { priority: t.contact.priority }, [t.contact.uri]),
    ...t.notes.map((n) => writeNote(NS.pidf, 'note', n)),
    t.timestamp !== undefined && el(NS.pidf, 'timestamp', {}, [t.timestamp]),
  ]);
}

const STANDARD_PREFIXES: ReadonlyArray<[string, string]> = [
  [PREFIX.dm, NS.dm],
  [PREFIX.rpid, NS.rpid],
  [PREFIX.cipid, NS.cipid],
  [PREFIX.caps, NS.caps],
];

/** Declares, on the root, the lab's usual prefixes that the built tree actually uses. */
export function declareUsedPrefixes(root: XmlElement, pairs: ReadonlyArray<[string, string]>): XmlElement {
  const used = new Set<string>();
  const walk = (e: XmlElement) => {
    used.add(`${e.name.includes(':') ? e.name.slice(0, e.name.indexOf(':')) : ''} ${e.ns}`);
    for (const c of e.children) if (typeof c !== 'string') walk(c);
  };
  walk(root);
  const decls = pairs.filter(([p, ns]) => used.has(`${p} ${ns}`)).map(([p, ns]) => xmlns(p, ns));
  return { ...root, attributes: [...decls, ...root.attributes] };
}

export function pidfToXml(doc: Pidf): XmlElement {
  const root = el(
    NS.pidf,
    'presence',
    [xmlns('', NS.pidf)],
    [
      ...doc.tuples.map(writeTuple),
      ...doc.notes.map((n) => writeNote(NS.pidf, 'note', n)),
      ...doc.persons.map(writePerson),
      ...doc.devices.map(writeDevice),
      ...doc.extensions,
    ],
  );
  root.attributes.push({ name: 'entity', local: 'entity', ns: '', value: doc.entity });
  return declareUsedPrefixes(root, STANDARD_PREFIXES);
}

export function serializePidf(doc: Pidf, options: { indent?: string } = {}): string {
  return serializeXml(pidfToXml(doc), options);
}
