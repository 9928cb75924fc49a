// The `presence` event package (RFC 3856) with authorization by the presentity's pres-rules
// (RFC 5025), transformations per watcher, RFC 4661 filters and re-evaluation when the rules
// change. The subscription-state table it implements is in docs/ps2.md.
import { serializeXml } from '../../../common/xml/serialize.ts';
import type { XmlElement } from '../../../common/xml/xml-node.ts';
import { applyFilter, triggerFires } from '../payloads/apply-filter.ts';
import { PIDF_CONTENT_TYPE, type Pidf, pidfToXml, readPidf } from '../payloads/pidf.ts';
import { diffPidf, PIDF_DIFF_CONTENT_TYPE, serializePidfDiff } from '../payloads/pidf-diff.ts';
import {
  emptyProvideSet,
  emptyTransformations,
  type PresRuleset,
  type PresTransformations,
  type SubHandling,
} from '../payloads/pres-rules.ts';
import { evaluatePresRules } from '../payloads/pres-rules-evaluate.ts';
import { type FilterSet, parseFilterSet, SIMPLE_FILTER_CONTENT_TYPE } from '../payloads/simple-filter.ts';
import type { NotifierSubscription, NotifyContent, SubscribeDecision } from '../sip/core/index.ts';
import { type EventPackage, type SubscriptionContext, subscriptionData } from './event-package.ts';
import { neutralPresence } from './presence-composer.ts';
import { applyTransformations } from './presence-transform.ts';

/** Owner = the presentity watching itself; sees everything. */
export type Handling = SubHandling | 'owner';

export interface PresenceData {
  handling: Handling;
  transformations: PresTransformations;
  filter?: FilterSet;
  /** The watcher accepts application/pidf-diff+xml (RFC 5263 partial notification). */
  partial: boolean;
  /** The tree last sent (for triggers and diffs) and its serialization. */
  lastTree?: XmlElement;
  lastXml?: string;
  /** The view computed by stateChanged for the NOTIFY it queues (saves recomputing it). */
  pending?: { tree: XmlElement; xml: string };
  /** pidf-diff version counter (RFC 5262 §4). */
  diffVersion: number;
}

/** Where a watcher stands in RFC 3857 terms, for the watcherinfo package. */
export type WatcherChange = {
  resource: string;
  subscription: NotifierSubscription;
  status: 'pending' | 'active' | 'terminated';
  event:
    | 'subscribe'
    | 'approved'
    | 'deactivated'
    | 'rejected'
    | 'timeout'
    | 'noresource'
    | 'giveup'
    | 'probation';
};

export interface PresencePackageDeps {
  /** The composed view of a presentity, undefined when nothing is published. */
  composed(resource: string): Pidf | undefined;
  /** The presentity's pres-rules, undefined when it has none. */
  rules(resource: string): PresRuleset | undefined;
  /** Reports watcher state changes (the presence.winfo package listens). */
  watcherChanged(change: WatcherChange): void;
  /** Is the resource a user of this domain? (404 otherwise). */
  isLocalUser(resource: string): boolean;
  now(): number;
}

/** Everything, for the owner and for allow rules that grant `all`. */
export function fullTransformations(): PresTransformations {
  const t = emptyTransformations();
  t.provideServices = emptyProvideSet(true);
  t.providePersons = emptyProvideSet(true);
  t.provideDevices = emptyProvideSet(true);
  t.provideAllAttributes = true;
  for (const p of [
    'provide-activities',
    'provide-class',
    'provide-deviceID',
    'provide-mood',
    'provide-place-is',
    'provide-place-type',
    'provide-privacy',
    'provide-relationship',
    'provide-status-icon',
    'provide-sphere',
    'provide-time-offset',
    'provide-note',
  ] as const)
    t.booleans[p] = true;
  t.provideUserInput = 'full';
  return t;
}

export class PresencePackage implements EventPackage {
  readonly name = 'presence';
  readonly contentType = PIDF_CONTENT_TYPE;
  readonly accepts = [PIDF_CONTENT_TYPE, PIDF_DIFF_CONTENT_TYPE, 'multipart/related', 'application/rlmi+xml'];
  /** Set by the server so the package can push NOTIFYs (rate limit included). */
  notify: (sub: NotifierSubscription) => void = () => {};
  subscriptionsOf: (resource: string) => NotifierSubscription[] = () => [];

  constructor(private readonly deps: PresencePackageDeps) {}

  private decide(
    resource: string,
    watcher: string,
  ): { handling: Handling; transformations: PresTransformations } {
    if (watcher === resource) return { handling: 'owner', transformations: fullTransformations() };
    const rules = this.deps.rules(resource);
    if (!rules) return { handling: 'confirm', transformations: emptyTransformations() };
    const d = evaluatePresRules(rules, watcher, this.deps.now());
    // RFC 5025 §3.2.1 leaves the no-match case to policy; the lab asks the presentity (confirm),
    // the reactive authorization of the use case.
    if (d.matchedRules.length === 0) return { handling: 'confirm', transformations: d.transformations };
    return { handling: d.subHandling, transformations: d.transformations };
  }

  authorize(ctx: SubscriptionContext): SubscribeDecision {
    const { subscription: sub, request, resource, watcher } = ctx;
    if (!this.deps.isLocalUser(resource)) return { reject: 404, reason: 'Not Found' };
    const data: PresenceData = {
      ...this.decide(resource, watcher),
      partial: subscriptionData(sub).accept.includes(PIDF_DIFF_CONTENT_TYPE),
      diffVersion: 0,
    };
    const body = request.request.body;
    if (body.length > 0) {
      // RFC 4661 §4: the filter travels in the SUBSCRIBE body.
      const type = (request.request.contentType ?? '').split(';')[0]!.trim().toLowerCase();
      if (type !== SIMPLE_FILTER_CONTENT_TYPE) {
        return {
          reject: 415,
          reason: 'Unsupported Media Type',
          headers: [['Accept', SIMPLE_FILTER_CONTENT_TYPE]],
        };
      }
      const filter = parseFilterSet(body);
      if (!filter.ok) return { reject: 400, reason: `Bad Request - ${filter.error.message.slice(0, 60)}` };
      data.filter = filter.value;
    }
    // RFC 5025 §3.2.1 block: "the subscription is rejected" (403, no hint to the watcher beyond that).
    if (data.handling === 'block') return { reject: 403, reason: 'Forbidden' };
    Object.assign(sub.data, { presence: data });
    const state = data.handling === 'confirm' ? 'pending' : 'active';
    if (sub.expires > 0 && data.handling !== 'owner') {
      this.deps.watcherChanged({ resource, subscription: sub, status: state, event: 'subscribe' });
    }
    return { state, ...(this.bodyFor(sub, resource, data, true) ?? {}) };
  }

  bodyForWatcher(sub: NotifierSubscription): NotifyContent | undefined {
    const data = presenceData(sub);
    if (!data) return undefined;
    return this.bodyFor(sub, subscriptionData(sub).resource, data, true);
  }

  /** The document this watcher may see now, as a tree (undefined while pending). */
  private viewTree(resource: string, data: PresenceData, current?: Pidf): XmlElement | undefined {
    if (data.handling === 'confirm' || data.handling === 'block') return undefined;
    // RFC 5025 §3.2.1 polite-block: the watcher gets a document that looks like "offline".
    const composed =
      data.handling === 'polite-block'
        ? neutralPresence(resource)
        : (current ?? this.deps.composed(resource) ?? neutralPresence(resource));
    const seen =
      data.handling === 'owner' || data.handling === 'polite-block'
        ? composed
        : applyTransformations(composed, data.transformations);
    const tree = pidfToXml(seen);
    return data.filter ? applyFilter(tree, data.filter, { resource }) : tree;
  }

  /**
   * The NOTIFY content: full state, or with RFC 5263 partial notification a pidf-diff patch
   * against what this watcher last got. `full` forces a complete document (first NOTIFY, refresh).
   */
  private bodyFor(
    sub: NotifierSubscription,
    resource: string,
    data: PresenceData,
    full: boolean,
  ): NotifyContent | undefined {
    const pending = data.pending;
    data.pending = undefined;
    const tree = pending?.tree ?? this.viewTree(resource, data);
    if (!tree) return {};
    const xml = pending?.xml ?? serializeXml(tree);
    const previous = data.lastTree;
    data.lastTree = tree;
    data.lastXml = xml;
    const next = data.partial ? readPidf(tree) : undefined;
    if (next?.ok) {
      // RFC 5263 §3: full state first (pidf-full), then patches numbered one after the other.
      data.diffVersion++;
      const before = full || !previous ? undefined : readPidf(previous);
      const diff = before?.ok
        ? diffPidf(before.value, next.value, data.diffVersion)
        : { kind: 'full' as const, version: data.diffVersion, doc: next.value };
      return { body: serializePidfDiff(diff), contentType: PIDF_DIFF_CONTENT_TYPE };
    }
    void sub;
    return { body: xml, contentType: PIDF_CONTENT_TYPE };
  }

  /** The presentity's state changed: notify the watchers whose view (and triggers) changed. */
  stateChanged(resource: string): void {
    const subs = this.subscriptionsOf(resource);
    if (subs.length === 0) return;
    // Composed once for every watcher of this change; watchers under the same permissions (and
    // without a filter of their own) share one transformed and serialized view.
    const current = this.deps.composed(resource);
    const shared = new Map<string, { tree: XmlElement; xml: string } | undefined>();
    for (const sub of subs) {
      const data = presenceData(sub);
      if (!data || sub.state !== 'active') continue;
      const key = data.filter ? undefined : viewKey(data);
      let view = key === undefined ? undefined : shared.get(key);
      if (!view) {
        const t = this.viewTree(resource, data, current);
        view = t && { tree: t, xml: serializeXml(t) };
        if (key !== undefined) shared.set(key, view);
      }
      if (!view) continue;
      const { tree, xml } = view;
      if (data.lastXml === xml) continue;
      if (data.filter && !triggerFires(data.lastTree, tree, data.filter, { resource })) continue;
      data.pending = { tree, xml };
      this.notify(sub);
    }
  }

  /** The NOTIFY content for a change (partial when the watcher asked for it). */
  changeContent(sub: NotifierSubscription): NotifyContent | undefined {
    const data = presenceData(sub);
    if (!data) return undefined;
    return this.bodyFor(sub, subscriptionData(sub).resource, data, false);
  }

  /**
   * The pres-rules changed: re-evaluate every subscription to the presentity at once.
   * pending → allow: active with full state (winfo event approved); active → block: terminated
   * reason=rejected (RFC 6665 §4.2.2 "rejected": policy changed, do not retry); active → no
   * rule or confirm: terminated reason=deactivated (RFC 3857 §5.2: the watcher may re-subscribe
   * and will be pending); any other change: a NOTIFY with the newly transformed document.
   */
  rulesChanged(resource: string): void {
    for (const sub of this.subscriptionsOf(resource)) {
      const data = presenceData(sub);
      if (!data || data.handling === 'owner') continue;
      const next = this.decide(resource, subscriptionData(sub).watcher);
      data.pending = undefined;
      const wasPending = sub.state === 'pending';
      data.transformations = next.transformations;
      data.handling = next.handling;
      if (next.handling === 'block') {
        this.deps.watcherChanged({ resource, subscription: sub, status: 'terminated', event: 'rejected' });
        void sub.terminate('rejected');
      } else if (next.handling === 'confirm') {
        if (!wasPending) {
          this.deps.watcherChanged({
            resource,
            subscription: sub,
            status: 'terminated',
            event: 'deactivated',
          });
          void sub.terminate('deactivated');
        }
      } else {
        if (wasPending) {
          this.deps.watcherChanged({ resource, subscription: sub, status: 'active', event: 'approved' });
          data.lastTree = undefined;
          void sub.notify({ ...(this.bodyFor(sub, resource, data, true) ?? {}), state: 'active' });
        } else {
          const tree = this.viewTree(resource, data);
          if (tree && serializeXml(tree) !== data.lastXml) {
            this.notify(sub);
          }
        }
      }
    }
  }

  terminated(sub: NotifierSubscription, reason: string): void {
    const data = presenceData(sub);
    if (!data || data.handling === 'owner') return;
    // rejected/deactivated were reported by rulesChanged already.
    if (reason === 'rejected' || reason === 'deactivated') return;
    const event = reason === 'timeout' || reason === 'noresource' || reason === 'giveup' ? reason : 'timeout';
    this.deps.watcherChanged({
      resource: subscriptionData(sub).resource,
      subscription: sub,
      status: 'terminated',
      event,
    });
  }
}

/** Identifies the view a watcher gets from its permissions alone (no filter). */
function viewKey(data: PresenceData): string {
  return `${data.handling}|${JSON.stringify(data.transformations)}`;
}

export function presenceData(sub: NotifierSubscription): PresenceData | undefined {
  return (sub.data as { presence?: PresenceData }).presence;
}
