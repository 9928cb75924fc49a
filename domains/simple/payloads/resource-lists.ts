// RFC 4826 §3 resource lists (application/resource-lists+xml): nested <list>s of <entry>,
// <entry-ref> and <external>, each with an optional <display-name>. Also the list type that
// rls-services embeds (rls-services.ts).
import { attr, attribute, children, el } from '../../../common/xml/query.ts';
import { serializeXml } from '../../../common/xml/serialize.ts';
import type { XmlAttribute, XmlElement } from '../../../common/xml/xml-node.ts';
import { NS } from './namespaces.ts';
import {
  decodeXml,
  invalid,
  type Note,
  type PayloadLimits,
  readNote,
  requireAttr,
  writeNote,
  xmlns,
} from './payload-codec.ts';
import type { PayloadResult } from './payload-error.ts';

export const RESOURCE_LISTS_CONTENT_TYPE = 'application/resource-lists+xml';

interface ItemCommon {
  displayName?: Note;
  extensions: XmlElement[];
  /** Attributes from other namespaces (the schema's anyAttribute ##other), kept as written. */
  foreignAttributes: XmlAttribute[];
}

export interface Entry extends ItemCommon {
  kind: 'entry';
  uri: string;
}
export interface EntryRef extends ItemCommon {
  kind: 'entry-ref';
  /** Relative XCAP URI of an entry (RFC 4826 §3.2). */
  ref: string;
}
export interface External extends ItemCommon {
  kind: 'external';
  /** Absolute XCAP URI of a list. */
  anchor?: string;
}
export interface ResourceList extends ItemCommon {
  kind: 'list';
  name?: string;
  items: ListItem[];
}
export type ListItem = ResourceList | Entry | EntryRef | External;

export interface ResourceLists {
  lists: ResourceList[];
}

function foreign(e: XmlElement, own: readonly string[]): XmlAttribute[] {
  return e.attributes.filter(
    (a) => a.ns !== '' && a.ns !== 'http://www.w3.org/2000/xmlns/' && !own.includes(a.name),
  );
}

function readCommon(e: XmlElement, out: ItemCommon, ownNs: string): XmlElement[] {
  const rest: XmlElement[] = [];
  for (const c of children(e)) {
    if (c.ns === ownNs && c.local === 'display-name') {
      if (out.displayName) invalid(`<${e.name}> has two <display-name>`);
      out.displayName = readNote(c);
    } else if (c.ns !== ownNs) out.extensions.push(c);
    else rest.push(c);
  }
  return rest;
}

/** Reads a listType element (RFC 4826 §3.2). */
export function readList(e: XmlElement): ResourceList {
  const list: ResourceList = { kind: 'list', items: [], extensions: [], foreignAttributes: foreign(e, []) };
  const name = attr(e, 'name');
  if (name !== undefined) list.name = name;
  const uris = new Set<string>();
  const names = new Set<string>();
  for (const c of readCommon(e, list, NS.resourceLists)) {
    const common = (): ItemCommon => ({ extensions: [], foreignAttributes: foreign(c, []) });
    switch (c.local) {
      case 'list': {
        const sub = readList(c);
        // RFC 4826 §3.4: list names are unique among siblings.
        if (sub.name !== undefined) {
          if (names.has(sub.name)) invalid(`list name "${sub.name}" repeats (RFC 4826 §3.4)`);
          names.add(sub.name);
        }
        list.items.push(sub);
        break;
      }
      case 'entry': {
        const entry: Entry = { kind: 'entry', uri: requireAttr(c, 'uri'), ...common() };
        if (uris.has(entry.uri)) invalid(`entry uri "${entry.uri}" repeats in a list (RFC 4826 §3.4)`);
        uris.add(entry.uri);
        checkOnlyDisplayName(readCommon(c, entry, NS.resourceLists), c);
        list.items.push(entry);
        break;
      }
      case 'entry-ref': {
        const ref: EntryRef = { kind: 'entry-ref', ref: requireAttr(c, 'ref'), ...common() };
        checkOnlyDisplayName(readCommon(c, ref, NS.resourceLists), c);
        list.items.push(ref);
        break;
      }
      case 'external': {
        const ext: External = { kind: 'external', ...common() };
        const anchor = attr(c, 'anchor');
        if (anchor !== undefined) ext.anchor = anchor;
        checkOnlyDisplayName(readCommon(c, ext, NS.resourceLists), c);
        list.items.push(ext);
        break;
      }
      default:
        invalid(`<${c.name}> is not allowed in <list>`);
    }
  }
  return list;
}

function checkOnlyDisplayName(rest: XmlElement[], e: XmlElement): void {
  if (rest.length > 0) invalid(`<${rest[0]!.name}> is not allowed in <${e.name}>`);
}

function fromXml(root: XmlElement): ResourceLists {
  const lists: ResourceList[] = [];
  const names = new Set<string>();
  for (const c of children(root)) {
    if (c.ns !== NS.resourceLists || c.local !== 'list')
      invalid(`<${c.name}> is not allowed in <resource-lists>`);
    const l = readList(c);
    if (l.name !== undefined) {
      if (names.has(l.name)) invalid(`list name "${l.name}" repeats (RFC 4826 §3.4)`);
      names.add(l.name);
    }
    lists.push(l);
  }
  return { lists };
}

export function parseResourceLists(
  input: Buffer | string,
  limits?: PayloadLimits,
): PayloadResult<ResourceLists> {
  return decodeXml(input, limits, [{ ns: NS.resourceLists, local: 'resource-lists' }], fromXml);
}

/** Writes a listType element named `qname` in `ns` (resource-lists' <list> or rls-services' <list>). */
export function writeList(l: ResourceList, ns = NS.resourceLists, qname = 'list', prefix = ''): XmlElement {
  const rl = (local: string) => (prefix === '' ? local : `${prefix}:${local}`);
  const dn = (n: Note | undefined) => n && writeNote(ns, rl('display-name'), n);
  const attrs = (base: XmlAttribute[], item: ItemCommon) => [...base, ...item.foreignAttributes];
  const item = (i: ListItem): XmlElement => {
    switch (i.kind) {
      case 'list':
        return writeList(i, ns, rl('list'), prefix);
      case 'entry':
        return el(ns, rl('entry'), attrs([attribute('uri', i.uri)], i), [dn(i.displayName), ...i.extensions]);
      case 'entry-ref':
        return el(ns, rl('entry-ref'), attrs([attribute('ref', i.ref)], i), [
          dn(i.displayName),
          ...i.extensions,
        ]);
      case 'external':
        return el(
          ns,
          rl('external'),
          attrs(i.anchor === undefined ? [] : [attribute('anchor', i.anchor)], i),
          [dn(i.displayName), ...i.extensions],
        );
    }
  };
  return el(ns, qname, attrs(l.name === undefined ? [] : [attribute('name', l.name)], l), [
    dn(l.displayName),
    ...l.items.map(item),
    ...l.extensions,
  ]);
}

export function resourceListsToXml(doc: ResourceLists): XmlElement {
  return el(
    NS.resourceLists,
    'resource-lists',
    [xmlns('', NS.resourceLists)],
    doc.lists.map((l) => writeList(l)),
  );
}

export function serializeResourceLists(doc: ResourceLists, options: { indent?: string } = {}): string {
  return serializeXml(resourceListsToXml(doc), options);
}

/** Builders for the common case. */
export function entry(uri: string, displayName?: string): Entry {
  const e: Entry = { kind: 'entry', uri, extensions: [], foreignAttributes: [] };
  if (displayName !== undefined) e.displayName = { text: displayName };
  return e;
}

export function list(name: string | undefined, items: ListItem[], displayName?: string): ResourceList {
  const l: ResourceList = { kind: 'list', items, extensions: [], foreignAttributes: [] };
  if (name !== undefined) l.name = name;
  if (displayName !== undefined) l.displayName = { text: displayName };
  return l;
}

/**
 * The members of a list, depth first: entry URIs (deduplicated, first occurrence wins) and the
 * references an RLS must resolve through XCAP itself (entry-ref, external).
 */
export function collectMembers(l: ResourceList): {
  uris: string[];
  entryRefs: string[];
  externals: string[];
} {
  const out = { uris: [] as string[], entryRefs: [] as string[], externals: [] as string[] };
  const seen = new Set<string>();
  const walk = (x: ResourceList) => {
    for (const i of x.items) {
      if (i.kind === 'list') walk(i);
      else if (i.kind === 'entry') {
        if (!seen.has(i.uri)) out.uris.push(i.uri);
        seen.add(i.uri);
      } else if (i.kind === 'entry-ref') out.entryRefs.push(i.ref);
      else if (i.anchor !== undefined) out.externals.push(i.anchor);
    }
  };
  walk(l);
  return out;
}
