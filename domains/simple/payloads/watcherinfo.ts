// RFC 3858 watcher information (application/watcherinfo+xml), the body of presence.winfo
// NOTIFYs (RFC 3857). The notifier owns `version` (0, then +1 per NOTIFY, §4.1); `partial`
// documents list only watchers that changed and the receiver applies them by `id` (§4.3).
import { attr, attribute, children, el, lang, text } from '../../../common/xml/query.ts';
import { serializeXml } from '../../../common/xml/serialize.ts';
import type { XmlAttribute, XmlElement } from '../../../common/xml/xml-node.ts';
import { NS } from './namespaces.ts';
import {
  decodeXml,
  invalid,
  oneOf,
  type PayloadLimits,
  parseUnsignedInt,
  requireAttr,
  xmlns,
} from './payload-codec.ts';
import type { PayloadResult } from './payload-error.ts';

export const WATCHERINFO_CONTENT_TYPE = 'application/watcherinfo+xml';

export const WATCHER_STATUSES = ['pending', 'active', 'waiting', 'terminated'] as const;
export type WatcherStatus = (typeof WATCHER_STATUSES)[number];
/** RFC 3858 §4.2 / RFC 3857 §5.2: the event that moved the watcher to its status. */
export const WATCHER_EVENTS = [
  'subscribe',
  'approved',
  'deactivated',
  'probation',
  'rejected',
  'timeout',
  'giveup',
  'noresource',
] as const;
export type WatcherEvent = (typeof WATCHER_EVENTS)[number];

export interface Watcher {
  /** Unique per watcher subscription within the list; the key of partial updates. */
  id: string;
  /** The watcher's URI (element content). */
  uri: string;
  status: WatcherStatus;
  event: WatcherEvent;
  displayName?: string;
  /** Seconds until the subscription expires. */
  expiration?: number;
  /** Seconds the watcher has been subscribed. */
  durationSubscribed?: number;
  lang?: string;
}

export interface WatcherList {
  resource: string;
  package: string;
  watchers: Watcher[];
  extensions: XmlElement[];
}

export interface WatcherInfo {
  version: number;
  state: 'full' | 'partial';
  watcherLists: WatcherList[];
  extensions: XmlElement[];
}

function readWatcher(e: XmlElement): Watcher {
  const w: Watcher = {
    id: requireAttr(e, 'id'),
    uri: text(e).trim(),
    status: oneOf(requireAttr(e, 'status'), WATCHER_STATUSES, 'watcher status'),
    event: oneOf(requireAttr(e, 'event'), WATCHER_EVENTS, 'watcher event'),
  };
  if (w.uri === '') invalid(`<watcher id="${w.id}"> has no URI`);
  const dn = attr(e, 'display-name');
  const exp = attr(e, 'expiration');
  const dur = attr(e, 'duration-subscribed');
  const l = lang(e);
  if (dn !== undefined) w.displayName = dn;
  if (exp !== undefined) w.expiration = parseUnsignedInt(exp, 'expiration');
  if (dur !== undefined) w.durationSubscribed = parseUnsignedInt(dur, 'duration-subscribed');
  if (l !== undefined) w.lang = l;
  return w;
}

function fromXml(root: XmlElement): WatcherInfo {
  const info: WatcherInfo = {
    version: parseUnsignedInt(requireAttr(root, 'version'), 'version'),
    state: oneOf(requireAttr(root, 'state'), ['full', 'partial'] as const, 'state'),
    watcherLists: [],
    extensions: [],
  };
  for (const c of children(root)) {
    if (c.ns !== NS.watcherinfo) {
      info.extensions.push(c);
      continue;
    }
    if (c.local !== 'watcher-list') invalid(`<${c.name}> is not allowed in <watcherinfo>`);
    const list: WatcherList = {
      resource: requireAttr(c, 'resource'),
      package: requireAttr(c, 'package'),
      watchers: [],
      extensions: [],
    };
    const ids = new Set<string>();
    for (const w of children(c)) {
      if (w.ns !== NS.watcherinfo) list.extensions.push(w);
      else if (w.local === 'watcher') {
        const watcher = readWatcher(w);
        if (ids.has(watcher.id)) invalid(`watcher id "${watcher.id}" repeats in one list (RFC 3858 §4.2)`);
        ids.add(watcher.id);
        list.watchers.push(watcher);
      } else invalid(`<${w.name}> is not allowed in <watcher-list>`);
    }
    info.watcherLists.push(list);
  }
  return info;
}

export function parseWatcherInfo(input: Buffer | string, limits?: PayloadLimits): PayloadResult<WatcherInfo> {
  return decodeXml(input, limits, [{ ns: NS.watcherinfo, local: 'watcherinfo' }], fromXml);
}

function writeWatcher(w: Watcher): XmlElement {
  const attrs: XmlAttribute[] = [
    attribute('id', w.id),
    attribute('status', w.status),
    attribute('event', w.event),
  ];
  if (w.displayName !== undefined) attrs.push(attribute('display-name', w.displayName));
  if (w.expiration !== undefined) attrs.push(attribute('expiration', String(w.expiration)));
  if (w.durationSubscribed !== undefined)
    attrs.push(attribute('duration-subscribed', String(w.durationSubscribed)));
  if (w.lang !== undefined) attrs.push(attribute('xml:lang', w.lang));
  return el(NS.watcherinfo, 'watcher', attrs, [w.uri]);
}

export function watcherInfoToXml(info: WatcherInfo): XmlElement {
  return el(
    NS.watcherinfo,
    'watcherinfo',
    [xmlns('', NS.watcherinfo), attribute('version', String(info.version)), attribute('state', info.state)],
    [
      ...info.watcherLists.map((l) =>
        el(NS.watcherinfo, 'watcher-list', { resource: l.resource, package: l.package }, [
          ...l.watchers.map(writeWatcher),
          ...l.extensions,
        ]),
      ),
      ...info.extensions,
    ],
  );
}

export function serializeWatcherInfo(info: WatcherInfo, options: { indent?: string } = {}): string {
  return serializeXml(watcherInfoToXml(info), options);
}

/**
 * Applies a `partial` document to the full state the subscriber holds (RFC 3858 §4.3): watchers
 * are replaced by id, new ones appended. A version gap means state was lost: the caller must
 * re-SUBSCRIBE, so this returns undefined then.
 */
export function applyPartialWatcherInfo(full: WatcherInfo, update: WatcherInfo): WatcherInfo | undefined {
  if (update.state === 'full') return update.version > full.version ? update : undefined;
  if (update.version !== full.version + 1) return undefined;
  const lists = full.watcherLists.map((l) => ({ ...l, watchers: [...l.watchers] }));
  for (const u of update.watcherLists) {
    let list = lists.find((l) => l.resource === u.resource && l.package === u.package);
    if (!list) {
      list = { ...u, watchers: [] };
      lists.push(list);
    }
    for (const w of u.watchers) {
      const i = list.watchers.findIndex((x) => x.id === w.id);
      if (i < 0) list.watchers.push(w);
      else list.watchers[i] = w;
    }
  }
  return { version: update.version, state: 'full', watcherLists: lists, extensions: full.extensions };
}
