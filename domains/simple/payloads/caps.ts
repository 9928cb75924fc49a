// RFC 5196 "prescaps": <caps:servcaps> in a tuple and <caps:devcaps> in a device (caps.xsd).
// Boolean capabilities and the supported/notsupported token lists are typed; <caps:priority>
// (ranges of values) is kept verbatim. Output follows the schema's sequence order.
import { children, el, text } from '../../../common/xml/query.ts';
import type { XmlElement } from '../../../common/xml/xml-node.ts';
import { NS, PREFIX } from './namespaces.ts';
import { invalid, type Note, parseBoolean, q, readNote, writeNote } from './payload-codec.ts';

export const CAPS_BOOLEANS = [
  'application',
  'audio',
  'automata',
  'control',
  'data',
  'isfocus',
  'message',
  'text',
  'video',
] as const;
export type CapsBoolean = (typeof CAPS_BOOLEANS)[number];

/** Token lists; the values are the element names the schema lists (in its order) under supported/notsupported. */
export const CAPS_LISTS = {
  actor: ['attendant', 'information', 'msg-taker', 'principal'],
  class: ['business', 'personal'],
  duplex: ['full', 'half', 'receive-only', 'send-only'],
  'event-packages': [
    'conference',
    'dialog',
    'kpml',
    'message-summary',
    'poc-settings',
    'presence',
    'reg',
    'refer',
    'Siemens-RTP-Stats',
    'spirits-INDPs',
    'spirits-user-prof',
    'winfo',
  ],
  extensions: [
    'rel100',
    'early-session',
    'eventlist',
    'from-change',
    'gruu',
    'hist-info',
    'join',
    'norefersub',
    'path',
    'precondition',
    'pref',
    'privacy',
    'recipient-list-invite',
    'recipient-list-subscribe',
    'replaces',
    'resource-priority',
    'sdp-anat',
    'sec-agree',
    'tdialog',
    'timer',
  ],
  methods: [
    'ACK',
    'BYE',
    'CANCEL',
    'INFO',
    'INVITE',
    'MESSAGE',
    'NOTIFY',
    'OPTIONS',
    'PRACK',
    'PUBLISH',
    'REFER',
    'REGISTER',
    'SUBSCRIBE',
    'UPDATE',
  ],
  mobility: ['fixed', 'mobile'],
} as const satisfies Record<string, readonly string[]>;
export type CapsListName = keyof typeof CAPS_LISTS;

export interface SupportLists {
  supported: string[];
  notsupported: string[];
}

export interface ServCaps {
  booleans: Partial<Record<CapsBoolean, boolean>>;
  lists: Partial<Record<Exclude<CapsListName, 'mobility'>, SupportLists>>;
  /** `<caps:schemes>` (URI schemes, `<s>`) and `<caps:languages>` (`<l>`). */
  schemes?: SupportLists;
  languages?: SupportLists;
  descriptions: Note[];
  types: string[];
  priority?: XmlElement;
  extensions: XmlElement[];
}

export interface DevCaps {
  descriptions: Note[];
  mobility?: SupportLists;
  extensions: XmlElement[];
}

/** Order of <servcaps> children in caps.xsd. */
const SERVCAPS_ORDER = [
  'actor',
  'application',
  'audio',
  'automata',
  'class',
  'control',
  'data',
  'description',
  'duplex',
  'event-packages',
  'extensions',
  'isfocus',
  'message',
  'methods',
  'languages',
  'priority',
  'schemes',
  'text',
  'type',
  'video',
] as const;

const c = (local: string) => q(PREFIX.caps, local);

function readSupport(e: XmlElement, known: readonly string[] | 'free', item: 's' | 'l' | ''): SupportLists {
  const out: SupportLists = { supported: [], notsupported: [] };
  for (const part of children(e, NS.caps)) {
    if (part.local !== 'supported' && part.local !== 'notsupported')
      invalid(`<caps:${part.local}> in <${e.name}>`);
    for (const x of children(part, NS.caps)) {
      if (known === 'free') {
        if (x.local !== item) invalid(`<caps:${x.local}> in <${e.name}>`);
        out[part.local].push(text(x).trim());
      } else {
        if (!known.includes(x.local)) invalid(`<caps:${x.local}> is not a ${e.local} value`);
        out[part.local].push(x.local);
      }
    }
  }
  return out;
}

function writeSupport(
  local: string,
  s: SupportLists,
  known: readonly string[] | 'free',
  item: string,
): XmlElement {
  const part = (name: 'supported' | 'notsupported') => {
    const values = s[name];
    if (values.length === 0) return undefined;
    if (known === 'free')
      return el(
        NS.caps,
        c(name),
        {},
        values.map((v) => el(NS.caps, c(item), {}, [v])),
      );
    // The schema fixes the order of the flags; write them in it.
    const sorted = [...values].sort((a, b) => known.indexOf(a) - known.indexOf(b));
    return el(
      NS.caps,
      c(name),
      {},
      sorted.map((v) => el(NS.caps, c(v))),
    );
  };
  return el(NS.caps, c(local), {}, [part('supported'), part('notsupported')]);
}

export function readServCaps(e: XmlElement): ServCaps {
  const out: ServCaps = { booleans: {}, lists: {}, descriptions: [], types: [], extensions: [] };
  for (const x of children(e)) {
    if (x.ns !== NS.caps) {
      out.extensions.push(x);
      continue;
    }
    const local = x.local;
    if ((CAPS_BOOLEANS as readonly string[]).includes(local)) {
      out.booleans[local as CapsBoolean] = parseBoolean(text(x), `caps:${local}`);
    } else if (local in CAPS_LISTS && local !== 'mobility') {
      const name = local as Exclude<CapsListName, 'mobility'>;
      out.lists[name] = readSupport(x, CAPS_LISTS[name], '');
    } else if (local === 'schemes') out.schemes = readSupport(x, 'free', 's');
    else if (local === 'languages') out.languages = readSupport(x, 'free', 'l');
    else if (local === 'description') out.descriptions.push(readNote(x));
    else if (local === 'type') out.types.push(text(x).trim());
    else if (local === 'priority') out.priority = x;
    else invalid(`<caps:${local}> is not allowed in <caps:servcaps>`);
  }
  return out;
}

export function writeServCaps(s: ServCaps): XmlElement {
  const kids: XmlElement[] = [];
  for (const local of SERVCAPS_ORDER) {
    if ((CAPS_BOOLEANS as readonly string[]).includes(local)) {
      const v = s.booleans[local as CapsBoolean];
      if (v !== undefined) kids.push(el(NS.caps, c(local), {}, [String(v)]));
    } else if (local === 'description')
      kids.push(...s.descriptions.map((d) => writeNote(NS.caps, c(local), d)));
    else if (local === 'type') kids.push(...s.types.map((t) => el(NS.caps, c(local), {}, [t])));
    else if (local === 'priority') {
      if (s.priority) kids.push(s.priority);
    } else if (local === 'schemes') {
      if (s.schemes) kids.push(writeSupport(local, s.schemes, 'free', 's'));
    } else if (local === 'languages') {
      if (s.languages) kids.push(writeSupport(local, s.languages, 'free', 'l'));
    } else {
      const name = local as Exclude<CapsListName, 'mobility'>;
      const v = s.lists[name];
      if (v) kids.push(writeSupport(local, v, CAPS_LISTS[name], ''));
    }
  }
  return el(NS.caps, c('servcaps'), {}, [...kids, ...s.extensions]);
}

export function readDevCaps(e: XmlElement): DevCaps {
  const out: DevCaps = { descriptions: [], extensions: [] };
  for (const x of children(e)) {
    if (x.ns !== NS.caps) out.extensions.push(x);
    else if (x.local === 'description') out.descriptions.push(readNote(x));
    else if (x.local === 'mobility') out.mobility = readSupport(x, CAPS_LISTS.mobility, '');
    else invalid(`<caps:${x.local}> is not allowed in <caps:devcaps>`);
  }
  return out;
}

export function writeDevCaps(d: DevCaps): XmlElement {
  return el(NS.caps, c('devcaps'), {}, [
    ...d.descriptions.map((n) => writeNote(NS.caps, c('description'), n)),
    d.mobility && writeSupport('mobility', d.mobility, CAPS_LISTS.mobility, ''),
    ...d.extensions,
  ]);
}
