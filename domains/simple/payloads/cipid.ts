// RFC 4482 CIPID: contact information elements of a person or tuple (cipid.xsd). All are
// single-valued URIs except display-name, a string; unknown cipid elements are refused.
import { el, text } from '../../../common/xml/query.ts';
import type { XmlElement } from '../../../common/xml/xml-node.ts';
import { NS, PREFIX } from './namespaces.ts';
import { invalid, q } from './payload-codec.ts';

export interface Cipid {
  card?: string;
  displayName?: string;
  homepage?: string;
  icon?: string;
  map?: string;
  sound?: string;
}

const FIELDS: ReadonlyArray<[keyof Cipid, string]> = [
  ['card', 'card'],
  ['displayName', 'display-name'],
  ['homepage', 'homepage'],
  ['icon', 'icon'],
  ['map', 'map'],
  ['sound', 'sound'],
];
const BY_LOCAL = new Map(FIELDS.map(([k, l]) => [l, k]));

/** False when the element repeats one already read (the caller keeps it as an extension). */
export function readCipidElement(e: XmlElement, into: Cipid): boolean {
  const key = BY_LOCAL.get(e.local) ?? invalid(`<cipid:${e.local}> is not a CIPID element`);
  if (into[key] !== undefined) return false;
  // display-name is xs:string (kept as written); the others are xs:anyURI (whitespace-collapsed).
  into[key] = key === 'displayName' ? text(e) : text(e).trim();
  return true;
}

export function writeCipid(c: Cipid): XmlElement[] {
  const out: XmlElement[] = [];
  for (const [key, local] of FIELDS) {
    const v = c[key];
    if (v !== undefined) out.push(el(NS.cipid, q(PREFIX.cipid, local), {}, v === '' ? [] : [v]));
  }
  return out;
}

export function isEmptyCipid(c: Cipid): boolean {
  return FIELDS.every(([k]) => c[k] === undefined);
}
