// PS1 <-> SSP: outbound, the RemoteDomainGateway PS1's handlers call (CSP request -> SSP request
// to the domain's peer, answer awaited); inbound, the SspDelegate the SSP serving end calls
// (remote watchers, remote presence, messages and delivery reports for local users).
import type { MessageInfo } from '../csp/model/common-structs.ts';
import type { SspDelegate, SspRequestContext } from '../ssp/ssp-delegate.ts';
import type { SspEndpoint } from '../ssp/ssp-endpoint.ts';
import type {
  DeliveryStatusReport,
  GetPresenceRequest,
  PresenceNotification,
  SendMessageRequest,
  SspContent,
  SspPresenceValue,
  SspStatus,
  SubscribeRequest,
  UnsubscribeRequest,
} from '../ssp/ssp-model.ts';
import { type AttributeKey, elementOfKey, keyOfElement } from './presence-attributes.ts';
import type { Ps1Core } from './ps1-core.ts';
import type {
  RemoteDeliveryReport,
  RemoteDomainGateway,
  RemoteMessage,
  RemotePresence,
  RemoteResult,
} from './remote-domains.ts';
import { domainOf } from './wv-address.ts';

function toResult(c: SspContent): RemoteResult {
  const st: SspStatus | undefined =
    c.kind === 'Status' || c.kind === 'GetPresenceResponse' || c.kind === 'SendMessageResponse'
      ? c.status
      : undefined;
  if (st === undefined) return { code: 500, description: `unexpected SSP answer ${c.kind}` };
  const r: RemoteResult = { code: st.code };
  if (st.description !== undefined) r.description = st.description;
  if (st.details !== undefined) r.details = st.details.map((d) => ({ ...d }));
  return r;
}

function names(keys: AttributeKey[] | undefined): string[] | undefined {
  return keys?.map(elementOfKey);
}

function keys(elements: string[] | undefined): Set<AttributeKey> | undefined {
  if (elements === undefined) return undefined;
  const out = new Set<AttributeKey>();
  for (const e of elements) {
    const k = keyOfElement(e);
    if (k !== undefined) out.add(k);
  }
  return out.size === 0 ? undefined : out;
}

function asStatus(r: { code: number; description?: string; details?: RemoteResult['details'] }): SspStatus {
  const s: SspStatus = { code: r.code };
  if (r.description !== undefined) s.description = r.description;
  if (r.details !== undefined && r.details.length > 0) s.details = r.details;
  return s;
}

export class Ps1SspBridge implements RemoteDomainGateway, SspDelegate {
  constructor(
    private readonly core: Ps1Core,
    private readonly ssp: SspEndpoint,
  ) {}

  private meta(userId: string) {
    return { serviceId: this.ssp.serviceId, userId, clientOriginated: true };
  }

  routes(domain: string): boolean {
    return this.ssp.routes(domain);
  }

  // ---- outbound (RemoteDomainGateway) ----

  async subscribe(
    watcher: string,
    targets: string[],
    attributes: AttributeKey[] | undefined,
  ): Promise<RemoteResult> {
    const attrs = names(attributes);
    const r = await this.ssp.request(domainOf(targets[0]!), {
      kind: 'SubscribeRequest',
      meta: this.meta(watcher),
      userIds: targets,
      ...(attrs === undefined ? {} : { attributes: attrs }),
    });
    return toResult(r);
  }

  async unsubscribe(watcher: string, targets: string[]): Promise<RemoteResult> {
    return toResult(
      await this.ssp.request(domainOf(targets[0]!), {
        kind: 'UnsubscribeRequest',
        meta: this.meta(watcher),
        userIds: targets,
      }),
    );
  }

  async getPresence(watcher: string, targets: string[], attributes: AttributeKey[] | undefined) {
    const attrs = names(attributes);
    const r = await this.ssp.request(domainOf(targets[0]!), {
      kind: 'GetPresenceRequest',
      meta: this.meta(watcher),
      userIds: targets,
      ...(attrs === undefined ? {} : { attributes: attrs }),
    });
    const presences: RemotePresence[] = r.kind === 'GetPresenceResponse' ? r.presences : [];
    return { result: toResult(r), presences };
  }

  async sendMessage(m: RemoteMessage) {
    const r = await this.ssp.request(domainOf(m.recipients[0]!), {
      kind: 'SendMessageRequest',
      meta: this.meta(m.sender),
      deliveryReport: m.deliveryReport,
      message: {
        messageId: m.messageId,
        contentType: m.contentType,
        contentSize: Buffer.byteLength(m.content, 'utf8'),
        recipients: m.recipients,
        sender: m.sender,
        ...(m.validity === undefined ? {} : { validity: m.validity }),
        ...(m.dateTime === undefined ? {} : { dateTime: m.dateTime }),
      },
      content: m.content,
    });
    const out: { result: RemoteResult; messageId?: string } = { result: toResult(r) };
    if (r.kind === 'SendMessageResponse' && r.messageId !== undefined) out.messageId = r.messageId;
    return out;
  }

  async notifyPresence(watchers: string[], presences: RemotePresence[]): Promise<RemoteResult> {
    const publisher = presences[0]?.userId ?? '';
    return toResult(
      await this.ssp.request(domainOf(watchers[0]!), {
        kind: 'PresenceNotification',
        meta: { serviceId: this.ssp.serviceId, userId: publisher },
        recipients: watchers,
        presences,
      }),
    );
  }

  async deliveryReport(report: RemoteDeliveryReport): Promise<RemoteResult> {
    return toResult(
      await this.ssp.request(domainOf(report.sender), {
        kind: 'DeliveryStatusReport',
        meta: { serviceId: this.ssp.serviceId, userId: report.recipient },
        result: {
          code: report.code,
          ...(report.description === undefined ? {} : { description: report.description }),
        },
        ...(report.deliveryTime === undefined ? {} : { deliveryTime: report.deliveryTime }),
        message: { messageId: report.messageId, recipients: [report.recipient], sender: report.sender },
      }),
    );
  }

  // ---- inbound (SspDelegate) ----

  private local(ids: string[]): string[] {
    return ids.map((u) => this.core.normalize(u)).filter((u): u is string => u !== undefined);
  }

  async handleSspSubscribe(_ctx: SspRequestContext, r: SubscribeRequest): Promise<SspStatus> {
    const watcher = this.core.normalize(r.meta.userId ?? '');
    if (watcher === undefined) return { code: 402, description: 'Bad parameter: MetaInfo names no watcher' };
    const targets = this.local(r.userIds);
    const failures = await this.core.presence.subscribe(watcher, undefined, targets, keys(r.attributes));
    return asStatus(summary(targets.length, failures));
  }

  async handleSspUnsubscribe(_ctx: SspRequestContext, r: UnsubscribeRequest): Promise<SspStatus> {
    const watcher = this.core.normalize(r.meta.userId ?? '');
    if (watcher === undefined) return { code: 402, description: 'Bad parameter: MetaInfo names no watcher' };
    await this.core.presence.unsubscribe(watcher, undefined, this.local(r.userIds));
    return { code: 200, description: 'Successful' };
  }

  async handleSspPresenceNotification(_ctx: SspRequestContext, r: PresenceNotification): Promise<SspStatus> {
    const watchers = this.local(r.recipients);
    const presences = r.presences.map((p) => ({ ...p, userId: this.core.normalize(p.userId) ?? p.userId }));
    this.core.presence.remoteNotification(watchers, presences);
    return { code: 200, description: 'Successful' };
  }

  async handleSspGetPresence(
    _ctx: SspRequestContext,
    r: GetPresenceRequest,
  ): Promise<{ status: SspStatus; presences: SspPresenceValue[] }> {
    const watcher = this.core.normalize(r.meta.userId ?? '') ?? '';
    const presences: SspPresenceValue[] = [];
    const failures: Array<{ code: number; description?: string; userIds: string[] }> = [];
    for (const target of this.local(r.userIds)) {
      if (!this.core.isLocal(target) || !this.core.users.has(target)) {
        failures.push({ code: 531, description: 'Unknown user', userIds: [target] });
        continue;
      }
      presences.push({
        userId: target,
        presenceSubList: this.core.presence.visibleTo(watcher, target, keys(r.attributes)),
      });
    }
    return { status: asStatus(summary(r.userIds.length, failures)), presences };
  }

  async handleSspSendMessage(
    _ctx: SspRequestContext,
    r: SendMessageRequest,
  ): Promise<{ status: SspStatus; messageId?: string }> {
    const sender = this.core.normalize(r.message.sender);
    if (sender === undefined) return { status: { code: 402, description: 'Bad parameter: no Sender' } };
    const messageId = r.message.messageId ?? this.core.config.ids.token(16);
    const failures: Array<{ code: number; description?: string; userIds: string[] }> = [];
    const recipients = this.local(r.message.recipients);
    for (const rcpt of recipients) {
      if (!this.core.isLocal(rcpt) || !this.core.users.has(rcpt)) {
        failures.push({ code: 531, description: 'Unknown user', userIds: [rcpt] });
        continue;
      }
      if (this.core.authz.isBlocked(rcpt, sender)) {
        failures.push({ code: 532, description: 'Recipient blocked the sender', userIds: [rcpt] });
        continue;
      }
      const info: MessageInfo = {
        contentType: r.message.contentType ?? 'text/plain',
        contentSize: Buffer.byteLength(r.content, 'utf8'),
        ...(r.message.dateTime === undefined ? {} : { dateTime: r.message.dateTime }),
        ...(r.message.validity === undefined ? {} : { validity: r.message.validity }),
      };
      this.core.messages.accept({
        messageId,
        sender,
        recipient: rcpt,
        info,
        content: r.content,
        deliveryReport: r.deliveryReport,
        validitySeconds: r.message.validity,
      });
    }
    return { status: asStatus(summary(Math.max(recipients.length, 1), failures)), messageId };
  }

  async handleSspDeliveryStatusReport(_ctx: SspRequestContext, r: DeliveryStatusReport): Promise<SspStatus> {
    const sender = this.core.normalize(r.message.sender);
    if (sender === undefined || !this.core.isLocal(sender))
      return { code: 531, description: 'Unknown user: the report is not for this domain' };
    const info: MessageInfo = {
      recipient: { users: r.message.recipients.map((userId) => ({ userId })) },
      sender: { user: { userId: sender } },
      ...(r.message.messageId === undefined ? {} : { messageId: r.message.messageId }),
    };
    this.core.messages.reportTo(sender, info, r.result.code, r.deliveryTime);
    return { code: 200, description: 'Successful' };
  }
}

function summary(
  total: number,
  failures: Array<{ code: number; description?: string; userIds: string[] }>,
): { code: number; description?: string; details?: RemoteResult['details'] } {
  if (failures.length === 0) return { code: 200, description: 'Successful' };
  if (total <= 1 && failures.length === 1) return { ...failures[0]!, details: failures };
  return {
    code: failures.length < total ? 201 : 900,
    description: 'Partially successful',
    details: failures,
  };
}
