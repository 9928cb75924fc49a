// The link store: what the IWF must remember to keep cross-domain work going across a restart.
// Each IWF subscription links an SSP subscription (watcher, presentity, attributes) to a SIP
// dialog (Call-ID, tags, route set, CSeqs, expiry); in-flight IMs are kept from acceptance to
// their final answer; delivery-report correlations until the report crosses. Backed by the
// journal (journal.ts), group-committed; `durable()` says when what was put is on disk.
//
// A subscription's link holds the live dialog state of its SIP usage (the same object, held
// once); it is written out as a StoredDialog only when the journal writes the link, and read
// back into live state when the journal is opened.
import type { PresenceSubList } from '../../domains/imps/csp/model/presence-attributes.ts';
import { type DialogState, NO_ROUTES } from '../../domains/simple/sip/core/dialog.ts';
import { formatNameAddr, parseNameAddr } from '../../domains/simple/sip/message/header-values.ts';
import { parseUri } from '../../domains/simple/sip/message/uri-codec.ts';
import type { IwfMessageId, IwfSubscriptionId, SipAddress, WvAddress } from '../core/ids.ts';
import { Journal, type Json } from './journal.ts';

/** A SIP dialog as the journal stores it: every field a string or number (RFC 3261 §12). */
export interface StoredDialog {
  callId: string;
  localTag: string;
  remoteTag: string;
  localUri: string;
  remoteUri: string;
  remoteTarget: string;
  routeSet: string[];
  localSeq: number;
  remoteSeq: number | null;
  localContact: string;
}

/** Harry (IMPS) watches Jane (SIMPLE): SSP SubscribeRequest ⇄ the IWF's SIP subscription. */
export interface ImpsWatchLink {
  kind: 'imps-watch';
  id: IwfSubscriptionId;
  watcher: WvAddress;
  target: WvAddress;
  /** The PresenceSubList element names asked for; absent = all. */
  attributes?: string[];
  sipState: 'pending' | 'active';
  /** The SIP usage's own dialog state (absent before the 2xx, or when the stored one did not load). */
  dialog?: DialogState;
  /** Wall-clock ms at which the SIP subscription expires unless refreshed. */
  expiresAt?: number;
  /** The last presence passed to PS1 (diffing, and the state after a restart). */
  last?: PresenceSubList;
}

/** Jane (SIMPLE) watches Harry (IMPS): the SIP subscription the IWF serves ⇄ SSP SubscribeRequest. */
export interface SipWatchLink {
  kind: 'sip-watch';
  id: IwfSubscriptionId;
  watcher: SipAddress;
  watcherWv: WvAddress;
  target: WvAddress;
  event: string;
  /** The served usage's own dialog state (absent only when the stored one did not load). */
  dialog?: DialogState;
  expires: number;
  expiresAt: number;
  state: 'pending' | 'active';
  attributes?: string[];
  last?: PresenceSubList;
}

/** An IM the IWF accepted and has not yet had answered by the other side. */
export interface PendingIm {
  kind: 'im';
  id: IwfMessageId;
  direction: 'imps→sip' | 'sip→imps';
  /** The request as received, enough to send it again. */
  payload: Record<string, unknown>;
  acceptedAt: number;
}

/** A delivery-report correlation: the report that must cross when it comes. */
export interface ReportLink {
  kind: 'report';
  id: IwfMessageId;
  direction: 'imps→sip' | 'sip→imps';
  data: Record<string, unknown>;
  createdAt: number;
}

export type StoredLink = ImpsWatchLink | SipWatchLink | PendingIm | ReportLink;

/**
 * A PresenceSubList as a link keeps it for hours: the same plain data rebuilt by JSON.parse, which
 * sizes every object and array exactly (a list built by pushes keeps spare capacity) and shares
 * its property names. It is only data (strings, numbers, booleans, arrays, objects), so nothing
 * is lost.
 */
export function compactPresence(presence: PresenceSubList): PresenceSubList {
  return JSON.parse(JSON.stringify(presence)) as PresenceSubList;
}

export function storeDialog(s: DialogState): StoredDialog {
  return {
    callId: s.callId,
    localTag: s.localTag,
    remoteTag: s.remoteTag,
    localUri: s.localUri,
    remoteUri: s.remoteUri,
    remoteTarget: s.remoteTarget,
    routeSet: s.routeSet.map(formatNameAddr),
    localSeq: s.localSeq,
    remoteSeq: s.remoteSeq ?? null,
    localContact: s.localContact,
  };
}

/** The stored dialog back as live state, or undefined when a field no longer parses. */
export function loadDialog(d: StoredDialog): DialogState | undefined {
  try {
    // The texts are kept as they are; parsing them here only proves the next request can be built.
    parseNameAddr(d.localUri);
    parseNameAddr(d.remoteUri);
    parseUri(d.remoteTarget);
    const routeSet = d.routeSet.length === 0 ? NO_ROUTES : d.routeSet.map((r) => parseNameAddr(r));
    return {
      callId: d.callId,
      localTag: d.localTag,
      remoteTag: d.remoteTag,
      localUri: d.localUri,
      remoteUri: d.remoteUri,
      remoteTarget: d.remoteTarget,
      routeSet,
      localSeq: d.localSeq,
      remoteSeq: d.remoteSeq ?? undefined,
      localContact: d.localContact,
    };
  } catch {
    return undefined;
  }
}

/** A link as the journal writes it: the live dialog state as a StoredDialog. */
function encodeLink(_key: string, value: Json): Json {
  const dialog = value.dialog as DialogState | undefined;
  return dialog ? { ...value, dialog: storeDialog(dialog) } : value;
}

/** A journal record back as a live link: its StoredDialog as dialog state (dropped when it no longer loads). */
function decodeLink(_key: string, value: Json): Json {
  if (!('dialog' in value)) return value;
  const { dialog, ...rest } = value;
  const state = dialog ? loadDialog(dialog as StoredDialog) : undefined;
  return state ? { ...rest, dialog: state } : rest;
}

const KEY = {
  'imps-watch': 'sub:',
  'sip-watch': 'sub:',
  im: 'im:',
  report: 'report:',
} as const;

/** Typed access to the journal; `undefined` store path keeps everything in memory only. */
export class LinkStore {
  private readonly journal: Journal | undefined;
  /** Subscriptions by their id (ids of both kinds are distinct), so no key string per link. */
  private readonly subs = new Map<IwfSubscriptionId, ImpsWatchLink | SipWatchLink>();
  /** In-flight IMs and report correlations, by `im:`/`report:` + id. */
  private readonly messages = new Map<string, PendingIm | ReportLink>();

  constructor(path: string | undefined, options: { sync?: boolean } = {}) {
    this.journal = path
      ? new Journal({
          path,
          encode: encodeLink,
          decode: decodeLink,
          ...(options.sync === undefined ? {} : { sync: options.sync }),
        })
      : undefined;
  }

  open(): void {
    this.journal?.open();
    for (const [, value] of this.journal?.entries() ?? []) this.remember(value as unknown as StoredLink);
  }

  close(): void {
    this.journal?.close();
  }

  put(link: StoredLink): void {
    this.remember(link);
    this.journal?.put(`${KEY[link.kind]}${link.id}`, link as unknown as Json);
  }

  /**
   * Resolves once every change so far is on disk (at once without a journal): await it before
   * acknowledging what must survive a kill -9 — an accepted subscription, an accepted IM.
   */
  durable(): Promise<void> {
    return this.journal?.durable() ?? Promise.resolve();
  }

  delete(kind: StoredLink['kind'], id: string): void {
    if (kind === 'imps-watch' || kind === 'sip-watch') this.subs.delete(id as IwfSubscriptionId);
    else this.messages.delete(`${KEY[kind]}${id}`);
    this.journal?.delete(`${KEY[kind]}${id}`);
  }

  subscription(id: IwfSubscriptionId): ImpsWatchLink | SipWatchLink | undefined {
    return this.subs.get(id);
  }

  report(id: string): ReportLink | undefined {
    const l = this.messages.get(`report:${id}`);
    return l?.kind === 'report' ? l : undefined;
  }

  all<K extends StoredLink['kind']>(kind: K): Array<Extract<StoredLink, { kind: K }>> {
    const from = kind === 'imps-watch' || kind === 'sip-watch' ? this.subs : this.messages;
    return [...from.values()].filter((l): l is Extract<StoredLink, { kind: K }> => l.kind === kind);
  }

  get size(): number {
    return this.subs.size + this.messages.size;
  }

  private remember(link: StoredLink): void {
    if (link.kind === 'imps-watch' || link.kind === 'sip-watch') this.subs.set(link.id, link);
    else this.messages.set(`${KEY[link.kind]}${link.id}`, link);
  }
}
