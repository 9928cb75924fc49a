// RFC 4480 RPID: the rich presence elements that ride in PIDF tuples, data-model persons and
// devices (rpid.xsd). Each appears once per holder here; a repeat (e.g. a second <activities>
// with another from/until window) is kept verbatim among the holder's extensions.
import { attr, attribute, children, el, text } from '../../../common/xml/query.ts';
import type { XmlAttribute, XmlElement } from '../../../common/xml/xml-node.ts';
import { NS, PREFIX } from './namespaces.ts';
import { invalid, type Note, oneOf, parseDateTime, q, readNote, writeNote } from './payload-codec.ts';

/** RFC 4480 §3.2 activities. */
export const ACTIVITIES = [
  'appointment',
  'away',
  'breakfast',
  'busy',
  'dinner',
  'holiday',
  'in-transit',
  'looking-for-work',
  'meal',
  'meeting',
  'on-the-phone',
  'performance',
  'permanent-absence',
  'playing',
  'presentation',
  'shopping',
  'sleeping',
  'spectator',
  'steering',
  'travel',
  'tv',
  'vacation',
  'working',
  'worship',
] as const;
/** RFC 4480 §3.2 mood. */
export const MOODS = [
  'afraid',
  'amazed',
  'angry',
  'annoyed',
  'anxious',
  'ashamed',
  'bored',
  'brave',
  'calm',
  'cold',
  'confused',
  'contented',
  'cranky',
  'curious',
  'depressed',
  'disappointed',
  'disgusted',
  'distracted',
  'embarrassed',
  'excited',
  'flirtatious',
  'frustrated',
  'grumpy',
  'guilty',
  'happy',
  'hot',
  'humbled',
  'humiliated',
  'hungry',
  'hurt',
  'impressed',
  'in_awe',
  'in_love',
  'indignant',
  'interested',
  'invincible',
  'jealous',
  'lonely',
  'mean',
  'moody',
  'nervous',
  'neutral',
  'offended',
  'playful',
  'proud',
  'relieved',
  'remorseful',
  'restless',
  'sad',
  'sarcastic',
  'serious',
  'shocked',
  'shy',
  'sick',
  'sleepy',
  'stressed',
  'surprised',
  'thirsty',
  'worried',
] as const;
const PRIVACY = ['audio', 'text', 'video'] as const;
const SPHERE = ['home', 'work'] as const;
const RELATIONSHIP = ['assistant', 'associate', 'family', 'friend', 'self', 'supervisor'] as const;
const SERVICE_CLASS = ['courier', 'electronic', 'freight', 'in-person', 'postal'] as const;
const PLACE_IS = {
  audio: ['noisy', 'ok', 'quiet', 'unknown'],
  video: ['toobright', 'ok', 'dark', 'unknown'],
  text: ['uncomfortable', 'inappropriate', 'ok', 'unknown'],
} as const;

/** Attributes RFC 4480 §3.1 puts on most elements: an id and a from/until validity window. */
export interface RpidTimed {
  id?: string;
  from?: string;
  until?: string;
}

/**
 * An RPID element whose content is a choice of empty elements (activities, mood, place-type,
 * privacy, sphere, relationship, service-class). `values` are the rpid tokens; `unknown`
 * is the explicit `<unknown/>`; `others` the `<other>` free texts; `extensions` foreign elements
 * (e.g. RFC 4589 location types inside place-type).
 */
export interface RpidEnumeration extends RpidTimed {
  notes: Note[];
  unknown?: boolean;
  values: string[];
  others: Note[];
  extensions: XmlElement[];
}

export interface RpidPlaceIs extends RpidTimed {
  notes: Note[];
  audio?: string;
  video?: string;
  text?: string;
}

export interface RpidStatusIcon extends RpidTimed {
  uri: string;
}

export interface RpidTimeOffset extends RpidTimed {
  /** Minutes east of UTC (RFC 4480 §3.2 time-offset). */
  minutes: number;
  description?: string;
}

export interface RpidUserInput {
  id?: string;
  value: 'active' | 'idle';
  idleThreshold?: number;
  lastInput?: string;
}

export interface Rpid {
  activities?: RpidEnumeration;
  class?: string;
  mood?: RpidEnumeration;
  placeIs?: RpidPlaceIs;
  placeType?: RpidEnumeration;
  privacy?: RpidEnumeration;
  relationship?: RpidEnumeration;
  serviceClass?: RpidEnumeration;
  sphere?: RpidEnumeration;
  statusIcon?: RpidStatusIcon;
  timeOffset?: RpidTimeOffset;
  userInput?: RpidUserInput;
}

type EnumKey = 'activities' | 'mood' | 'placeType' | 'privacy' | 'relationship' | 'serviceClass' | 'sphere';

const ENUMS: Record<EnumKey, { local: string; values: readonly string[]; other: boolean; timed: boolean }> = {
  activities: { local: 'activities', values: ACTIVITIES, other: true, timed: true },
  mood: { local: 'mood', values: MOODS, other: true, timed: true },
  placeType: { local: 'place-type', values: [], other: true, timed: true },
  privacy: { local: 'privacy', values: PRIVACY, other: false, timed: true },
  relationship: { local: 'relationship', values: RELATIONSHIP, other: true, timed: false },
  serviceClass: { local: 'service-class', values: SERVICE_CLASS, other: false, timed: false },
  sphere: { local: 'sphere', values: SPHERE, other: false, timed: true },
};

const LOCAL_TO_ENUM = new Map(Object.entries(ENUMS).map(([k, v]) => [v.local, k as EnumKey]));

function readTimed(e: XmlElement, into: RpidTimed): void {
  const id = attr(e, 'id');
  const from = attr(e, 'from');
  const until = attr(e, 'until');
  if (id !== undefined) into.id = id;
  if (from !== undefined) into.from = parseDateTime(from, 'rpid from');
  if (until !== undefined) into.until = parseDateTime(until, 'rpid until');
}

function timedAttrs(t: RpidTimed): XmlAttribute[] {
  const out: XmlAttribute[] = [];
  if (t.id !== undefined) out.push(attribute('id', t.id));
  if (t.from !== undefined) out.push(attribute('from', t.from));
  if (t.until !== undefined) out.push(attribute('until', t.until));
  return out;
}

function readEnumeration(e: XmlElement, spec: (typeof ENUMS)[EnumKey]): RpidEnumeration {
  const out: RpidEnumeration = { notes: [], values: [], others: [], extensions: [] };
  readTimed(e, out);
  for (const c of children(e)) {
    if (c.ns !== NS.rpid) out.extensions.push(c);
    else if (c.local === 'note') out.notes.push(readNote(c));
    else if (c.local === 'unknown') out.unknown = true;
    else if (c.local === 'other' && spec.other) out.others.push(readNote(c));
    else if (spec.values.includes(c.local)) out.values.push(c.local);
    else invalid(`<rpid:${c.local}> is not allowed in <rpid:${spec.local}>`);
  }
  return out;
}

function writeEnumeration(key: EnumKey, v: RpidEnumeration): XmlElement {
  const spec = ENUMS[key];
  const r = (local: string) => q(PREFIX.rpid, local);
  return el(NS.rpid, r(spec.local), spec.timed ? timedAttrs(v) : [], [
    ...(key === 'sphere' ? [] : v.notes.map((n) => writeNote(NS.rpid, r('note'), n))),
    v.unknown ? el(NS.rpid, r('unknown')) : undefined,
    ...v.values.map((x) => el(NS.rpid, r(x))),
    ...v.others.map((n) => writeNote(NS.rpid, r('other'), n)),
    ...v.extensions,
  ]);
}

/** Reads one RPID element into `into`; false if it is a repeat (the caller keeps it as an extension). */
export function readRpidElement(e: XmlElement, into: Rpid): boolean {
  const enumKey = LOCAL_TO_ENUM.get(e.local);
  if (enumKey !== undefined) {
    if (into[enumKey] !== undefined) return false;
    into[enumKey] = readEnumeration(e, ENUMS[enumKey]);
    return true;
  }
  switch (e.local) {
    case 'class':
      if (into.class !== undefined) return false;
      into.class = text(e).trim();
      return true;
    case 'place-is': {
      if (into.placeIs !== undefined) return false;
      const p: RpidPlaceIs = { notes: [] };
      readTimed(e, p);
      for (const c of children(e, NS.rpid)) {
        if (c.local === 'note') p.notes.push(readNote(c));
        else if (c.local === 'audio' || c.local === 'video' || c.local === 'text') {
          const v = children(c, NS.rpid)[0]?.local ?? invalid(`<rpid:${c.local}> in place-is is empty`);
          p[c.local] = oneOf(v, PLACE_IS[c.local], `place-is ${c.local}`);
        } else invalid(`<rpid:${c.local}> is not allowed in <rpid:place-is>`);
      }
      into.placeIs = p;
      return true;
    }
    case 'status-icon': {
      if (into.statusIcon !== undefined) return false;
      const s: RpidStatusIcon = { uri: text(e).trim() };
      readTimed(e, s);
      into.statusIcon = s;
      return true;
    }
    case 'time-offset': {
      if (into.timeOffset !== undefined) return false;
      const v = text(e).trim();
      if (!/^[+-]?\d{1,5}$/.test(v)) invalid(`time-offset "${v}" is not an integer`);
      const t: RpidTimeOffset = { minutes: Number(v) };
      readTimed(e, t);
      const d = attr(e, 'description');
      if (d !== undefined) t.description = d;
      into.timeOffset = t;
      return true;
    }
    case 'user-input': {
      if (into.userInput !== undefined) return false;
      const u: RpidUserInput = { value: oneOf(text(e).trim(), ['active', 'idle'] as const, 'user-input') };
      const id = attr(e, 'id');
      const th = attr(e, 'idle-threshold');
      const last = attr(e, 'last-input');
      if (id !== undefined) u.id = id;
      if (th !== undefined) {
        if (!/^\d+$/.test(th.trim()) || Number(th) < 1)
          invalid(`idle-threshold "${th}" is not a positive integer`);
        u.idleThreshold = Number(th);
      }
      if (last !== undefined) u.lastInput = parseDateTime(last, 'last-input');
      into.userInput = u;
      return true;
    }
    default:
      return invalid(`<rpid:${e.local}> is not an RPID element`);
  }
}

export function isEmptyRpid(r: Rpid): boolean {
  return Object.values(r).every((v) => v === undefined);
}

/** The RPID elements of a holder, in a stable order. */
export function writeRpid(r: Rpid): XmlElement[] {
  const out: XmlElement[] = [];
  const rq = (local: string) => q(PREFIX.rpid, local);
  if (r.activities) out.push(writeEnumeration('activities', r.activities));
  if (r.class !== undefined) out.push(el(NS.rpid, rq('class'), {}, [r.class]));
  if (r.mood) out.push(writeEnumeration('mood', r.mood));
  if (r.placeIs) {
    const p = r.placeIs;
    out.push(
      el(NS.rpid, rq('place-is'), timedAttrs(p), [
        ...p.notes.map((n) => writeNote(NS.rpid, rq('note'), n)),
        p.audio !== undefined && el(NS.rpid, rq('audio'), {}, [el(NS.rpid, rq(p.audio))]),
        p.video !== undefined && el(NS.rpid, rq('video'), {}, [el(NS.rpid, rq(p.video))]),
        p.text !== undefined && el(NS.rpid, rq('text'), {}, [el(NS.rpid, rq(p.text))]),
      ]),
    );
  }
  if (r.placeType) out.push(writeEnumeration('placeType', r.placeType));
  if (r.privacy) out.push(writeEnumeration('privacy', r.privacy));
  if (r.relationship) out.push(writeEnumeration('relationship', r.relationship));
  if (r.serviceClass) out.push(writeEnumeration('serviceClass', r.serviceClass));
  if (r.sphere) out.push(writeEnumeration('sphere', r.sphere));
  if (r.statusIcon) out.push(el(NS.rpid, rq('status-icon'), timedAttrs(r.statusIcon), [r.statusIcon.uri]));
  if (r.timeOffset) {
    const t = r.timeOffset;
    const attrs = timedAttrs(t);
    if (t.description !== undefined) attrs.push(attribute('description', t.description));
    out.push(el(NS.rpid, rq('time-offset'), attrs, [String(t.minutes)]));
  }
  if (r.userInput) {
    const u = r.userInput;
    out.push(
      el(
        NS.rpid,
        rq('user-input'),
        { id: u.id, 'idle-threshold': u.idleThreshold, 'last-input': u.lastInput },
        [u.value],
      ),
    );
  }
  return out;
}

/** A one-line helper for the common case: `activities(['away'])`. */
export function activities(values: string[], notes: Note[] = []): RpidEnumeration {
  return { notes, values, others: [], extensions: [] };
}
