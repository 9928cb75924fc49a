// The `presence.winfo` event package (RFC 3857) with the watcherinfo format (RFC 3858): only the
// presentity may watch its own watchers (§5.2 "the watcher MUST be authorized … typically only
// the presentity"); the first NOTIFY and refreshes carry full state, changes carry partial state
// (§4.3, one version counter per subscription). Terminated watchers are reported once, then
// dropped from the list.
import {
  serializeWatcherInfo,
  WATCHERINFO_CONTENT_TYPE,
  type Watcher,
  type WatcherEvent,
  type WatcherInfo,
  type WatcherStatus,
} from '../payloads/watcherinfo.ts';
import type { NotifierSubscription, NotifyContent, SubscribeDecision } from '../sip/core/index.ts';
import { type EventPackage, type SubscriptionContext, subscriptionData } from './event-package.ts';
import type { WatcherChange } from './presence-package.ts';

interface WatcherRecord {
  watcher: Watcher;
  subscribedAt: number;
  subscription: NotifierSubscription;
}

export class WatcherInfoPackage implements EventPackage {
  readonly name = 'presence.winfo';
  readonly contentType = WATCHERINFO_CONTENT_TYPE;
  readonly accepts = [WATCHERINFO_CONTENT_TYPE];
  /** Set by the server: the owner's winfo subscriptions and the NOTIFY sender. */
  subscriptionsOf: (resource: string) => NotifierSubscription[] = () => [];
  notify: (sub: NotifierSubscription, content: NotifyContent) => void = () => {};
  private readonly watchers = new Map<string, Map<string, WatcherRecord>>();

  constructor(
    private readonly now: () => number,
    private readonly isLocalUser: (resource: string) => boolean,
  ) {}

  authorize(ctx: SubscriptionContext): SubscribeDecision {
    if (!this.isLocalUser(ctx.resource)) return { reject: 404, reason: 'Not Found' };
    if (ctx.watcher !== ctx.resource) return { reject: 403, reason: 'Forbidden - only the presentity' };
    (ctx.subscription.data as { winfoVersion?: number }).winfoVersion = 0;
    return { state: 'active', ...this.full(ctx.subscription, ctx.resource) };
  }

  bodyForWatcher(sub: NotifierSubscription): NotifyContent | undefined {
    return this.full(sub, subscriptionData(sub).resource);
  }

  /** Current watchers of a presentity's presence (for the terminal's state and tests). */
  list(resource: string): Watcher[] {
    return [...(this.watchers.get(resource)?.values() ?? [])].map((r) => this.current(r));
  }

  /** The presence package reports a watcher's new status (RFC 3857 §3.2 state machine). */
  watcherChanged(change: WatcherChange): void {
    const table = this.watchers.get(change.resource) ?? new Map<string, WatcherRecord>();
    this.watchers.set(change.resource, table);
    const id = change.subscription.id;
    let record = table.get(id);
    if (!record) {
      record = {
        subscribedAt: this.now(),
        subscription: change.subscription,
        watcher: {
          id: watcherId(id),
          uri: subscriptionData(change.subscription).watcher,
          status: change.status,
          event: change.event,
        },
      };
      table.set(id, record);
    }
    record.watcher.status = change.status as WatcherStatus;
    record.watcher.event = change.event as WatcherEvent;
    const snapshot = this.current(record);
    if (change.status === 'terminated') table.delete(id);
    for (const sub of this.subscriptionsOf(change.resource)) {
      this.notify(sub, this.document(sub, change.resource, [snapshot], 'partial'));
    }
  }

  private current(r: WatcherRecord): Watcher {
    const w: Watcher = { ...r.watcher };
    w.durationSubscribed = Math.max(0, Math.round((this.now() - r.subscribedAt) / 1000));
    if (r.watcher.status !== 'terminated') w.expiration = r.subscription.remaining;
    return w;
  }

  private full(sub: NotifierSubscription, resource: string): NotifyContent {
    return this.document(sub, resource, this.list(resource), 'full');
  }

  private document(
    sub: NotifierSubscription,
    resource: string,
    watchers: Watcher[],
    state: 'full' | 'partial',
  ): NotifyContent {
    const data = sub.data as { winfoVersion?: number };
    const version = data.winfoVersion ?? 0;
    data.winfoVersion = version + 1;
    const info: WatcherInfo = {
      version,
      state,
      watcherLists: [{ resource, package: 'presence', watchers, extensions: [] }],
      extensions: [],
    };
    return { body: serializeWatcherInfo(info), contentType: WATCHERINFO_CONTENT_TYPE };
  }
}

/** A watcher id must be an XML token-like string; dialog ids contain separators. */
function watcherId(dialogId: string): string {
  let h = 0;
  for (const ch of dialogId) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  return `w${h.toString(36)}`;
}
