// Authorization primitives (imps.md §3.1-§3.2, §6.4): attribute lists (Create/Delete/Get),
// reactive answers (PresenceAuth-User, CancelAuth, GetReactiveAuthStatus), block and grant lists.
import type { AccessList, DetailedResult, EntityList } from '../csp/model/common-structs.ts';
import type { PresenceSubList } from '../csp/model/presence-attributes.ts';
import { type CspPrimitive, primitive, type TypedPrimitive } from '../csp/model/primitives.ts';
import type { AccessListState } from './authorization-store.ts';
import { listedIds, requestLists } from './id-lists.ts';
import type { ImpsSession } from './imps-session.ts';
import { ALL_ATTRIBUTES, type AttributeKey, namesList, requestedAttributes } from './presence-attributes.ts';
import type { Ps1Context } from './ps1-context.ts';
import { aggregate, fail, ok, resultOf, statusOf } from './ps1-status.ts';
import { ownerOfList } from './wv-address.ts';

function ids(ctx: Ps1Context, raw: string[] | undefined): string[] {
  return (raw ?? []).map((r) => ctx.normalize(r)).filter((x): x is string => x !== undefined);
}

/**
 * CreateAttributeList: the named watchers / lists / everyone (DefaultList=T) may see these
 * attributes; a later call overwrites the grant for the named targets (imps.md §3.2 item 1). In
 * CSP 1.3 this is also how a publisher answers an ANU notification.
 */
export function handleCreateAttributeList(ctx: Ps1Context, s: ImpsSession, p: CspPrimitive): CspPrimitive {
  const b = (p as TypedPrimitive<'CreateAttributeList-Request'>).body;
  const attrs = new Set<AttributeKey>(requestedAttributes(b.presenceSubList) ?? ALL_ATTRIBUTES);
  const a = ctx.authz.of(s.userId);
  const bad: DetailedResult[] = [];
  const users = ids(ctx, [...(b.userIds ?? []), ...listedIds(b, 'UserIDList', 'UserID')]);
  const answered: string[] = [];
  for (const u of users) {
    a.userGrants.set(u, new Set(attrs));
    if (a.reactive.get(u)?.state === 'PENDING') answered.push(u);
  }
  const lists = requestLists(b);
  for (const raw of lists) {
    const id = ctx.normalize(raw);
    if (id === undefined || ctx.lists.get(s.userId, id) === undefined) {
      bad.push({ code: 700, description: 'Contact list does not exist', contactLists: [raw] });
      continue;
    }
    a.listGrants.set(id, new Set(attrs));
  }
  if (b.defaultList === true) a.defaultGrant = new Set(attrs);
  ctx.presence.reevaluate(s.userId);
  // CSP 1.3 (imps.md §3.2 item 3): a grant to a watcher that was asked about answers the ANU.
  for (const u of answered) ctx.reactive.decide(s.userId, u, true, attrs);
  const total = users.length + lists.length + (b.defaultList ? 1 : 0);
  return statusOf(aggregate(Math.max(total, 1), bad));
}

export function handleDeleteAttributeList(ctx: Ps1Context, s: ImpsSession, p: CspPrimitive): CspPrimitive {
  const b = (p as TypedPrimitive<'DeleteAttributeList-Request'>).body;
  const a = ctx.authz.of(s.userId);
  for (const u of ids(ctx, [...(b.userIds ?? []), ...listedIds(b, 'UserIDList', 'UserID')]))
    a.userGrants.delete(u);
  for (const l of ids(ctx, requestLists(b))) a.listGrants.delete(l);
  if (b.defaultList === true) a.defaultGrant = undefined;
  ctx.presence.reevaluate(s.userId);
  return ok();
}

export function handleGetAttributeList(ctx: Ps1Context, s: ImpsSession, p: CspPrimitive): CspPrimitive {
  const b = (p as TypedPrimitive<'GetAttributeList-Request'>).body;
  const a = ctx.authz.of(s.userId);
  const presences: Array<{ userId?: string; contactList?: string; presenceSubLists: PresenceSubList[] }> = [];
  const askedUsers = ids(
    ctx,
    (b.users ?? []).map((u) => u.userId ?? ''),
  );
  const askedLists = ids(ctx, b.contactLists);
  const none = askedUsers.length === 0 && askedLists.length === 0 && b.defaultList !== true;
  for (const [u, g] of a.userGrants)
    if (none || askedUsers.includes(u)) presences.push({ userId: u, presenceSubLists: [namesList(g)] });
  for (const [l, g] of a.listGrants)
    if (none || askedLists.includes(l)) presences.push({ contactList: l, presenceSubLists: [namesList(g)] });
  const body: Record<string, unknown> = { result: resultOf(200), presences };
  if ((b.defaultList === true || none) && a.defaultGrant !== undefined)
    body.defaultAttributeList = { presenceSubLists: [namesList(a.defaultGrant)] };
  return primitive('GetAttributeList-Response', body);
}

/** PresenceAuth-User (<=1.2): the publisher accepts or refuses a watcher (imps.md §3.2 item 2). */
export function handlePresenceAuthUser(ctx: Ps1Context, s: ImpsSession, p: CspPrimitive): CspPrimitive {
  const b = (p as TypedPrimitive<'PresenceAuth-User'>).body;
  const watcher = ctx.normalize(b.userId);
  if (watcher === undefined || b.acceptance === undefined)
    return statusOf(resultOf(402, 'Bad parameter: PresenceAuth-User needs UserID and Acceptance'));
  ctx.reactive.decide(s.userId, watcher, b.acceptance, requestedAttributes(b.presenceSubList));
  return ok();
}

export function handleCancelAuth(ctx: Ps1Context, s: ImpsSession, p: CspPrimitive): CspPrimitive {
  const b = (p as TypedPrimitive<'CancelAuth-Request'>).body;
  const watcher = ctx.normalize(b.userId);
  if (watcher === undefined || !ctx.reactive.cancel(s.userId, watcher))
    return fail('PS1_ERR_NO_PENDING_AUTH', `no reactive authorization for ${b.userId ?? ''}`);
  return ok();
}

export function handleGetReactiveAuthStatus(ctx: Ps1Context, s: ImpsSession, p: CspPrimitive): CspPrimitive {
  const b = (p as TypedPrimitive<'GetReactiveAuthStatus-Request'>).body;
  const statuses = ctx.reactive.statuses(s.userId, ids(ctx, b.userIds)).map((r) => ({
    userId: r.watcher,
    reactiveAuthState: r.state,
    ...(r.attributes.length > 0 ? { presenceSubList: namesList(r.attributes) } : {}),
  }));
  return primitive('GetReactiveAuthStatus-Response', {
    result: resultOf(200),
    reactiveAuthStatusList: { statuses },
  });
}

/** ListManage AuthorizeAndGrant (1.3): added members are granted what they asked for, else all. */
export function authorizeAndGrant(ctx: Ps1Context, publisher: string, members: string[]): void {
  const a = ctx.authz.of(publisher);
  for (const m of members) {
    const asked = a.reactive.get(m);
    const attrs =
      asked !== undefined && asked.attributes.size > 0 ? asked.attributes : new Set(ALL_ATTRIBUTES);
    a.userGrants.set(m, new Set(attrs));
    ctx.reactive.decide(publisher, m, true, attrs);
  }
}

function entityIds(ctx: Ps1Context, e: EntityList | undefined): string[] {
  return ids(ctx, [...(e?.userIds ?? []), ...(e?.groupIds ?? []), ...(e?.contactLists ?? [])]);
}

function applyAccessList(
  ctx: Ps1Context,
  state: AccessListState,
  list: AccessList | undefined,
  inUse?: boolean,
) {
  if (list !== undefined) {
    if (list.inUse !== undefined) state.inUse = list.inUse;
    if (list.entityList !== undefined) state.entities = new Set(entityIds(ctx, list.entityList));
    for (const id of entityIds(ctx, list.addList)) state.entities.add(id);
    for (const id of entityIds(ctx, list.removeList)) state.entities.delete(id);
  }
  // imps.md §6.4: 1.3 moves InUse to BlockListInUse / GrantListInUse at primitive level.
  if (inUse !== undefined) state.inUse = inUse;
}

export function handleBlockEntity(ctx: Ps1Context, s: ImpsSession, p: CspPrimitive): CspPrimitive {
  const b = (p as TypedPrimitive<'BlockEntity-Request'>).body;
  const a = ctx.authz.of(s.userId);
  applyAccessList(ctx, a.block, b.blockList, b.blockListInUse);
  applyAccessList(ctx, a.grant, b.grantList, b.grantListInUse);
  ctx.presence.reevaluate(s.userId);
  return ok();
}

function userEntities(state: AccessListState): EntityList {
  const userIds = [...state.entities].filter((e) => ownerOfList(e) === undefined);
  const contactLists = [...state.entities].filter((e) => ownerOfList(e) !== undefined);
  return contactLists.length > 0 ? { userIds, contactLists } : { userIds };
}

export function handleGetBlockedList(ctx: Ps1Context, s: ImpsSession): CspPrimitive {
  const a = ctx.authz.of(s.userId);
  if (s.version === '1.3')
    return primitive('GetBlockedList-Response', {
      blockList: { entityList: userEntities(a.block) },
      grantList: { entityList: userEntities(a.grant) },
      blockListInUse: a.block.inUse,
      grantListInUse: a.grant.inUse,
    });
  return primitive('GetBlockedList-Response', {
    blockList: { inUse: a.block.inUse, entityList: userEntities(a.block) },
    grantList: { inUse: a.grant.inUse, entityList: userEntities(a.grant) },
  });
}
