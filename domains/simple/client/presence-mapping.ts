// The control API's presence model ⇄ PIDF (RFC 3863) with the data model (RFC 4479) and RPID
// (RFC 4480): the user's status is one tuple (basic, contact) plus one person (activities, mood,
// place-type, note, status-icon). Reading also picks up PS2's network-provided element.
import { isElement } from '../../../common/xml/xml-node.ts';
import { type Pidf, parsePidf, serializePidf, type Tuple } from '../payloads/pidf.ts';
import type { Rpid, RpidEnumeration } from '../payloads/rpid.ts';
import type { ControlPresence } from './terminal-control.ts';

export const NETWORK_NS = 'urn:x-lab:params:xml:ns:pidf:network-provided';

function enumeration(values: string[], known: boolean): RpidEnumeration {
  return known
    ? { notes: [], values, others: [], extensions: [] }
    : { notes: [], values: [], others: values.map((text) => ({ text })), extensions: [] };
}

/** The PIDF the terminal publishes for `presence`. */
export function presenceToPidf(aor: string, presence: ControlPresence): string {
  const rpid: Rpid = {};
  if (presence.activities?.length) rpid.activities = enumeration(presence.activities, true);
  if (presence.mood?.length) rpid.mood = enumeration(presence.mood, true);
  if (presence.placeType !== undefined) rpid.placeType = enumeration([presence.placeType], false);
  if (presence.statusIcon !== undefined) rpid.statusIcon = { uri: presence.statusIcon };
  const basic = presence.basic ?? (presence.availability === 'not-available' ? 'closed' : 'open');
  const tuple: Tuple = {
    id: 'ua',
    status: { basic, extensions: [] },
    deviceIds: [],
    rpid: {},
    cipid: {},
    contact: { uri: aor },
    notes: [],
    extensions: [],
  };
  const doc: Pidf = {
    entity: aor,
    tuples: [tuple],
    notes: [],
    persons: [
      {
        id: 'me',
        rpid,
        cipid: {},
        notes: presence.note !== undefined ? [{ text: presence.note }] : [],
        extensions: [],
      },
    ],
    devices: [],
    extensions: [],
  };
  return serializePidf(doc);
}

/** Reads a PIDF body into the control model; undefined when it is not valid PIDF. */
export function pidfToPresence(body: Buffer | string): ControlPresence | undefined {
  const parsed = parsePidf(body);
  return parsed.ok ? pidfDocumentToPresence(parsed.value) : undefined;
}

/** A parsed PIDF document (e.g. one rebuilt from RFC 5263 patches) in the control model. */
export function pidfDocumentToPresence(doc: Pidf): ControlPresence {
  const out: ControlPresence = {};
  const userTuples = doc.tuples.filter((t) => t.rpid.class !== 'network');
  const tuple = userTuples[0] ?? doc.tuples[0];
  if (tuple?.status.basic !== undefined) out.basic = tuple.status.basic;
  const person = doc.persons[0];
  const rpid: Rpid = person?.rpid ?? tuple?.rpid ?? {};
  const vals = (e: RpidEnumeration | undefined) => (e ? [...e.values, ...e.others.map((o) => o.text)] : []);
  if (vals(rpid.activities).length) out.activities = vals(rpid.activities);
  if (vals(rpid.mood).length) out.mood = vals(rpid.mood);
  const place = vals(rpid.placeType)[0];
  if (place !== undefined) out.placeType = place;
  if (rpid.statusIcon) out.statusIcon = rpid.statusIcon.uri;
  const note = person?.notes[0] ?? tuple?.notes[0] ?? doc.notes[0];
  if (note) out.note = note.text;
  out.availability =
    out.basic === 'closed'
      ? 'not-available'
      : out.activities?.some((a) => a === 'busy' || a === 'meeting')
        ? 'discreet'
        : 'available';
  for (const t of doc.tuples) {
    const np = t.extensions.find((e) => e.ns === NETWORK_NS && e.local === 'network-provided');
    if (!np) continue;
    const field = (local: string) => {
      const c = np.children.filter(isElement).find((x) => x.local === local);
      return c
        ? c.children
            .filter((x): x is string => typeof x === 'string')
            .join('')
            .trim()
        : undefined;
    };
    const network: NonNullable<ControlPresence['network']> = { registered: field('registered') === 'true' };
    const access = field('access-type');
    if (access !== undefined) network.accessType = access;
    const visited = field('visited-network');
    if (visited !== undefined) network.visited = visited;
    out.network = network;
  }
  return out;
}
