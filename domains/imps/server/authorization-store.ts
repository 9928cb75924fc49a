// The publisher-owned authorization state (imps.md §3.2, §6.4): proactive attribute lists per
// watcher, per contact list and by default; reactive decisions (CSP 1.2 PresenceAuth-User, 1.3
// grants); block and grant lists. Pure state: the presence service asks `authorized()`.
import type { AttributeKey } from './presence-attributes.ts';
import { ALL_ATTRIBUTES } from './presence-attributes.ts';

export type ReactiveAuthState = 'GRANTED' | 'DENIED' | 'PENDING';

export interface ReactiveDecision {
  state: ReactiveAuthState;
  /** Requested attributes while PENDING; granted ones when GRANTED. */
  attributes: Set<AttributeKey>;
}

export interface AccessListState {
  inUse: boolean;
  entities: Set<string>;
}

class PerPublisher {
  readonly userGrants = new Map<string, Set<AttributeKey>>();
  readonly listGrants = new Map<string, Set<AttributeKey>>();
  defaultGrant: Set<AttributeKey> | undefined;
  readonly reactive = new Map<string, ReactiveDecision>();
  readonly block: AccessListState = { inUse: false, entities: new Set() };
  readonly grant: AccessListState = { inUse: false, entities: new Set() };
}

export class AuthorizationStore {
  private readonly byPublisher = new Map<string, PerPublisher>();

  of(publisher: string): PerPublisher {
    let p = this.byPublisher.get(publisher);
    if (p === undefined) {
      p = new PerPublisher();
      this.byPublisher.set(publisher, p);
    }
    return p;
  }

  /**
   * imps.md §6.4: an entity on an in-use block list, or missing from an in-use grant list, gets
   * no presence and no IM from `owner`.
   */
  isBlocked(owner: string, entity: string): boolean {
    const p = this.byPublisher.get(owner);
    if (p === undefined) return false;
    if (p.block.inUse && p.block.entities.has(entity)) return true;
    if (p.grant.inUse && !p.grant.entities.has(entity)) return true;
    return false;
  }

  /**
   * The attributes `watcher` may see of `publisher`. imps.md §3.2, resolution order [I, as
   * baraza]: explicit user grant > contact-list grants (union over the publisher's lists holding
   * the watcher) > default list > none; a reactive GRANTED decision adds its attributes.
   */
  authorized(publisher: string, watcher: string, listsHoldingWatcher: readonly string[]): Set<AttributeKey> {
    if (publisher === watcher) return new Set(ALL_ATTRIBUTES);
    if (this.isBlocked(publisher, watcher)) return new Set();
    const p = this.byPublisher.get(publisher);
    if (p === undefined) return new Set();
    let base: Set<AttributeKey> | undefined = p.userGrants.get(watcher);
    if (base === undefined) {
      const fromLists = listsHoldingWatcher.flatMap((l) => [...(p.listGrants.get(l) ?? [])]);
      if (fromLists.length > 0) base = new Set(fromLists);
    }
    const out = new Set(base ?? p.defaultGrant ?? []);
    const r = p.reactive.get(watcher);
    if (r?.state === 'GRANTED') for (const a of r.attributes) out.add(a);
    return out;
  }

  reactiveState(publisher: string, watcher: string): ReactiveDecision | undefined {
    return this.byPublisher.get(publisher)?.reactive.get(watcher);
  }
}
