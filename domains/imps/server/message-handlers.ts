// IM primitives (imps.md §6): SendMessage to users of this and other domains, GetMessage,
// MessageDelivered, RejectMessage, GetMessageList, SetDeliveryMethod.
import type { DetailedResult } from '../csp/model/common-structs.ts';
import { type CspPrimitive, primitive, type TypedPrimitive } from '../csp/model/primitives.ts';
import type { ImpsSession } from './imps-session.ts';
import type { Ps1Context } from './ps1-context.ts';
import { aggregate, detail, fail, ok, resultOf, statusOf } from './ps1-status.ts';
import { domainOf } from './wv-address.ts';

export async function handleSendMessage(
  ctx: Ps1Context,
  s: ImpsSession,
  p: CspPrimitive,
): Promise<CspPrimitive> {
  const b = (p as TypedPrimitive<'SendMessage-Request'>).body;
  const info = b.messageInfo ?? {};
  const bad: DetailedResult[] = [];
  const recipients: string[] = [];
  for (const u of info.recipient?.users ?? []) {
    const id = ctx.normalize(u.userId);
    if (id === undefined) bad.push(detail(531, [u.userId ?? '']));
    else if (!recipients.includes(id)) recipients.push(id);
  }
  for (const raw of info.recipient?.contactLists ?? []) {
    const listId = ctx.normalize(raw);
    const list = listId === undefined ? undefined : ctx.lists.get(s.userId, listId);
    if (list === undefined)
      bad.push({ code: 700, description: 'Contact list does not exist', contactLists: [raw] });
    else for (const m of list.members.keys()) if (!recipients.includes(m)) recipients.push(m);
  }
  // Groups are not offered by PS1 (imps.md §2.4 GroupFeat not agreed).
  for (const g of info.recipient?.groups ?? []) bad.push({ code: 800, groupIds: [g.groupId ?? ''] });
  const total = recipients.length + bad.length;
  if (total === 0) return statusOf(resultOf(402, 'Bad parameter: no Recipient'));
  const messageId = ctx.config.ids.token(16);
  const remote = new Map<string, string[]>();
  for (const r of recipients) {
    if (ctx.isLocal(r)) {
      if (!ctx.users.has(r)) bad.push(detail(531, [r]));
      // imps.md §6.4: a recipient's in-use block list refuses the sender (532).
      else if (ctx.authz.isBlocked(r, s.userId)) bad.push(detail(532, [r]));
      else
        ctx.messages.accept({
          messageId,
          sender: s.userId,
          recipient: r,
          info,
          content: b.contentData,
          deliveryReport: b.deliveryReport === true,
          validitySeconds: info.validity,
        });
      continue;
    }
    const d = domainOf(r);
    if (ctx.remote === undefined || !ctx.remote.routes(d))
      bad.push(detail(516, [r], `Domain not supported: ${d}`));
    else remote.set(d, [...(remote.get(d) ?? []), r]);
  }
  for (const list of remote.values()) {
    try {
      const r = await ctx.remote!.sendMessage({
        messageId,
        sender: s.userId,
        recipients: list,
        contentType: info.contentType ?? 'text/plain',
        content: b.contentData ?? '',
        deliveryReport: b.deliveryReport === true,
        ...(info.validity === undefined ? {} : { validity: info.validity }),
        ...(info.dateTime === undefined ? {} : { dateTime: info.dateTime }),
      });
      if (r.result.code !== 200 && r.result.code !== 202)
        for (const d of r.result.details?.length
          ? r.result.details
          : [{ code: r.result.code, userIds: list }])
          bad.push(detail(d.code, d.userIds, d.description));
    } catch {
      bad.push(detail(504, list, 'Timeout: no SSP answer'));
    }
  }
  const result = aggregate(total, bad);
  return primitive('SendMessage-Response', {
    result,
    ...(bad.length < total ? { messageId } : {}),
  });
}

export function handleGetMessage(ctx: Ps1Context, s: ImpsSession, p: CspPrimitive): CspPrimitive {
  const b = (p as TypedPrimitive<'GetMessage-Request'>).body;
  const m = ctx.messages.get(s.userId, b.messageId?.trim() ?? '');
  if (m === undefined) return fail('PS1_ERR_UNKNOWN_MESSAGE', b.messageId);
  return primitive('GetMessage-Response', { messageInfo: m.info, contentData: m.content });
}

export function handleMessageDelivered(ctx: Ps1Context, s: ImpsSession, p: CspPrimitive): CspPrimitive {
  const b = (p as TypedPrimitive<'MessageDelivered'>).body;
  if (!ctx.messages.delivered(s.userId, b.messageId?.trim() ?? ''))
    return fail('PS1_ERR_UNKNOWN_MESSAGE', b.messageId);
  return ok();
}

export function handleRejectMessage(ctx: Ps1Context, s: ImpsSession, p: CspPrimitive): CspPrimitive {
  const b = (p as TypedPrimitive<'RejectMessage-Request'>).body;
  const ids = b.messageIds ?? [];
  const bad: DetailedResult[] = [];
  for (const id of ids)
    if (!ctx.messages.reject(s.userId, id.trim())) bad.push({ code: 426, messageIds: [id] });
  return statusOf(aggregate(Math.max(ids.length, 1), bad));
}

export function handleGetMessageList(ctx: Ps1Context, s: ImpsSession, p: CspPrimitive): CspPrimitive {
  const b = (p as TypedPrimitive<'GetMessageList-Request'>).body;
  const pending = ctx.messages.pendingFor(s.userId);
  const limited = b.messageCount === undefined ? pending : pending.slice(0, b.messageCount);
  return primitive('GetMessageList-Response', { messageInfos: limited.map((m) => m.info) });
}

export function handleSetDeliveryMethod(ctx: Ps1Context, s: ImpsSession, p: CspPrimitive): CspPrimitive {
  const b = (p as TypedPrimitive<'SetDeliveryMethod-Request'>).body;
  const m = b.deliveryMethod?.trim();
  if (m !== 'P' && m !== 'N') return statusOf(resultOf(402, 'Bad parameter: DeliveryMethod must be P or N'));
  s.capabilities.deliveryMethod = m;
  ctx.messages.deliverPending(s);
  return ok();
}
