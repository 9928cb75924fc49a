// The link store: what the IWF must remember to keep cross-domain work going across a restart.
// Each IWF subscription links an SSP subscription (watcher, presentity, attributes) to a SIP
// dialog (Call-ID, tags, route set, CSeqs, expiry); in-flight IMs are kept from acceptance to
// their final answer; delivery-report correlations until the report crosses. Backed by the
// journal (journal.ts); every put is durable before it returns.
import type { PresenceSubList } from '../../domains/imps/csp/model/presence-attributes.ts';
import type { DialogState } from '../../domains/simple/sip/core/dialog.ts';
import { formatNameAddr, parseNameAddr } from '../../domains/simple/sip/message/header-values.ts';
import { formatUri, parseUri } from '../../domains/simple/sip/message/uri-codec.ts';
import type { IwfMessageId, IwfSubscriptionId, SipAddress, WvAddress } from '../core/ids.ts';
import { Journal } from './journal.ts';

/** A SIP dialog as stored: every field a string or number (RFC 3261 §12 dialog state). */
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
  dialog?: StoredDialog;
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
  dialog: StoredDialog;
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

export function storeDialog(s: DialogState): StoredDialog {
  return {
    callId: s.callId,
    localTag: s.localTag,
    remoteTag: s.remoteTag,
    localUri: formatNameAddr(s.localUri),
    remoteUri: formatNameAddr(s.remoteUri),
    remoteTarget: formatUri(s.remoteTarget),
    routeSet: s.routeSet.map(formatNameAddr),
    localSeq: s.localSeq,
    remoteSeq: s.remoteSeq ?? null,
    localContact: s.localContact,
  };
}

/** The stored dialog back as live state, or undefined when a field no longer parses. */
export function loadDialog(d: StoredDialog): DialogState | undefined {
  try {
    return {
      callId: d.callId,
      localTag: d.localTag,
      remoteTag: d.remoteTag,
      localUri: parseNameAddr(d.localUri),
      remoteUri: parseNameAddr(d.remoteUri),
      remoteTarget: parseUri(d.remoteTarget),
      routeSet: d.routeSet.map((r) => parseNameAddr(r)),
      localSeq: d.localSeq,
      remoteSeq: d.remoteSeq ?? undefined,
      localContact: d.localContact,
    };
  } catch {
    return undefined;
  }
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
  private readonly memory = new Map<string, StoredLink>();

  constructor(path: string | undefined, options: { sync?: boolean } = {}) {
    this.journal = path
      ? new Journal({ path, ...(options.sync === undefined ? {} : { sync: options.sync }) })
      : undefined;
  }

  open(): void {
    this.journal?.open();
    for (const [key, value] of this.journal?.entries() ?? [])
      this.memory.set(key, value as unknown as StoredLink);
  }

  close(): void {
    this.journal?.close();
  }

  put(link: StoredLink): void {
    const key = `${KEY[link.kind]}${link.id}`;
    this.memory.set(key, link);
    this.journal?.put(key, link as unknown as Record<string, unknown>);
  }

  delete(kind: StoredLink['kind'], id: string): void {
    const key = `${KEY[kind]}${id}`;
    this.memory.delete(key);
    this.journal?.delete(key);
  }

  subscription(id: IwfSubscriptionId): ImpsWatchLink | SipWatchLink | undefined {
    const l = this.memory.get(`sub:${id}`);
    return l && (l.kind === 'imps-watch' || l.kind === 'sip-watch') ? l : undefined;
  }

  report(id: string): ReportLink | undefined {
    const l = this.memory.get(`report:${id}`);
    return l?.kind === 'report' ? l : undefined;
  }

  all<K extends StoredLink['kind']>(kind: K): Array<Extract<StoredLink, { kind: K }>> {
    return [...this.memory.values()].filter((l): l is Extract<StoredLink, { kind: K }> => l.kind === kind);
  }

  get size(): number {
    return this.memory.size;
  }
}
