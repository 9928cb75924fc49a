// RFC 4661 event notification filters (application/simple-filter+xml): a <filter-set> with
// namespace bindings and <filter>s, each selecting content (<what>: include/exclude) and
// conditions to notify (<trigger>: changed/added/removed). Evaluation lives in apply-filter.ts.
import { attr, attribute, children, el, text } from '../../../common/xml/query.ts';
import { serializeXml } from '../../../common/xml/serialize.ts';
import type { XmlElement } from '../../../common/xml/xml-node.ts';
import { NS } from './namespaces.ts';
import { decodeXml, invalid, type PayloadLimits, parseBoolean, requireAttr, xmlns } from './payload-codec.ts';
import type { PayloadResult } from './payload-error.ts';
import { compilePath } from './xpath-subset.ts';

export const SIMPLE_FILTER_CONTENT_TYPE = 'application/simple-filter+xml';

export interface NsBinding {
  prefix: string;
  urn: string;
}

/** <include>/<exclude>: `xpath` selects by location path, `namespace` selects every element of a namespace. */
export interface Selection {
  type: 'xpath' | 'namespace';
  value: string;
}

export interface ChangedTrigger {
  path: string;
  from?: string;
  to?: string;
  /** Numeric change threshold (RFC 4661 §3.5.1 `by`). */
  by?: number;
}

/** One <trigger>: its conditions are ANDed; the filter's triggers are ORed (RFC 4661 §3.5). */
export interface Trigger {
  changed: ChangedTrigger[];
  added: string[];
  removed: string[];
}

export interface Filter {
  id: string;
  /** The resource the filter is for (RLS context); absent with `domain` absent = the subscribed resource. */
  uri?: string;
  domain?: string;
  /** `remove="true"`: delete the filter with this id from the subscription (§3.2). */
  remove?: boolean;
  /** `enabled="false"` keeps the filter but suspends it (§3.2). */
  enabled?: boolean;
  what?: { includes: Selection[]; excludes: Selection[] };
  triggers: Trigger[];
  extensions: XmlElement[];
}

export interface FilterSet {
  package?: string;
  nsBindings: NsBinding[];
  filters: Filter[];
}

function readSelection(e: XmlElement, resolve: (p: string) => string | undefined): Selection {
  const type = attr(e, 'type') ?? 'xpath';
  if (type !== 'xpath' && type !== 'namespace') {
    invalid(`filter <${e.local}> type "${type}" is not supported`, 'PAYLOAD_ERR_UNSUPPORTED');
  }
  const value = text(e).trim();
  if (type === 'xpath') checkPath(value, resolve);
  return { type, value };
}

function checkPath(value: string, resolve: (p: string) => string | undefined): void {
  const c = compilePath(value, resolve);
  // RFC 4661 §3.3: an expression outside what the notifier supports is refused, not ignored.
  if (!c.ok) invalid(c.message, 'PAYLOAD_ERR_UNSUPPORTED');
}

function readFilter(e: XmlElement, resolve: (p: string) => string | undefined): Filter {
  const f: Filter = { id: requireAttr(e, 'id'), triggers: [], extensions: [] };
  const uri = attr(e, 'uri');
  const domain = attr(e, 'domain');
  const remove = attr(e, 'remove');
  const enabled = attr(e, 'enabled');
  if (uri !== undefined) f.uri = uri;
  if (domain !== undefined) f.domain = domain;
  if (uri !== undefined && domain !== undefined) invalid('a filter has both uri and domain (RFC 4661 §3.2)');
  if (remove !== undefined) f.remove = parseBoolean(remove, 'remove');
  if (enabled !== undefined) f.enabled = parseBoolean(enabled, 'enabled');
  for (const c of children(e)) {
    if (c.ns !== NS.simpleFilter) {
      f.extensions.push(c);
      continue;
    }
    if (c.local === 'what') {
      const what = { includes: [] as Selection[], excludes: [] as Selection[] };
      for (const x of children(c, NS.simpleFilter)) {
        if (x.local === 'include') what.includes.push(readSelection(x, resolve));
        else if (x.local === 'exclude') what.excludes.push(readSelection(x, resolve));
        else invalid(`<${x.name}> is not allowed in <what>`);
      }
      f.what = what;
    } else if (c.local === 'trigger') {
      const t: Trigger = { changed: [], added: [], removed: [] };
      for (const x of children(c, NS.simpleFilter)) {
        const path = text(x).trim();
        checkPath(path, resolve);
        if (x.local === 'changed') {
          const ch: ChangedTrigger = { path };
          const from = attr(x, 'from');
          const to = attr(x, 'to');
          const by = attr(x, 'by');
          if (from !== undefined) ch.from = from;
          if (to !== undefined) ch.to = to;
          if (by !== undefined) {
            if (!/^[+-]?\d+(\.\d+)?$/.test(by.trim())) invalid(`changed by="${by}" is not a number`);
            ch.by = Number(by);
          }
          t.changed.push(ch);
        } else if (x.local === 'added') t.added.push(path);
        else if (x.local === 'removed') t.removed.push(path);
        else invalid(`<${x.name}> is not allowed in <trigger>`);
      }
      f.triggers.push(t);
    } else invalid(`<${c.name}> is not allowed in <filter>`);
  }
  if (f.remove && (f.what || f.triggers.length > 0))
    invalid('a remove="true" filter carries no content (§3.2)');
  return f;
}

export function filterSetResolver(fs: Pick<FilterSet, 'nsBindings'>): (prefix: string) => string | undefined {
  const map = new Map(fs.nsBindings.map((b) => [b.prefix, b.urn]));
  return (p) => map.get(p);
}

function fromXml(root: XmlElement): FilterSet {
  const fs: FilterSet = { nsBindings: [], filters: [] };
  const pkg = attr(root, 'package');
  if (pkg !== undefined) fs.package = pkg;
  const filterEls: XmlElement[] = [];
  for (const c of children(root)) {
    if (c.ns !== NS.simpleFilter) invalid(`<${c.name}> is not allowed in <filter-set>`);
    if (c.local === 'ns-bindings') {
      for (const b of children(c, NS.simpleFilter, 'ns-binding')) {
        fs.nsBindings.push({ prefix: requireAttr(b, 'prefix'), urn: requireAttr(b, 'urn') });
      }
    } else if (c.local === 'filter') filterEls.push(c);
    else invalid(`<${c.name}> is not allowed in <filter-set>`);
  }
  const resolve = filterSetResolver(fs);
  const ids = new Set<string>();
  for (const f of filterEls) {
    const filter = readFilter(f, resolve);
    if (ids.has(filter.id)) invalid(`filter id "${filter.id}" repeats`);
    ids.add(filter.id);
    fs.filters.push(filter);
  }
  return fs;
}

export function parseFilterSet(input: Buffer | string, limits?: PayloadLimits): PayloadResult<FilterSet> {
  return decodeXml(input, limits, [{ ns: NS.simpleFilter, local: 'filter-set' }], fromXml);
}

export function filterSetToXml(fs: FilterSet): XmlElement {
  const N = NS.simpleFilter;
  return el(
    N,
    'filter-set',
    [xmlns('', N), ...(fs.package === undefined ? [] : [attribute('package', fs.package)])],
    [
      fs.nsBindings.length > 0 &&
        el(
          N,
          'ns-bindings',
          {},
          fs.nsBindings.map((b) => el(N, 'ns-binding', { prefix: b.prefix, urn: b.urn })),
        ),
      ...fs.filters.map((f) =>
        el(N, 'filter', { id: f.id, uri: f.uri, domain: f.domain, remove: f.remove, enabled: f.enabled }, [
          f.what &&
            el(N, 'what', {}, [
              ...f.what.includes.map((s) => el(N, 'include', { type: s.type }, [s.value])),
              ...f.what.excludes.map((s) => el(N, 'exclude', { type: s.type }, [s.value])),
            ]),
          ...f.triggers.map((t) =>
            el(N, 'trigger', {}, [
              ...t.changed.map((c) => el(N, 'changed', { from: c.from, to: c.to, by: c.by }, [c.path])),
              ...t.added.map((p) => el(N, 'added', {}, [p])),
              ...t.removed.map((p) => el(N, 'removed', {}, [p])),
            ]),
          ),
          ...f.extensions,
        ]),
      ),
    ],
  );
}

export function serializeFilterSet(fs: FilterSet, options: { indent?: string } = {}): string {
  return serializeXml(filterSetToXml(fs), options);
}

/**
 * RFC 4661 §3.2 / RFC 4660 §3.3: a new filter-set updates the subscription's filters by id —
 * `remove="true"` deletes, anything else replaces or adds.
 */
export function mergeFilterSets(current: FilterSet, update: FilterSet): FilterSet {
  const filters = [...current.filters];
  for (const f of update.filters) {
    const i = filters.findIndex((x) => x.id === f.id);
    if (f.remove) {
      if (i >= 0) filters.splice(i, 1);
    } else if (i >= 0) filters[i] = f;
    else filters.push(f);
  }
  const bindings = new Map(current.nsBindings.map((b) => [b.prefix, b.urn]));
  for (const b of update.nsBindings) bindings.set(b.prefix, b.urn);
  const out: FilterSet = { nsBindings: [...bindings].map(([prefix, urn]) => ({ prefix, urn })), filters };
  const pkg = update.package ?? current.package;
  if (pkg !== undefined) out.package = pkg;
  return out;
}
