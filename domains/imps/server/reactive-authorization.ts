// Reactive authorization (imps.md §3.2 items 2-3): when a watcher would get nothing, the
// publisher is asked. CSP 1.2 sessions that agreed REACT get PresenceAuth-Request and answer with
// PresenceAuth-User; CSP 1.3 sessions get Notification-Request ANU and grant with
// CreateAttributeList or ListManage AuthorizeAndGrant. A request made while the publisher is
// offline waits and is asked at the next login (after Service negotiation).
import type { CspPrimitive } from '../csp/model/primitives.ts';
import { primitive } from '../csp/model/primitives.ts';
import type { ReactiveAuthState } from './authorization-store.ts';
import type { ImpsSession } from './imps-session.ts';
import { type AttributeKey, namesList } from './presence-attributes.ts';
import type { Ps1Context } from './ps1-context.ts';

export interface ReactiveStatus {
  watcher: string;
  state: ReactiveAuthState;
  attributes: AttributeKey[];
}

export class ReactiveAuthorization {
  constructor(private readonly ctx: Ps1Context) {}

  request(publisher: string, watcher: string, attributes: Set<AttributeKey>): void {
    const p = this.ctx.authz.of(publisher);
    // One question per watcher: a DENIED decision stands until CancelAuth or a new grant.
    if (p.reactive.has(watcher)) return;
    const decision = { state: 'PENDING' as const, attributes: new Set(attributes) };
    p.reactive.set(watcher, decision);
    // imps.md §3.2: pending requests expire (521 until then); a later subscription asks again.
    this.ctx.config.clock.setTimer(this.ctx.config.reactiveAuthTimeoutSeconds * 1000, () => {
      if (p.reactive.get(watcher) === decision) p.reactive.delete(watcher);
    });
    for (const s of this.ctx.sessions.ofUser(publisher)) this.ask(s, watcher, attributes);
  }

  /** Asks a newly negotiated session of the publisher about every PENDING watcher. */
  askPending(session: ImpsSession): void {
    const p = this.ctx.authz.of(session.userId);
    for (const [watcher, d] of p.reactive)
      if (d.state === 'PENDING') this.ask(session, watcher, d.attributes);
  }

  private ask(session: ImpsSession, watcher: string, attributes: Set<AttributeKey>): void {
    let question: CspPrimitive | undefined;
    if (session.version === '1.3')
      question = primitive('Notification-Request', {
        notificationType: 'ANU',
        userId: watcher,
        presenceSubList: namesList(attributes),
      });
    else if (session.agreedFunctions?.has('REACT'))
      question = primitive('PresenceAuth-Request', {
        userId: watcher,
        presenceSubList: namesList(attributes),
      });
    if (question !== undefined) this.ctx.send(session, question);
  }

  /** PresenceAuth-User (1.2) or a 1.3 grant: the publisher's decision. */
  decide(publisher: string, watcher: string, accept: boolean, granted: Set<AttributeKey> | undefined): void {
    const p = this.ctx.authz.of(publisher);
    const previous = p.reactive.get(watcher);
    const attributes = granted ?? previous?.attributes ?? new Set<AttributeKey>();
    p.reactive.set(watcher, { state: accept ? 'GRANTED' : 'DENIED', attributes: new Set(attributes) });
    this.ctx.presence.reevaluate(publisher);
    if (accept) this.notifyChanged(watcher, publisher);
    else this.ctx.presence.refuseRemote(publisher, watcher);
  }

  /** CSP 1.3 `AC` Authorization-Changed to a local 1.3 watcher [I: who receives AC is not verified]. */
  private notifyChanged(watcher: string, publisher: string): void {
    for (const s of this.ctx.sessions.ofUser(watcher))
      if (s.version === '1.3')
        this.ctx.send(s, primitive('Notification-Request', { notificationType: 'AC', userId: publisher }));
  }

  /** CancelAuth-Request: revokes a reactive grant (imps.md §3.1). */
  cancel(publisher: string, watcher: string): boolean {
    const p = this.ctx.authz.of(publisher);
    const d = p.reactive.get(watcher);
    if (d === undefined) return false;
    p.reactive.set(watcher, { state: 'DENIED', attributes: new Set() });
    this.ctx.presence.reevaluate(publisher);
    if (this.ctx.presence.authorizedFor(watcher, publisher).size === 0)
      this.ctx.presence.refuseRemote(publisher, watcher);
    return true;
  }

  statuses(publisher: string, watchers: string[]): ReactiveStatus[] {
    const p = this.ctx.authz.of(publisher);
    const out: ReactiveStatus[] = [];
    for (const [watcher, d] of p.reactive) {
      if (watchers.length > 0 && !watchers.includes(watcher)) continue;
      out.push({ watcher, state: d.state, attributes: [...d.attributes] });
    }
    return out;
  }
}
