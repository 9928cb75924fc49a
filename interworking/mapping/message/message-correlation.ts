// MessageID correlation: one record per message in flight between the sides, findable by the
// IMPS MessageID, the SIP Call-ID of the MESSAGE, and the imdn.Message-ID (RFC 5438 §6.3), so a
// SIP response, an IMDN or a DeliveryReport finds its message (imps.md §6.2; simple.md §6.3).
// A plain in-memory map: no I/O, no timers — expiry runs when the caller passes the time, and
// `entries()` / the constructor let the IWF's store persist it across restarts.
import type { Disposition } from '../../../domains/simple/payloads/imdn.ts';
import type { MessageInfo } from './message-types.ts';

export interface MessageLink {
  direction: 'imps→simple' | 'simple→imps';
  /** IMPS MessageID (assigned by PS1; for SIMPLE senders known once PS1 answers). */
  impsMessageId?: string;
  callId?: string;
  imdnMessageId?: string;
  /** IMPS sender wants a DeliveryReport (imps→simple) / dispositions the SIMPLE sender asked for. */
  deliveryReport: boolean;
  dispositions: Disposition[];
  /** What a DeliveryReport-Request repeats (imps→simple). */
  messageInfo?: MessageInfo;
  /** SIP URIs of the two ends and the original DateTime, for the IMDN (simple→imps). */
  sender: string;
  recipient: string;
  dateTime: string;
  /** ms since the epoch after which the record is dropped (MessageInfo Validity, or a default). */
  expiresAt: number;
  /** Set once a report went out, so a second one (200 then IMDN, row X1) is not sent. */
  reported?: boolean;
}

export class MessageCorrelation {
  private readonly links: MessageLink[] = [];
  private readonly byImps = new Map<string, MessageLink>();
  private readonly byCall = new Map<string, MessageLink>();
  private readonly byImdn = new Map<string, MessageLink>();

  constructor(entries: Iterable<MessageLink> = []) {
    for (const e of entries) this.add(e);
  }

  add(link: MessageLink): MessageLink {
    this.links.push(link);
    this.index(link);
    return link;
  }

  /** Adds identifiers learnt later (PS1's MessageID, the Call-ID the SIP face chose). */
  update(link: MessageLink, ids: { impsMessageId?: string; callId?: string; imdnMessageId?: string }): void {
    Object.assign(link, ids);
    this.index(link);
  }

  byImpsMessageId(id: string): MessageLink | undefined {
    return this.byImps.get(id);
  }

  byCallId(id: string): MessageLink | undefined {
    return this.byCall.get(id);
  }

  byImdnMessageId(id: string): MessageLink | undefined {
    return this.byImdn.get(id);
  }

  remove(link: MessageLink): void {
    const i = this.links.indexOf(link);
    if (i >= 0) this.links.splice(i, 1);
    if (link.impsMessageId !== undefined && this.byImps.get(link.impsMessageId) === link)
      this.byImps.delete(link.impsMessageId);
    if (link.callId !== undefined && this.byCall.get(link.callId) === link) this.byCall.delete(link.callId);
    if (link.imdnMessageId !== undefined && this.byImdn.get(link.imdnMessageId) === link)
      this.byImdn.delete(link.imdnMessageId);
  }

  /** Drops records whose time is up; returns them (an undelivered report may be due, row IM7). */
  expire(now: number): MessageLink[] {
    const gone = this.links.filter((l) => l.expiresAt <= now);
    for (const l of gone) this.remove(l);
    return gone;
  }

  entries(): readonly MessageLink[] {
    return this.links;
  }

  get size(): number {
    return this.links.length;
  }

  private index(link: MessageLink): void {
    if (link.impsMessageId !== undefined) this.byImps.set(link.impsMessageId, link);
    if (link.callId !== undefined) this.byCall.set(link.callId, link);
    if (link.imdnMessageId !== undefined) this.byImdn.set(link.imdnMessageId, link);
  }
}
