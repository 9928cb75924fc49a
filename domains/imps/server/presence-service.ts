// Presence (imps.md §3): the published attributes of each local user plus network-provided ones
// (OnlineStatus and Registration from session state, PLMN from the access network), the
// subscriptions of local and remote watchers, and notifications that carry only attributes
// that were subscribed, are authorized and have changed (§3.1 "Server behaviour").
import type { PresenceSubList } from '../csp/model/presence-attributes.ts';
import { primitive } from '../csp/model/primitives.ts';
import type { ImpsSession } from './imps-session.ts';
import {
  ALL_ATTRIBUTES,
  type AttributeKey,
  changedKeys,
  intersect,
  isEmptyList,
  pick,
} from './presence-attributes.ts';
import type { Ps1Context } from './ps1-context.ts';
import { detail } from './ps1-status.ts';
import type { RemoteDetail, RemotePresence } from './remote-domains.ts';
import { domainOf } from './wv-address.ts';

export interface Subscription {
  watcher: string;
  target: string;
  /** Requested attributes; undefined = all (imps.md §3.1). */
  attributes: Set<AttributeKey> | undefined;
  /** The local watcher's session; undefined for a watcher of another domain (over SSP). */
  sessionId: string | undefined;
  direct: boolean;
  viaLists: Set<string>;
  /** Attributes authorized when last evaluated: newly authorized ones are sent at once. */
  authorized: Set<AttributeKey>;
}

// Server-maintained attributes: clients may not override them (baraza forces OnlineStatus too).
const NETWORK_PROVIDED: ReadonlySet<AttributeKey> = new Set(['onlineStatus', 'registration', 'plmn']);

function key(sessionId: string | undefined, watcher: string, target: string): string {
  return `${sessionId ?? `remote:${watcher}`}|${target}`;
}

export class PresenceService {
  private readonly published = new Map<string, PresenceSubList>();
  private readonly lastEffective = new Map<string, PresenceSubList>();
  private readonly subs = new Map<string, Subscription>();

  constructor(private readonly ctx: Ps1Context) {}

  /** What the user published plus what the network knows (imps.md §4.2 OnlineStatus/Registration/PLMN). */
  effective(userId: string): PresenceSubList {
    const own = { ...(this.published.get(userId) ?? {}) } as PresenceSubList;
    const sessions = this.ctx.sessions.ofUser(userId);
    const online = sessions.length > 0;
    own.onlineStatus = { qualifier: true, presenceValue: online ? 'T' : 'F' };
    own.registration = { qualifier: true, presenceValue: online ? 'T' : 'F' };
    if (online) {
      const roaming = sessions.some((s) => s.roaming);
      const plmn = roaming ? this.ctx.config.visitedPlmn : this.ctx.config.homePlmn;
      own.plmn = { qualifier: true, presenceValue: plmn };
    } else delete own.plmn;
    return own;
  }

  update(userId: string, list: PresenceSubList): void {
    const merged = { ...(this.published.get(userId) ?? {}) } as Record<string, unknown>;
    for (const k of ALL_ATTRIBUTES) {
      if (NETWORK_PROVIDED.has(k)) continue;
      const v = (list as Record<string, unknown>)[k];
      if (v !== undefined) merged[k] = v;
    }
    this.published.set(userId, merged as PresenceSubList);
    this.changed(userId);
  }

  /** Recomputes a user's presence and notifies the changed, subscribed and authorized attributes. */
  changed(userId: string): void {
    const before = this.lastEffective.get(userId) ?? {};
    const after = this.effective(userId);
    this.lastEffective.set(userId, after);
    const changed = changedKeys(before, after);
    if (changed.size === 0) return;
    for (const sub of this.subscriptionsOn(userId)) {
      const keys = intersect(intersect(changed, sub.attributes), sub.authorized);
      const values = pick(after, keys);
      if (!isEmptyList(values)) this.deliver(sub, values);
    }
  }

  subscriptionsOn(target: string): Subscription[] {
    return [...this.subs.values()].filter((s) => s.target === target);
  }

  subscriptionsOf(sessionId: string): Subscription[] {
    return [...this.subs.values()].filter((s) => s.sessionId === sessionId);
  }

  /** imps.md §3.1 GetWatcherList: who watches `userId`. */
  watchersOf(userId: string): string[] {
    return [...new Set(this.subscriptionsOn(userId).map((s) => s.watcher))];
  }

  /** Values `watcher` may get of local `target` now, limited to `requested`. */
  visibleTo(watcher: string, target: string, requested: Set<AttributeKey> | undefined): PresenceSubList {
    const auth = this.authorizedFor(watcher, target);
    return pick(this.effective(target), intersect(auth, requested));
  }

  authorizedFor(watcher: string, target: string): Set<AttributeKey> {
    return this.ctx.authz.authorized(target, watcher, this.ctx.lists.listsHolding(target, watcher));
  }

  /**
   * Subscribes a watcher (local session, or remote when `session` is undefined) to local or
   * remote targets. Returns the failed targets as DetailedResult entries (531 unknown user, 516
   * domain not routed, remote codes).
   */
  async subscribe(
    watcher: string,
    session: ImpsSession | undefined,
    targets: string[],
    attributes: Set<AttributeKey> | undefined,
    viaList?: string,
  ): Promise<RemoteDetail[]> {
    const failures: RemoteDetail[] = [];
    const remoteByDomain = new Map<string, string[]>();
    for (const target of targets) {
      if (this.ctx.isLocal(target)) {
        if (!this.ctx.users.has(target)) {
          failures.push(detail(531, [target]) as RemoteDetail);
          continue;
        }
        this.addLocal(watcher, session, target, attributes, viaList);
      } else {
        if (session === undefined) {
          failures.push(detail(516, [target]) as RemoteDetail);
          continue;
        }
        const d = domainOf(target);
        if (this.ctx.remote === undefined || !this.ctx.remote.routes(d)) {
          failures.push(detail(516, [target], `Domain not supported: ${d}`) as RemoteDetail);
          continue;
        }
        this.record(watcher, session.sessionId, target, attributes, viaList);
        remoteByDomain.set(d, [...(remoteByDomain.get(d) ?? []), target]);
      }
    }
    for (const [, list] of remoteByDomain) {
      const attrs = attributes === undefined ? undefined : [...attributes];
      const r = await this.ctx.remote!.subscribe(watcher, list, attrs).catch(() => ({
        code: 504,
        description: 'Timeout: no SSP answer',
        details: undefined,
      }));
      if (r.code !== 200) {
        const bad = r.details?.length
          ? r.details
          : [{ code: r.code, description: r.description, userIds: list }];
        for (const b of bad) {
          failures.push({ code: b.code, description: b.description ?? '', userIds: b.userIds });
          for (const u of b.userIds) if (session !== undefined) this.drop(session.sessionId, watcher, u);
        }
      }
    }
    return failures;
  }

  private record(
    watcher: string,
    sessionId: string | undefined,
    target: string,
    attributes: Set<AttributeKey> | undefined,
    viaList: string | undefined,
  ): Subscription {
    const k = key(sessionId, watcher, target);
    let sub = this.subs.get(k);
    if (sub === undefined) {
      sub = {
        watcher,
        target,
        attributes,
        sessionId,
        direct: false,
        viaLists: new Set(),
        authorized: new Set(),
      };
      this.subs.set(k, sub);
    } else sub.attributes = attributes;
    if (viaList === undefined) sub.direct = true;
    else sub.viaLists.add(viaList);
    return sub;
  }

  private addLocal(
    watcher: string,
    session: ImpsSession | undefined,
    target: string,
    attributes: Set<AttributeKey> | undefined,
    viaList: string | undefined,
  ): void {
    const sub = this.record(watcher, session?.sessionId, target, attributes, viaList);
    sub.authorized = this.authorizedFor(watcher, target);
    // imps.md §3.1: an immediate notification with the current authorized values.
    const values = pick(this.effective(target), intersect(sub.authorized, attributes));
    if (!isEmptyList(values)) this.deliver(sub, values);
    // imps.md §3.2 item 2: nothing granted -> ask the publisher (reactive authorization) [I: only
    // when the watcher would get nothing at all, so a default grant does not prompt on every watch].
    // A blocked watcher is not asked about (imps.md §6.4: blocked entities see nothing).
    if (intersect(sub.authorized, attributes).size === 0 && !this.ctx.authz.isBlocked(target, watcher))
      this.ctx.reactive.request(target, watcher, attributes ?? new Set(ALL_ATTRIBUTES));
  }

  async unsubscribe(
    watcher: string,
    session: ImpsSession | undefined,
    targets: string[],
    viaList?: string,
  ): Promise<RemoteDetail[]> {
    const failures: RemoteDetail[] = [];
    const remoteGone: string[] = [];
    for (const target of targets) {
      const sub = this.subs.get(key(session?.sessionId, watcher, target));
      if (sub === undefined) {
        if (viaList === undefined) failures.push(detail(531, [target], 'Not subscribed') as RemoteDetail);
        continue;
      }
      if (viaList === undefined) sub.direct = false;
      else sub.viaLists.delete(viaList);
      if (sub.direct || sub.viaLists.size > 0) continue;
      this.subs.delete(key(session?.sessionId, watcher, target));
      if (!this.ctx.isLocal(target)) remoteGone.push(target);
    }
    if (remoteGone.length > 0 && this.ctx.remote !== undefined)
      await this.ctx.remote.unsubscribe(watcher, remoteGone).catch(() => undefined);
    return failures;
  }

  private drop(sessionId: string, watcher: string, target: string): void {
    this.subs.delete(key(sessionId, watcher, target));
  }

  /** Session end: its subscriptions go (remote ones are unsubscribed over SSP). */
  endSession(session: ImpsSession): void {
    const remote: string[] = [];
    for (const sub of this.subscriptionsOf(session.sessionId)) {
      this.subs.delete(key(sub.sessionId, sub.watcher, sub.target));
      if (!this.ctx.isLocal(sub.target) && !remote.includes(sub.target)) remote.push(sub.target);
    }
    if (remote.length > 0 && this.ctx.remote !== undefined)
      this.ctx.remote.unsubscribe(session.userId, remote).catch(() => undefined);
  }

  /** After an authorization change: newly authorized attributes are sent at once (§3.2). */
  reevaluate(publisher: string): void {
    const current = this.effective(publisher);
    for (const sub of this.subscriptionsOn(publisher)) {
      const now = this.authorizedFor(sub.watcher, publisher);
      const fresh = new Set([...now].filter((a) => !sub.authorized.has(a)));
      sub.authorized = now;
      const values = pick(current, intersect(fresh, sub.attributes));
      if (!isEmptyList(values)) this.deliver(sub, values);
    }
  }

  /**
   * Tells remote watchers of `publisher` (over SSP) that they may see nothing: an empty
   * PresenceSubList [I: SSP has no element for a refusal; the IWF maps it to terminated;rejected].
   */
  refuseRemote(publisher: string, watcher: string): void {
    for (const sub of this.subscriptionsOn(publisher))
      if (sub.sessionId === undefined && sub.watcher === watcher) this.deliver(sub, {});
  }

  /** A PresenceNotification from another domain (SSP): to the local watchers that subscribed. */
  remoteNotification(watchers: string[], presences: RemotePresence[]): void {
    for (const p of presences) {
      for (const sub of this.subscriptionsOn(p.userId)) {
        if (sub.sessionId === undefined || !watchers.includes(sub.watcher)) continue;
        const values =
          sub.attributes === undefined ? p.presenceSubList : pick(p.presenceSubList, sub.attributes);
        // An empty list from the remote side means "nothing is authorized any more" (imps.md §12:
        // terminated;reason=rejected -> empty PresenceSubList): it is passed on as such.
        if (!isEmptyList(values) || isEmptyList(p.presenceSubList)) this.deliver(sub, values);
      }
    }
  }

  private deliver(sub: Subscription, values: PresenceSubList): void {
    if (sub.sessionId !== undefined) {
      const session = this.ctx.sessions.get(sub.sessionId);
      if (session === undefined) return;
      this.ctx.send(
        session,
        primitive('PresenceNotification-Request', {
          presences: [{ userId: sub.target, presenceSubLists: [values] }],
        }),
      );
      return;
    }
    this.ctx.remote
      ?.notifyPresence([sub.watcher], [{ userId: sub.target, presenceSubList: values }])
      .catch(() => undefined);
  }
}
