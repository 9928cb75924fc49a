// Instant messages both ways (use case §5.3.5 step 7; imps.md §6; RFC 3428, RFC 5438):
// SSP SendMessageRequest → MESSAGE (rows IM1–IM7) and its final response → the SSP Status
// (X1–X3 + status rows), a 200 with a report asked for → DeliveryStatusReport at once (X1), a
// 202 → the IMDN that comes later (DR1–DR5); MESSAGE → SSP SendMessageRequest (IN1–IN7) and
// PS1's Status → the SIP final response (X4–X6); PS1's DeliveryStatusReport → IMDN (DR6–DR9).
// Every accepted IM is in the store until it has its final answer, so a restart resends it.
import type { SspRequestContext } from '../../domains/imps/ssp/ssp-delegate.ts';
import type {
  DeliveryStatusReport,
  SendMessageRequest as SspSendMessage,
  SspStatus,
} from '../../domains/imps/ssp/ssp-model.ts';
import { serializeCpim } from '../../domains/simple/payloads/cpim.ts';
import type { Disposition } from '../../domains/simple/payloads/imdn.ts';
import type { IncomingRequest } from '../../domains/simple/sip/core/index.ts';
import { formatUri } from '../../domains/simple/sip/message/uri-codec.ts';
import { statusOf } from '../faces/ssp-face.ts';
import { impsToSip } from '../mapping/address.ts';
import {
  deliveryReportToImdn,
  imdnToDeliveryReport,
  impsResultToSip,
  messageResponseToCsp,
} from '../mapping/message/delivery-report.ts';
import type { MessageInfo, SendMessageRequest, SipMessage } from '../mapping/message/message-types.ts';
import { sendMessageToSip } from '../mapping/message/send-message-to-sip.ts';
import { sipMessageToImps } from '../mapping/message/sip-message-to-imps.ts';
import type { PendingIm, ReportLink } from '../subscriptions/link-store.ts';
import { type CoreContext, domainOf, isoNow, toRfc3339, traceMap } from './context.ts';
import { asMessageId } from './ids.ts';

/** SSP (content as plain text, docs/ssp.md) → the CSP model the message mappers take. */
export function sspToCspSendMessage(req: SspSendMessage): SendMessageRequest {
  const m = req.message;
  const info: MessageInfo = {
    contentType: m.contentType ?? 'text/plain',
    contentSize: m.contentSize ?? Buffer.byteLength(req.content, 'utf8'),
    recipient: { users: m.recipients.map((userId) => ({ userId })) },
    sender: { user: { userId: m.sender } },
    ...(m.messageId === undefined ? {} : { messageId: m.messageId }),
    ...(m.dateTime === undefined ? {} : { dateTime: m.dateTime }),
    ...(m.validity === undefined ? {} : { validity: m.validity }),
  };
  return { deliveryReport: req.deliveryReport, messageInfo: info, contentData: req.content };
}

interface ImpsReportData extends Record<string, unknown> {
  messageId: string;
  sender: string;
  recipient: string;
}

interface SipReportData extends Record<string, unknown> {
  imdnMessageId: string;
  dateTime: string;
  dispositions: Disposition[];
  sender: string;
  recipient: string;
  senderWv: string;
  recipientWv: string;
}

export class MessageRoute {
  constructor(private readonly ctx: CoreContext) {}

  // ---- IMPS → SIMPLE ----

  async handleSspSendMessage(
    _c: SspRequestContext,
    req: SspSendMessage,
  ): Promise<{ status: SspStatus; messageId?: string }> {
    const messageId = asMessageId(req.message.messageId ?? this.ctx.ids.token(16));
    const withId: SspSendMessage = { ...req, message: { ...req.message, messageId } };
    const pending: PendingIm = {
      kind: 'im',
      id: messageId,
      direction: 'imps→sip',
      payload: withId as unknown as Record<string, unknown>,
      acceptedAt: this.ctx.clock.wallNow(),
    };
    this.ctx.store.put(pending);
    // Kept from acceptance: on disk before it goes on, so a restart sends it again.
    await this.ctx.store.durable();
    const status = await this.relayToSip(withId);
    this.ctx.store.delete('im', messageId);
    return { status, messageId };
  }

  private async relayToSip(req: SspSendMessage): Promise<SspStatus> {
    const messageId = req.message.messageId!;
    const mapped = sendMessageToSip(sspToCspSendMessage(req), {
      ids: this.ctx.ids,
      now: isoNow(this.ctx.clock),
    });
    const details: NonNullable<SspStatus['details']> = mapped.failures.map((f) => ({
      code: f.code,
      description: f.description,
      userIds: f.userId ? [f.userId] : [],
    }));
    let last: SspStatus | undefined;
    for (const m of mapped.messages) {
      traceMap(this.ctx, mapped.rows, 'SSP SendMessageRequest', 'SIP MESSAGE');
      const result = await this.sendOne(m, req, messageId);
      last = result;
      if (result.code >= 300)
        details.push({ code: result.code, description: result.description, userIds: [m.to] });
    }
    const total = mapped.messages.length + mapped.failures.length;
    if (details.length === 0) return last ?? { code: 200, description: 'Successful' };
    if (total === 1) {
      const d = details[0]!;
      return { code: d.code, ...(d.description ? { description: d.description } : {}) };
    }
    return { code: details.length < total ? 201 : 900, details };
  }

  private async sendOne(m: SipMessage, req: SspSendMessage, messageId: string): Promise<SspStatus> {
    const response = await this.ctx.sip.message({
      uri: m.requestUri,
      from: m.from,
      to: m.to,
      body: m.body,
      contentType: m.contentType,
    });
    const outcome = messageResponseToCsp(response.status, req.deliveryReport);
    traceMap(this.ctx, outcome.rows, `SIP ${response.status} (MESSAGE)`, 'SSP SendMessageResponse');
    const recipientWv =
      req.message.recipients.find(
        (r) => impsToSip(r).ok && (impsToSip(r) as { value: string }).value === m.to,
      ) ??
      req.message.recipients[0] ??
      '';
    if (outcome.reportNow) {
      // RFC 3428 §7: the 200 is the delivery; the report goes after the SSP answer.
      const report = outcome.reportNow;
      this.ctx.clock.setTimer(
        20,
        () => void this.reportToPs1(messageId, req.message.sender, recipientWv, report, ['X1']),
      );
    } else if (m.imdnMessageId && response.status === 202) {
      const link: ReportLink = {
        kind: 'report',
        id: asMessageId(m.imdnMessageId),
        direction: 'imps→sip',
        data: { messageId, sender: req.message.sender, recipient: recipientWv } satisfies ImpsReportData,
        createdAt: this.ctx.clock.wallNow(),
      };
      this.ctx.store.put(link);
      await this.ctx.store.durable();
    }
    return {
      code: outcome.result.code,
      description:
        response.status >= 300
          ? `${outcome.result.text} (SIP ${response.status} ${response.reason})`
          : outcome.result.text,
    };
  }

  private async reportToPs1(
    messageId: string,
    sender: string,
    recipient: string,
    result: { code: number; description?: string },
    rows: string[],
  ): Promise<void> {
    traceMap(this.ctx, rows, 'SIP', 'SSP DeliveryStatusReport');
    const outcome = await this.ctx.ssp.send(domainOf(sender), {
      kind: 'DeliveryStatusReport',
      meta: { serviceId: this.ctx.ssp.serviceId, userId: recipient },
      result: { code: result.code, ...(result.description ? { description: result.description } : {}) },
      deliveryTime: isoNow(this.ctx.clock),
      message: { messageId, recipients: [recipient], sender },
    });
    if (!outcome.ok)
      this.ctx.log(`iwf: DeliveryStatusReport for ${messageId} failed: ${outcome.status.code}`);
  }

  // ---- SIMPLE → IMPS ----

  async handleSipMessage(incoming: IncomingRequest): Promise<void> {
    const request = incoming.request;
    const mapped = sipMessageToImps(
      {
        from: formatUri(request.from.uri),
        to: formatUri(request.uri),
        ...(request.contentType ? { contentType: request.contentType } : {}),
        body: request.body,
      },
      {},
    );
    if (mapped.kind === 'refused') {
      traceMap(this.ctx, mapped.rows, 'SIP MESSAGE', `SIP ${mapped.refusal.status}`);
      incoming.reply(
        mapped.refusal.status,
        mapped.refusal.reason,
        mapped.refusal.accept ? { headers: [['Accept', mapped.refusal.accept]] } : {},
      );
      return;
    }
    if (mapped.kind === 'ignored') {
      incoming.reply(200, 'OK');
      return;
    }
    if (mapped.kind === 'imdn') {
      incoming.reply(200, 'OK');
      await this.imdnToPs1(mapped.imdn, mapped.rows);
      return;
    }
    const info = mapped.request.messageInfo ?? {};
    const recipient = info.recipient?.users?.[0]?.userId ?? '';
    const sender = info.sender?.user?.userId ?? '';
    if (!this.ctx.ssp.routes(domainOf(recipient))) {
      incoming.reply(404, `Not Found - no route to ${domainOf(recipient)}`);
      return;
    }
    const messageId = asMessageId(this.ctx.ids.token(16));
    const ssp: SspSendMessage = {
      kind: 'SendMessageRequest',
      meta: { serviceId: this.ctx.ssp.serviceId, userId: sender, clientOriginated: true },
      deliveryReport: mapped.request.deliveryReport ?? false,
      message: {
        messageId,
        contentType: info.contentType ?? 'text/plain',
        contentSize: info.contentSize ?? 0,
        recipients: [recipient],
        sender,
        dateTime: info.dateTime ?? isoNow(this.ctx.clock),
      },
      content: mapped.request.contentData ?? '',
    };
    if (mapped.imdn && ssp.deliveryReport) {
      const data: SipReportData = {
        imdnMessageId: mapped.imdn.messageId,
        dateTime: ssp.message.dateTime!,
        dispositions: mapped.imdn.dispositions,
        sender: formatUri(request.from.uri),
        recipient: formatUri(request.uri),
        senderWv: sender,
        recipientWv: recipient,
      };
      this.ctx.store.put({
        kind: 'report',
        id: messageId,
        direction: 'sip→imps',
        data,
        createdAt: this.ctx.clock.wallNow(),
      });
    }
    this.ctx.store.put({
      kind: 'im',
      id: messageId,
      direction: 'sip→imps',
      payload: ssp as unknown as Record<string, unknown>,
      acceptedAt: this.ctx.clock.wallNow(),
    });
    await this.ctx.store.durable();
    traceMap(this.ctx, mapped.rows, 'SIP MESSAGE', 'SSP SendMessageRequest');
    const status = statusOf(await this.ctx.ssp.send(domainOf(recipient), ssp));
    this.ctx.store.delete('im', messageId);
    const answer = impsResultToSip(status.code);
    traceMap(this.ctx, answer.rows, `SSP Status ${status.code}`, `SIP ${answer.status.code}`);
    if (status.code >= 300) this.ctx.store.delete('report', messageId);
    incoming.reply(answer.status.code, answer.status.text);
  }

  private async imdnToPs1(
    imdn: import('../../domains/simple/payloads/imdn.ts').Imdn,
    rows: string[],
  ): Promise<void> {
    const link = this.ctx.store.report(imdn.messageId);
    if (link?.direction !== 'imps→sip') return;
    const data = link.data as ImpsReportData;
    const original: MessageInfo = {
      messageId: data.messageId,
      recipient: { users: [{ userId: data.recipient }] },
      sender: { user: { userId: data.sender } },
    };
    const report = imdnToDeliveryReport(imdn, original, isoNow(this.ctx.clock));
    if (!report.value) return;
    this.ctx.store.delete('report', link.id);
    const result = report.value.result;
    await this.reportToPs1(
      data.messageId,
      data.sender,
      data.recipient,
      { code: result?.code ?? 200, ...(result?.description ? { description: result.description } : {}) },
      [...rows, report.row],
    );
  }

  /** PS1's DeliveryStatusReport for a message a SIMPLE user sent → IMDN MESSAGE (RFC 5438 §7). */
  async handleSspDeliveryStatusReport(_c: SspRequestContext, r: DeliveryStatusReport): Promise<SspStatus> {
    const messageId = r.message.messageId;
    const link = messageId ? this.ctx.store.report(messageId) : undefined;
    if (link?.direction !== 'sip→imps')
      return { code: 200, description: 'Successful (no report was asked for)' };
    const data = link.data as SipReportData;
    const imdn = deliveryReportToImdn(
      { result: r.result, deliveryTime: toRfc3339(r.deliveryTime) ?? isoNow(this.ctx.clock) },
      {
        imdnMessageId: data.imdnMessageId,
        dateTime: data.dateTime,
        dispositions: data.dispositions,
        sender: data.sender,
        recipient: data.recipient,
      },
      { ids: this.ctx.ids },
    );
    this.ctx.store.delete('report', link.id);
    if (!imdn.value) return { code: 200, description: 'Successful' };
    traceMap(this.ctx, [imdn.row], 'SSP DeliveryStatusReport', 'SIP MESSAGE (IMDN)');
    const response = await this.ctx.sip.message({
      uri: data.sender,
      from: data.recipient,
      to: data.sender,
      body: serializeCpim(imdn.value),
      contentType: 'message/cpim',
    });
    return response.status < 300
      ? { code: 200, description: 'Successful' }
      : { code: 503, description: `IMDN not delivered: SIP ${response.status} ${response.reason}` };
  }

  /** After a restart: IMs accepted and not yet answered are sent again (at least once). */
  resume(): void {
    for (const im of this.ctx.store.all('im')) {
      const req = im.payload as unknown as SspSendMessage;
      if (im.direction === 'imps→sip') {
        void this.relayToSip(req).then(() => this.ctx.store.delete('im', im.id));
      } else {
        void this.ctx.ssp.send(domainOf(req.message.recipients[0] ?? ''), req).then((o) => {
          if (o.ok) this.ctx.store.delete('im', im.id);
        });
      }
    }
  }
}
