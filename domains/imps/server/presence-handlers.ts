// Presence primitives (imps.md §3.1): UpdatePresence, Subscribe/UnsubscribePresence for users and
// contact lists (AutoSubscribe), GetPresence (local and remote users), GetWatcherList.
import type { DetailedResult } from '../csp/model/common-structs.ts';
import type { PresenceSubList } from '../csp/model/presence-attributes.ts';
import { type CspPrimitive, primitive, type TypedPrimitive } from '../csp/model/primitives.ts';
import { requestLists, requestUsers } from './id-lists.ts';
import type { ImpsSession } from './imps-session.ts';
import { type AttributeKey, requestedAttributes } from './presence-attributes.ts';
import type { Ps1Context } from './ps1-context.ts';
import { aggregate, detail, ok, resultOf, statusOf } from './ps1-status.ts';
import { domainOf, ownerOfList } from './wv-address.ts';

export function handleUpdatePresence(ctx: Ps1Context, s: ImpsSession, p: CspPrimitive): CspPrimitive {
  const b = (p as TypedPrimitive<'UpdatePresence-Request'>).body;
  if (b.presenceSubList === undefined) return statusOf(resultOf(402, 'Bad parameter: no PresenceSubList'));
  ctx.presence.update(s.userId, b.presenceSubList);
  return ok();
}

/** Users named in a request (1.1/1.2 `User`, 1.3 ids), normalised; malformed ones reported. */
function targets(
  ctx: Ps1Context,
  users: Array<{ userId?: string }> | undefined,
  bad: DetailedResult[],
): string[] {
  const out: string[] = [];
  for (const u of users ?? []) {
    const id = ctx.normalize(u.userId);
    if (id === undefined) bad.push(detail(531, [u.userId ?? '']));
    else if (!out.includes(id)) out.push(id);
  }
  return out;
}

/** Contact lists of the requester (imps.md §5): unknown -> 700. */
function ownLists(
  ctx: Ps1Context,
  s: ImpsSession,
  ids: string[] | undefined,
  bad: DetailedResult[],
): string[] {
  const out: string[] = [];
  for (const raw of ids ?? []) {
    const id = ctx.normalize(raw);
    if (id === undefined || ownerOfList(id) !== s.userId || ctx.lists.get(s.userId, id) === undefined) {
      bad.push({ code: 700, description: 'Contact list does not exist', contactLists: [raw] });
      continue;
    }
    out.push(id);
  }
  return out;
}

/** Remembered AutoSubscribe lists per session: ListManage adds/removes members' subscriptions. */
export class AutoSubscriptions {
  private readonly bySession = new Map<string, Map<string, Set<AttributeKey> | undefined>>();

  set(sessionId: string, listId: string, attrs: Set<AttributeKey> | undefined): void {
    let m = this.bySession.get(sessionId);
    if (m === undefined) {
      m = new Map();
      this.bySession.set(sessionId, m);
    }
    m.set(listId, attrs);
  }

  get(sessionId: string, listId: string): { attrs: Set<AttributeKey> | undefined } | undefined {
    const m = this.bySession.get(sessionId);
    return m?.has(listId) ? { attrs: m.get(listId) } : undefined;
  }

  delete(sessionId: string, listId: string): void {
    this.bySession.get(sessionId)?.delete(listId);
  }

  endSession(sessionId: string): void {
    this.bySession.delete(sessionId);
  }
}

export async function handleSubscribe(
  ctx: Ps1Context,
  auto: AutoSubscriptions,
  s: ImpsSession,
  p: CspPrimitive,
): Promise<CspPrimitive> {
  const b = (p as TypedPrimitive<'SubscribePresence-Request'>).body;
  const bad: DetailedResult[] = [];
  const attrs = requestedAttributes(b.presenceSubList);
  const users = targets(ctx, requestUsers(b), bad);
  const lists = ownLists(ctx, s, requestLists(b), bad);
  let total = users.length + lists.length + bad.length;
  for (const f of await ctx.presence.subscribe(s.userId, s, users, attrs)) bad.push(f);
  for (const listId of lists) {
    const list = ctx.lists.get(s.userId, listId)!;
    // imps.md §3.1: AutoSubscribe=T remembers the list so ListManage adds/removes subscriptions.
    if (b.autoSubscribe === true) auto.set(s.sessionId, listId, attrs);
    const members = [...list.members.keys()];
    total += members.length;
    for (const f of await ctx.presence.subscribe(s.userId, s, members, attrs, listId)) bad.push(f);
  }
  return statusOf(aggregate(Math.max(total, 1), bad));
}

export async function handleUnsubscribe(
  ctx: Ps1Context,
  auto: AutoSubscriptions,
  s: ImpsSession,
  p: CspPrimitive,
): Promise<CspPrimitive> {
  const b = (p as TypedPrimitive<'UnsubscribePresence-Request'>).body;
  const bad: DetailedResult[] = [];
  const users = targets(ctx, requestUsers(b), bad);
  const lists = ownLists(ctx, s, requestLists(b), bad);
  const total = users.length + lists.length + bad.length;
  for (const f of await ctx.presence.unsubscribe(s.userId, s, users)) bad.push(f);
  for (const listId of lists) {
    auto.delete(s.sessionId, listId);
    const members = [...(ctx.lists.get(s.userId, listId)?.members.keys() ?? [])];
    await ctx.presence.unsubscribe(s.userId, s, members, listId);
  }
  return statusOf(aggregate(Math.max(total, 1), bad));
}

export async function handleGetPresence(
  ctx: Ps1Context,
  s: ImpsSession,
  p: CspPrimitive,
): Promise<CspPrimitive> {
  const b = (p as TypedPrimitive<'GetPresence-Request'>).body;
  const bad: DetailedResult[] = [];
  const attrs = requestedAttributes(b.presenceSubList);
  const wanted = targets(ctx, requestUsers(b), bad);
  for (const listId of ownLists(ctx, s, requestLists(b), bad))
    for (const m of ctx.lists.get(s.userId, listId)!.members.keys()) if (!wanted.includes(m)) wanted.push(m);
  const malformed = bad.length;
  const presences: Array<{ userId: string; presenceSubLists: PresenceSubList[] }> = [];
  const remote = new Map<string, string[]>();
  for (const target of wanted) {
    if (ctx.isLocal(target)) {
      if (!ctx.users.has(target)) bad.push(detail(531, [target]));
      // imps.md §7: 521 while the publisher has not answered the reactive request yet.
      else if (
        ctx.authz.reactiveState(target, s.userId)?.state === 'PENDING' &&
        ctx.presence.authorizedFor(s.userId, target).size === 0
      )
        bad.push(detail(521, [target]));
      else
        presences.push({
          userId: target,
          presenceSubLists: [ctx.presence.visibleTo(s.userId, target, attrs)],
        });
      continue;
    }
    const d = domainOf(target);
    if (ctx.remote === undefined || !ctx.remote.routes(d)) bad.push(detail(516, [target]));
    else remote.set(d, [...(remote.get(d) ?? []), target]);
  }
  for (const list of remote.values()) {
    try {
      const r = await ctx.remote!.getPresence(s.userId, list, attrs === undefined ? undefined : [...attrs]);
      for (const pr of r.presences)
        presences.push({ userId: pr.userId, presenceSubLists: [pr.presenceSubList] });
      if (r.result.code !== 200)
        for (const d of r.result.details ?? [{ code: r.result.code, userIds: list }])
          bad.push(detail(d.code, d.userIds, d.description));
    } catch {
      bad.push(detail(504, list));
    }
  }
  return primitive('GetPresence-Response', {
    result: aggregate(Math.max(wanted.length + malformed, 1), bad),
    presences,
  });
}

/** imps.md §3.1: 1.1 answers User*, 1.2 Watcher (User, WatcherStatus), 1.3 also WatcherCount. */
export function handleGetWatcherList(ctx: Ps1Context, s: ImpsSession): CspPrimitive {
  const watchers = ctx.presence.watchersOf(s.userId);
  if (s.version === '1.1')
    return primitive('GetWatcherList-Response', { users: watchers.map((userId) => ({ userId })) });
  const body: Record<string, unknown> = {
    watchers: watchers.map((userId) => ({ user: { userId }, watcherStatus: 'CURRENT_SUBSCRIBER' })),
  };
  if (s.version === '1.3') body.watcherCount = watchers.length;
  return primitive('GetWatcherList-Response', body);
}
