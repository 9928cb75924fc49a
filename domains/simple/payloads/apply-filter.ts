// Applying RFC 4661 filters to a presence document (RFC 4660 §3): <what> keeps the selected
// content and the ancestors that carry it; <trigger> decides whether a change is worth a NOTIFY.
// Filters apply after authorization (pres-rules), so they can only reduce what a watcher sees.
//
// Selection rules (the supported subset; see docs/simple-payloads.md):
// - include xpath: the selected elements with their whole subtree; a selected attribute keeps its
//   element's start tag; a selected text() keeps its parent element.
// - include namespace: every element of that namespace (value = namespace URI or a bound prefix).
// - exclude: removes the selected subtrees from what the same filter included.
// - A <what> with only excludes starts from the whole document. Several filters: union.
// - Ancestors of kept content stay as bare start tags (attributes kept), plus what the schema
//   requires of them: a tuple keeps a <status> (emptied if not selected), a device its <dm:deviceID>.
import { serializeXml } from '../../../common/xml/serialize.ts';
import type { XmlElement, XmlNode } from '../../../common/xml/xml-node.ts';
import { NS } from './namespaces.ts';
import { guard } from './payload-codec.ts';
import type { PayloadResult } from './payload-error.ts';
import { type Pidf, pidfFromXml, pidfToXml } from './pidf.ts';
import { type Filter, type FilterSet, filterSetResolver, type Selection } from './simple-filter.ts';
import { compilePath, type Selected, select, selectedValue } from './xpath-subset.ts';

export interface ApplyFilterOptions {
  /** The resource whose state this is (for filters scoped by uri/domain in an RLS context). */
  resource?: string;
}

/** Filters in force for `resource`: enabled, not removals, and scoped to it (RFC 4661 §3.2). */
export function applicableFilters(fs: FilterSet, resource?: string): Filter[] {
  return fs.filters.filter((f) => {
    if (f.remove || f.enabled === false) return false;
    if (f.uri !== undefined) return resource === undefined || f.uri === resource;
    if (f.domain !== undefined) {
      if (resource === undefined) return true;
      const at = resource.lastIndexOf('@');
      return (
        resource
          .slice(at + 1)
          .split(/[;>?]/)[0]
          ?.toLowerCase() === f.domain.toLowerCase()
      );
    }
    return true;
  });
}

function allElements(e: XmlElement, out: Set<XmlElement>): Set<XmlElement> {
  out.add(e);
  for (const c of e.children) if (typeof c !== 'string') allElements(c, out);
  return out;
}

function selectAll(root: XmlElement, s: Selection, fs: FilterSet): Selected[] {
  const resolve = filterSetResolver(fs);
  if (s.type === 'namespace') {
    const uri = resolve(s.value) ?? s.value;
    return [...allElements(root, new Set())]
      .filter((e) => e.ns === uri)
      .map((node) => ({ kind: 'element' as const, node, parent: undefined }));
  }
  const c = compilePath(s.value, resolve);
  return c.ok ? select(root, c.path) : [];
}

/** Elements whose full subtree is kept, and elements whose start tag alone is needed. */
function keptByFilter(
  root: XmlElement,
  f: Filter,
  fs: FilterSet,
): { full: Set<XmlElement>; tags: Set<XmlElement> } {
  const full = new Set<XmlElement>();
  const tags = new Set<XmlElement>();
  const includes = f.what?.includes ?? [];
  if (includes.length === 0) allElements(root, full);
  for (const inc of includes) {
    for (const hit of selectAll(root, inc, fs)) {
      if (hit.kind === 'element') allElements(hit.node, full);
      else if (hit.kind === 'text') allElements(hit.parent, full);
      else tags.add(hit.owner);
    }
  }
  for (const exc of f.what?.excludes ?? []) {
    for (const hit of selectAll(root, exc, fs)) {
      if (hit.kind === 'element') for (const e of allElements(hit.node, new Set())) full.delete(e);
    }
  }
  return { full, tags };
}

function isTuple(e: XmlElement) {
  return e.ns === NS.pidf && e.local === 'tuple';
}
function isDevice(e: XmlElement) {
  return e.ns === NS.dm && e.local === 'device';
}

function prune(e: XmlElement, full: Set<XmlElement>, needed: Set<XmlElement>): XmlElement | undefined {
  const whole = full.has(e);
  if (!whole && !needed.has(e)) return undefined;
  const kids: XmlNode[] = [];
  for (const c of e.children) {
    if (typeof c === 'string') {
      if (whole) kids.push(c);
      continue;
    }
    const p = prune(c, full, needed);
    if (p) kids.push(p);
    // Keep what the schema requires of a kept parent (pidf.xsd tuple/status, data-model.xsd deviceID).
    else if (isTuple(e) && c.ns === NS.pidf && c.local === 'status') kids.push({ ...c, children: [] });
    else if (isDevice(e) && c.ns === NS.dm && c.local === 'deviceID') kids.push(c);
  }
  return { ...e, children: kids };
}

function markAncestors(root: XmlElement, targets: Set<XmlElement>): Set<XmlElement> {
  const needed = new Set<XmlElement>();
  const walk = (e: XmlElement, path: XmlElement[]): void => {
    if (targets.has(e)) for (const a of [...path, e]) needed.add(a);
    for (const c of e.children) if (typeof c !== 'string') walk(c, [...path, e]);
  };
  walk(root, []);
  return needed;
}

/**
 * Applies the `<what>` parts of the filters in force to a presence document tree and returns
 * the reduced tree (the input is not modified). No filter with `<what>` = the document as is.
 */
export function applyFilter(
  pidfDoc: XmlElement,
  filterSet: FilterSet,
  options: ApplyFilterOptions = {},
): XmlElement {
  const filters = applicableFilters(filterSet, options.resource).filter((f) => f.what !== undefined);
  if (filters.length === 0) return pidfDoc;
  const full = new Set<XmlElement>();
  const targets = new Set<XmlElement>();
  for (const f of filters) {
    const k = keptByFilter(pidfDoc, f, filterSet);
    for (const e of k.full) full.add(e);
    for (const e of k.tags) targets.add(e);
  }
  for (const e of full) targets.add(e);
  const needed = markAncestors(pidfDoc, targets);
  needed.add(pidfDoc);
  return prune(pidfDoc, full, needed) ?? { ...pidfDoc, children: [] };
}

/** applyFilter on the typed model: model → tree → filter → model (re-validated). */
export function applyFilterToPidf(
  doc: Pidf,
  filterSet: FilterSet,
  options: ApplyFilterOptions = {},
): PayloadResult<Pidf> {
  return guard(() => pidfFromXml(applyFilter(pidfToXml(doc), filterSet, options)));
}

/** A stable identity for a selected node across two versions of a document: its id-qualified path. */
function nodeKeys(root: XmlElement): Map<XmlElement, string> {
  const keys = new Map<XmlElement, string>();
  const walk = (e: XmlElement, prefix: string) => {
    keys.set(e, prefix);
    const counts = new Map<string, number>();
    for (const c of e.children) {
      if (typeof c === 'string') continue;
      const name = `{${c.ns}}${c.local}`;
      const n = (counts.get(name) ?? 0) + 1;
      counts.set(name, n);
      const id = c.attributes.find((a) => a.name === 'id')?.value;
      walk(c, `${prefix}/${name}${id === undefined ? `[${n}]` : `[@id=${id}]`}`);
    }
  };
  walk(root, '');
  return keys;
}

function keyed(root: XmlElement, path: string, fs: FilterSet): Map<string, string> {
  const c = compilePath(path, filterSetResolver(fs));
  if (!c.ok) return new Map();
  const keys = nodeKeys(root);
  const out = new Map<string, string>();
  for (const hit of select(root, c.path)) {
    const owner = hit.kind === 'element' ? hit.node : hit.kind === 'text' ? hit.parent : hit.owner;
    const suffix =
      hit.kind === 'attribute' ? `/@${hit.attribute.name}` : hit.kind === 'text' ? '/text()' : '';
    out.set(`${keys.get(owner) ?? '?'}${suffix}`, selectedValue(hit).trim());
  }
  return out;
}

/**
 * RFC 4661 §3.5: should the change from `oldDoc` to `newDoc` be notified? True on the first
 * document, when no filter in force has triggers, or when any trigger has all its conditions met.
 */
export function triggerFires(
  oldDoc: XmlElement | undefined,
  newDoc: XmlElement,
  filterSet: FilterSet,
  options: ApplyFilterOptions = {},
): boolean {
  if (!oldDoc) return true;
  const triggers = applicableFilters(filterSet, options.resource).flatMap((f) => f.triggers);
  if (triggers.length === 0) return true;
  return triggers.some((t) => {
    for (const ch of t.changed) {
      const before = keyed(oldDoc, ch.path, filterSet);
      const after = keyed(newDoc, ch.path, filterSet);
      const hit = [...after].some(([key, now]) => {
        const was = before.get(key);
        if (was === undefined || was === now) return false;
        if (ch.from !== undefined && was !== ch.from) return false;
        if (ch.to !== undefined && now !== ch.to) return false;
        if (ch.by !== undefined) {
          const delta = Math.abs(Number(now) - Number(was));
          if (!(delta >= ch.by)) return false;
        }
        return true;
      });
      if (!hit) return false;
    }
    for (const path of t.added) {
      const before = keyed(oldDoc, path, filterSet);
      if (![...keyed(newDoc, path, filterSet).keys()].some((k) => !before.has(k))) return false;
    }
    for (const path of t.removed) {
      const after = keyed(newDoc, path, filterSet);
      if (![...keyed(oldDoc, path, filterSet).keys()].some((k) => !after.has(k))) return false;
    }
    return true;
  });
}

/** Convenience for tests and traces. */
export function filteredPidfXml(
  pidfDoc: XmlElement,
  filterSet: FilterSet,
  options: ApplyFilterOptions = {},
): string {
  return serializeXml(applyFilter(pidfDoc, filterSet, options));
}
