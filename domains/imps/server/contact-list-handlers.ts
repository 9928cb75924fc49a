// Contact-list primitives (imps.md §5): GetList, CreateList, DeleteList, ListManage with
// nicknames, DisplayName/Default properties and (1.3) AuthorizeAndGrant. Members may belong to
// other domains (wv:jane@domain2.lab). AutoSubscribe follows membership changes (§3.1).
import type { XmlElement } from '../../../common/xml/xml-node.ts';
import { CSP_NAMESPACES } from '../csp/csp-version.ts';
import type { ContactListProperties, NickList } from '../csp/model/common-structs.ts';
import { type CspPrimitive, primitive, type TypedPrimitive } from '../csp/model/primitives.ts';
import { textOf } from '../csp/model/schema.ts';
import { authorizeAndGrant } from './authorization-handlers.ts';
import type { ContactList } from './contact-list-store.ts';
import type { ImpsSession } from './imps-session.ts';
import type { AutoSubscriptions } from './presence-handlers.ts';
import type { Ps1Context } from './ps1-context.ts';
import { fail, ok, resultOf, statusOf } from './ps1-status.ts';
import { ownerOfList } from './wv-address.ts';

function listId(ctx: Ps1Context, s: ImpsSession, raw: string | undefined): string | undefined {
  const id = ctx.normalize(raw);
  return id !== undefined && ownerOfList(id) === s.userId ? id : undefined;
}

/** Applies ContactListProperties; false on an unknown or invalid property (752). */
function applyProperties(
  ctx: Ps1Context,
  list: ContactList,
  props: ContactListProperties | undefined,
): boolean {
  for (const prop of props?.properties ?? []) {
    const name = prop.name?.trim();
    if (name === 'DisplayName') list.displayName = prop.value ?? '';
    else if (name === 'Default') {
      const v = prop.value?.trim();
      if (v !== 'T' && v !== 'F') return false;
      ctx.lists.setDefault(list.owner, list.id, v === 'T');
    } else return false;
  }
  return true;
}

function properties(list: ContactList): ContactListProperties {
  const props = [{ name: 'Default', value: list.isDefault ? 'T' : 'F' }];
  if (list.displayName !== undefined) props.unshift({ name: 'DisplayName', value: list.displayName });
  return { properties: props };
}

function nickList(list: ContactList): NickList {
  return {
    nickNames: [...list.members].map(([userId, name]) =>
      name === undefined ? { userId } : { name, userId },
    ),
  };
}

function members(ctx: Ps1Context, n: NickList | undefined): Array<[string, string | undefined]> {
  const out: Array<[string, string | undefined]> = [];
  for (const nick of n?.nickNames ?? []) {
    const id = ctx.normalize(nick.userId);
    if (id !== undefined) out.push([id, nick.name]);
  }
  for (const raw of n?.userIds ?? []) {
    const id = ctx.normalize(raw);
    if (id !== undefined) out.push([id, undefined]);
  }
  return out;
}

export function handleGetList(ctx: Ps1Context, s: ImpsSession): CspPrimitive {
  const lists = ctx.lists.listsOf(s.userId);
  const def = lists.find((l) => l.isDefault);
  // imps.md §5: in 1.2+ the default list is reported only in DefaultContactList.
  const others = lists.filter((l) => s.version === '1.1' || !l.isDefault).map((l) => l.id);
  const body: Record<string, unknown> = {};
  if (s.version === '1.3') {
    const ns = CSP_NAMESPACES['1.3'].trc;
    const kids: XmlElement[] = others.map((id) => ({
      name: 'ContactList',
      local: 'ContactList',
      ns,
      attributes: [],
      children: [id],
    }));
    body.contactListIdList = {
      name: 'ContactListIDList',
      local: 'ContactListIDList',
      ns,
      attributes: [],
      children: kids,
    };
  } else body.contactLists = others;
  if (def !== undefined) body.defaultContactList = def.id;
  return primitive('GetList-Response', body);
}

export async function handleCreateList(
  ctx: Ps1Context,
  auto: AutoSubscriptions,
  s: ImpsSession,
  p: CspPrimitive,
): Promise<CspPrimitive> {
  const b = (p as TypedPrimitive<'CreateList-Request'>).body;
  const id = listId(ctx, s, b.contactList);
  if (id === undefined)
    return statusOf(resultOf(402, `Bad parameter: contact list id ${b.contactList ?? ''}`));
  const list = ctx.lists.create(s.userId, id);
  if (list === undefined) return fail('PS1_ERR_LIST_EXISTS', id);
  for (const [m, name] of members(ctx, b.nickList)) list.members.set(m, name);
  if (!applyProperties(ctx, list, b.contactListProperties)) {
    ctx.lists.delete(s.userId, id);
    return fail('PS1_ERR_LIST_PROPERTY');
  }
  await followMembers(ctx, auto, s, list, [...list.members.keys()], []);
  if (s.version === '1.3')
    return primitive('CreateList-Response', {
      result: resultOf(200),
      contactList: id,
      contactListProperties: properties(list),
    });
  return ok();
}

export async function handleDeleteList(
  ctx: Ps1Context,
  auto: AutoSubscriptions,
  s: ImpsSession,
  p: CspPrimitive,
): Promise<CspPrimitive> {
  const b = (p as TypedPrimitive<'DeleteList-Request'>).body;
  const id = listId(ctx, s, b.contactList);
  const list = id === undefined ? undefined : ctx.lists.get(s.userId, id);
  if (id === undefined || list === undefined) return fail('PS1_ERR_NO_LIST', b.contactList);
  // imps.md §3.1: deleting an auto-subscribed list unsubscribes its members.
  for (const session of ctx.sessions.ofUser(s.userId)) {
    if (auto.get(session.sessionId, id) === undefined) continue;
    auto.delete(session.sessionId, id);
    await ctx.presence.unsubscribe(s.userId, session, [...list.members.keys()], id);
  }
  ctx.lists.delete(s.userId, id);
  ctx.authz.of(s.userId).listGrants.delete(id);
  return ok();
}

/** AutoSubscribe: subscriptions follow membership in every session of the owner that asked for it. */
async function followMembers(
  ctx: Ps1Context,
  auto: AutoSubscriptions,
  s: ImpsSession,
  list: ContactList,
  added: string[],
  removed: string[],
): Promise<void> {
  for (const session of ctx.sessions.ofUser(s.userId)) {
    const a = auto.get(session.sessionId, list.id);
    if (a === undefined) continue;
    if (added.length > 0) await ctx.presence.subscribe(s.userId, session, added, a.attrs, list.id);
    if (removed.length > 0) await ctx.presence.unsubscribe(s.userId, session, removed, list.id);
  }
}

function isTrue(e: XmlElement | undefined): boolean {
  return e !== undefined && textOf(e).trim() === 'T';
}

export async function handleListManage(
  ctx: Ps1Context,
  auto: AutoSubscriptions,
  s: ImpsSession,
  p: CspPrimitive,
): Promise<CspPrimitive> {
  const b = (p as TypedPrimitive<'ListManage-Request'>).body;
  const id = listId(ctx, s, b.contactList);
  const list = id === undefined ? undefined : ctx.lists.get(s.userId, id);
  if (list === undefined) return fail('PS1_ERR_NO_LIST', b.contactList);
  const added: string[] = [];
  for (const [m, name] of members(ctx, b.addNickList)) {
    if (!list.members.has(m)) added.push(m);
    list.members.set(m, name);
  }
  const removed: string[] = [];
  for (const raw of b.removeNickList?.userIds ?? []) {
    const m = ctx.normalize(raw);
    if (m !== undefined && list.members.delete(m)) removed.push(m);
  }
  if (!applyProperties(ctx, list, b.contactListProperties)) return fail('PS1_ERR_LIST_PROPERTY');
  if (isTrue(b.authorizeAndGrant)) authorizeAndGrant(ctx, s.userId, added);
  await followMembers(ctx, auto, s, list, added, removed);
  if (added.length > 0 || removed.length > 0) ctx.presence.reevaluate(s.userId);
  const body: Record<string, unknown> = { result: resultOf(200) };
  // imps.md §5: ReceiveList=T returns the full list (1.1 has no ReceiveList: always returned).
  if (b.receiveList === true || s.version === '1.1') {
    body.nickList = nickList(list);
    body.contactListProperties = properties(list);
  }
  return primitive('ListManage-Response', body);
}
