// Instant messaging (imps.md §6): store-and-forward of accepted messages per recipient until
// MessageDelivered, RejectMessage or Validity expiry; push (NewMessage) or notify/get
// (MessageNotification) by the session's delivery method; delivery reports to the sender, local
// or over SSP. Nothing accepted is dropped while PS1 runs: offline recipients get it at login.
import type { TimerHandle } from '../../../common/clock.ts';
import type { MessageInfo } from '../csp/model/common-structs.ts';
import { primitive } from '../csp/model/primitives.ts';
import { describeStatus } from '../csp/status-codes.ts';
import type { ImpsSession } from './imps-session.ts';
import type { Ps1Context } from './ps1-context.ts';
import { resultOf } from './ps1-status.ts';

export interface StoredMessage {
  messageId: string;
  sender: string;
  recipient: string;
  info: MessageInfo;
  content: string | undefined;
  deliveryReport: boolean;
  timer: TimerHandle;
  /** Sessions this message has been queued on (so a poll loop does not queue it twice). */
  queuedOn: Set<string>;
}

/** ISO 8601 basic, as CSP writes dates (imps.md §1.1): 20070625T055652Z. */
export function cspDateTime(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

export class MessageService {
  private readonly store = new Map<string, StoredMessage>();
  /** Delivery reports for senders that were offline, delivered at their next login. */
  private readonly pendingReports = new Map<
    string,
    Array<{ info: MessageInfo; code: number; time?: string }>
  >();

  constructor(private readonly ctx: Ps1Context) {}

  private k(messageId: string, recipient: string): string {
    return `${messageId}|${recipient}`;
  }

  /** Accepts a message for one local recipient and delivers it to every session it has. */
  accept(input: {
    messageId: string;
    sender: string;
    recipient: string;
    info: MessageInfo;
    content: string | undefined;
    deliveryReport: boolean;
    validitySeconds: number | undefined;
  }): void {
    const validity = input.validitySeconds ?? this.ctx.config.defaultValiditySeconds;
    const info: MessageInfo = {
      ...input.info,
      messageId: input.messageId,
      recipient: { users: [{ userId: input.recipient }] },
      sender: { user: { userId: input.sender } },
      dateTime: input.info.dateTime ?? cspDateTime(this.ctx.config.clock.wallNow()),
    };
    if (info.contentSize === undefined) info.contentSize = Buffer.byteLength(input.content ?? '', 'utf8');
    const key = this.k(input.messageId, input.recipient);
    const stored: StoredMessage = {
      messageId: input.messageId,
      sender: input.sender,
      recipient: input.recipient,
      info,
      content: input.content,
      deliveryReport: input.deliveryReport,
      // imps.md §6.2: undelivered messages are kept until Validity expires (542).
      timer: this.ctx.config.clock.setTimer(validity * 1000, () => this.finish(key, 542)),
      queuedOn: new Set(),
    };
    this.store.set(key, stored);
    for (const s of this.ctx.sessions.ofUser(input.recipient)) this.offer(s, stored);
  }

  /** Queues every stored message of the session's user on it (login, after negotiation). */
  deliverPending(session: ImpsSession): void {
    for (const m of this.store.values()) if (m.recipient === session.userId) this.offer(session, m);
    const reports = this.pendingReports.get(session.userId);
    if (reports !== undefined) {
      this.pendingReports.delete(session.userId);
      for (const r of reports) this.reportTo(session.userId, r.info, r.code, r.time);
    }
  }

  private offer(session: ImpsSession, m: StoredMessage): void {
    if (session.agreedFunctions === undefined || m.queuedOn.has(session.sessionId)) return;
    m.queuedOn.add(session.sessionId);
    const key = this.k(m.messageId, m.recipient);
    if (session.capabilities.deliveryMethod === 'P') {
      // imps.md §6.2: the client answers NewMessage with MessageDelivered (TransactionMode Response).
      this.ctx.send(
        session,
        primitive('NewMessage', { messageInfo: m.info, contentData: m.content }),
        (r) => {
          if (r.name === 'MessageDelivered' || r.name === 'Status') this.finish(key, 200);
        },
      );
    } else this.ctx.send(session, primitive('MessageNotification', { messageInfo: m.info }));
  }

  pendingFor(userId: string): StoredMessage[] {
    return [...this.store.values()].filter((m) => m.recipient === userId);
  }

  get(userId: string, messageId: string): StoredMessage | undefined {
    return this.store.get(this.k(messageId, userId));
  }

  /** MessageDelivered as a Request (after GetMessage). False when the id is unknown (426). */
  delivered(userId: string, messageId: string): boolean {
    return this.finish(this.k(messageId, userId), 200);
  }

  reject(userId: string, messageId: string): boolean {
    return this.finish(this.k(messageId, userId), 538);
  }

  private finish(key: string, code: number): boolean {
    const m = this.store.get(key);
    if (m === undefined) return false;
    this.store.delete(key);
    m.timer.cancel();
    if (m.deliveryReport) this.report(m, code);
    return true;
  }

  /** imps.md §6.2: DeliveryReport-Request to the sender when it asked DeliveryReport=T. */
  private report(m: StoredMessage, code: number): void {
    const time = cspDateTime(this.ctx.config.clock.wallNow());
    if (!this.ctx.isLocal(m.sender)) {
      this.ctx.remote
        ?.deliveryReport({
          messageId: m.messageId,
          sender: m.sender,
          recipient: m.recipient,
          code,
          description: describeStatus(code),
          deliveryTime: time,
        })
        .catch(() => undefined);
      return;
    }
    this.reportTo(m.sender, m.info, code, time);
  }

  /** A delivery report for a local sender (also the ones arriving over SSP). */
  reportTo(sender: string, info: MessageInfo, code: number, deliveryTime: string | undefined): void {
    const sessions = this.ctx.sessions.ofUser(sender);
    if (sessions.length === 0) {
      const list = this.pendingReports.get(sender) ?? [];
      list.push(deliveryTime === undefined ? { info, code } : { info, code, time: deliveryTime });
      this.pendingReports.set(sender, list);
      return;
    }
    const report = primitive('DeliveryReport-Request', {
      result: resultOf(code),
      deliveryTime,
      messageInfo: info,
    });
    for (const s of sessions) this.ctx.send(s, report);
  }

  stop(): void {
    for (const m of this.store.values()) m.timer.cancel();
  }
}
