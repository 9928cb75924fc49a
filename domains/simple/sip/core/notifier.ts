import type { SipResponse } from '../message/sip-message.ts';
import type { Uri } from '../message/uri.ts';
import { Dialog } from './dialog.ts';
import { DueSchedule, type Scheduled } from './due-schedule.ts';
import {
  type EventHeader,
  formatSubscriptionState,
  parseEventHeader,
  type SubscriptionStateValue,
  type TerminationReason,
} from './event-header.ts';
import type { IncomingRequest } from './incoming-request.ts';
import { TypedEmitter } from './typed-emitter.ts';
import type { DialogUsage, SipUserAgent } from './user-agent.ts';

// RFC 6665 §4.2: the notifier side. The Notifier answers SUBSCRIBE for its event packages
// (489 for others, 423 below Min-Expires, expiry capped), asks its delegate to authorize, and
// keeps one NotifierSubscription per dialog: immediate NOTIFY after every accepted SUBSCRIBE,
// refresh, unsubscribe and fetch, expiry with reason=timeout, removal when a NOTIFY gets 481 or
// times out. The content of NOTIFYs is the delegate's business (format-free core, STYLE lesson 5).
//
// A gateway serves tens of thousands of these for hours: the expiries of all of a notifier's
// subscriptions share one Clock timer (DueSchedule), the parsed Event header is shared by the
// subscriptions of a package, and the delegate's `data` object exists only once it is used.

export interface NotifyContent {
  body?: Buffer | string;
  contentType?: string;
  headers?: Array<[string, string]>;
}

export type SubscribeDecision =
  | { reject: number; reason?: string; headers?: Array<[string, string]> }
  | ({ state: SubscriptionStateValue; reason?: TerminationReason; retryAfter?: number } & NotifyContent);

export interface NotifierDelegate {
  /** A new subscription (or fetch): authorize it and give the first NOTIFY's state and body. */
  onSubscribe(
    subscription: NotifierSubscription,
    request: IncomingRequest,
  ): SubscribeDecision | Promise<SubscribeDecision>;
  /** The NOTIFY content after a refresh or an unsubscribe (the current state). */
  currentContent?(subscription: NotifierSubscription): NotifyContent | undefined;
  /** The subscription ended (any reason). */
  onTerminated?(subscription: NotifierSubscription, reason: TerminationReason): void;
}

export interface NotifierOptions {
  /** Event packages served, e.g. ['presence', 'presence.winfo']. */
  events: string[];
  defaultExpires?: number;
  minExpires?: number;
  maxExpires?: number;
  /** Send 202 instead of 200 (RFC 3265 style, for old peers). */
  respond202?: boolean;
}

export class Notifier {
  readonly events: Set<string>;
  /** The expiry timers of every subscription (§4.2.2), one Clock timer. */
  readonly expiries: DueSchedule;
  private readonly subscriptions = new Map<string, NotifierSubscription>();
  /** Parsed Event headers by text, shared read-only by the subscriptions of a package. */
  private readonly parsedEvents = new Map<string, EventHeader>();

  constructor(
    readonly ua: SipUserAgent,
    readonly options: NotifierOptions,
    private readonly delegate: NotifierDelegate,
  ) {
    this.events = new Set(options.events.map((e) => e.toLowerCase()));
    this.expiries = new DueSchedule(ua.clock);
    ua.on('SUBSCRIBE', (incoming) => this.onSubscribe(incoming));
  }

  get all(): IterableIterator<NotifierSubscription> {
    return this.subscriptions.values();
  }

  get size(): number {
    return this.subscriptions.size;
  }

  /** §4.2.1.1 checks shared by initial and in-dialog SUBSCRIBEs; returns the granted expiry. */
  checkSubscribe(incoming: IncomingRequest): { event: EventHeader; expires: number } | undefined {
    const request = incoming.request;
    const eventValue = request.headers.get('Event');
    if (eventValue === undefined) {
      incoming.reply(400, 'Bad Request - Missing Event header');
      return undefined;
    }
    const event = this.parsedEvents.get(eventValue) ?? parseEventHeader(eventValue);
    if (!event || !this.events.has(event.package.toLowerCase())) {
      // §4.2.1.1 / §7.2.2: unknown package → 489 with Allow-Events.
      incoming.reply(489, 'Bad Event', { headers: [['Allow-Events', [...this.events].join(', ')]] });
      return undefined;
    }
    const o = this.options;
    const raw = request.headers.get('Expires');
    if (raw !== undefined && !/^\d+$/.test(raw.trim())) {
      incoming.reply(400, 'Bad Request - Malformed Expires');
      return undefined;
    }
    let expires = raw === undefined ? (o.defaultExpires ?? 3600) : Math.min(Number(raw), 2 ** 32 - 1);
    const min = o.minExpires ?? 0;
    if (expires !== 0 && expires < min) {
      // §4.2.1.1: "If the expiration interval is too small, the notifier MAY return 423".
      incoming.reply(423, 'Interval Too Brief', { headers: [['Min-Expires', String(min)]] });
      return undefined;
    }
    expires = Math.min(expires, o.maxExpires ?? 3600);
    if (this.parsedEvents.size < 64) this.parsedEvents.set(eventValue, event);
    return { event, expires };
  }

  private async onSubscribe(incoming: IncomingRequest): Promise<void> {
    const checked = this.checkSubscribe(incoming);
    if (!checked) return;
    const request = incoming.request;
    const localTag = this.ua.ids.token(10);
    const contact = `<${this.ua.contactUri(incoming.inbound.protocol)}>`;
    const dialog = Dialog.asUas(request, localTag, contact);
    const subscription = new NotifierSubscription(
      this,
      dialog,
      checked.event,
      request.from.uri,
      checked.expires,
    );
    const decision = await this.delegate.onSubscribe(subscription, incoming);
    if ('reject' in decision) {
      incoming.reply(decision.reject, decision.reason, { headers: decision.headers });
      return;
    }
    if (checked.expires > 0) {
      this.subscriptions.set(dialog.id, subscription);
      this.ua.addDialogUsage(dialog.id, subscription);
    }
    incoming.reply(this.options.respond202 ? 202 : 200, undefined, {
      toTag: localTag,
      headers: [
        ['Expires', String(checked.expires)],
        ['Contact', contact],
      ],
    });
    if (checked.expires === 0) {
      // §4.4.3 fetch: one NOTIFY with the current state, then the usage is gone.
      void subscription.notify({ ...decision, state: 'terminated', reason: 'timeout' });
      return;
    }
    subscription.armExpiry();
    void subscription.notify(decision);
  }

  /** Called by a subscription when it ends. */
  removed(subscription: NotifierSubscription, reason: TerminationReason): void {
    this.subscriptions.delete(subscription.id);
    this.ua.removeDialogUsage(subscription.id);
    this.delegate.onTerminated?.(subscription, reason);
  }

  currentContent(subscription: NotifierSubscription): NotifyContent | undefined {
    return this.delegate.currentContent?.(subscription);
  }
}

type SubscriptionEvents = {
  terminated: [reason: TerminationReason];
};

interface QueuedNotify {
  state: SubscriptionStateValue;
  reason?: TerminationReason;
  retryAfter?: number;
  content: NotifyContent;
  resolve: (r: SipResponse | undefined) => void;
}

export class NotifierSubscription extends TypedEmitter<SubscriptionEvents> implements DialogUsage, Scheduled {
  state: SubscriptionStateValue = 'pending';
  /** The slot of this subscription's expiry in the notifier's schedule (-1: none). */
  scheduleSlot = -1;
  private expiresAt = 0;
  private sending = false;
  private finished = false;
  private ownData: Record<string, unknown> | undefined;
  /** NOTIFYs waiting for the one in flight (none most of the time). */
  private queue: QueuedNotify[] | undefined;

  constructor(
    private readonly notifier: Notifier,
    readonly dialog: Dialog,
    readonly event: EventHeader,
    /** The watcher: From URI of the SUBSCRIBE (authenticated identity is the delegate's call). */
    readonly watcher: Uri,
    public expires: number,
  ) {
    super();
  }

  get id(): string {
    return this.dialog.id;
  }

  /** Opaque data the delegate keeps per subscription (filters, version counters …). */
  get data(): Record<string, unknown> {
    this.ownData ??= {};
    return this.ownData;
  }

  set data(value: Record<string, unknown>) {
    this.ownData = value;
  }

  /** Seconds left before expiry. */
  get remaining(): number {
    return Math.max(0, Math.round((this.expiresAt - this.notifier.ua.clock.now()) / 1000));
  }

  armExpiry(): void {
    this.expiresAt = this.notifier.ua.clock.now() + this.expires * 1000;
    this.notifier.expiries.set(this, this.expires * 1000);
  }

  /** §4.2.2: expiry without refresh → final NOTIFY reason=timeout (the notifier's schedule calls it). */
  onDue(): void {
    void this.terminate('timeout', this.notifier.currentContent(this));
  }

  /** In-dialog SUBSCRIBE: refresh or unsubscribe (§4.2.1.2, §4.2.1.3). */
  onDialogRequest(incoming: IncomingRequest): void {
    if (incoming.request.method !== 'SUBSCRIBE') {
      incoming.reply(405, 'Method Not Allowed', { headers: [['Allow', 'SUBSCRIBE']] });
      return;
    }
    const checked = this.notifier.checkSubscribe(incoming);
    if (!checked) return;
    const accepted = this.dialog.acceptRequest(incoming.request, true);
    if (!accepted.ok) {
      incoming.reply(accepted.status, accepted.reason);
      return;
    }
    incoming.reply(200, 'OK', {
      headers: [
        ['Expires', String(checked.expires)],
        ['Contact', this.dialog.state.localContact],
      ],
    });
    const content = this.notifier.currentContent(this) ?? {};
    if (checked.expires === 0) {
      void this.terminate('timeout', content);
      return;
    }
    this.expires = checked.expires;
    this.armExpiry();
    void this.notify({ ...content, state: this.state });
  }

  /**
   * Sends a NOTIFY. NOTIFYs of one subscription go out one at a time, in order (RFC 3265 §3.2.2
   * ordering, carried into 6665): a new one waits for the previous transaction to finish.
   */
  notify(
    options: NotifyContent & {
      state?: SubscriptionStateValue;
      reason?: TerminationReason;
      retryAfter?: number;
    },
  ): Promise<SipResponse | undefined> {
    const state = options.state ?? this.state;
    if (this.state === 'terminated') return Promise.resolve(undefined);
    this.state = state;
    return new Promise((resolve) => {
      const entry: QueuedNotify = { state, content: options, resolve };
      if (options.reason !== undefined) entry.reason = options.reason;
      if (options.retryAfter !== undefined) entry.retryAfter = options.retryAfter;
      this.queue ??= [];
      this.queue.push(entry);
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      for (let next = this.queue?.shift(); next; next = this.queue?.shift()) {
        const response = await this.sendNotify(next);
        next.resolve(response);
      }
    } finally {
      this.sending = false;
      if (this.queue?.length === 0) this.queue = undefined;
    }
  }

  private async sendNotify(entry: QueuedNotify): Promise<SipResponse> {
    const headers: Array<[string, string]> = [
      ['Event', formatEvent(this.event)],
      [
        'Subscription-State',
        formatSubscriptionState({
          state: entry.state,
          expires: this.remaining,
          ...(entry.reason ? { reason: entry.reason } : {}),
          ...(entry.retryAfter !== undefined ? { retryAfter: entry.retryAfter } : {}),
        }),
      ],
      ...(entry.content.headers ?? []),
    ];
    const body = entry.content.body === undefined ? undefined : Buffer.from(entry.content.body);
    const request = this.dialog.createRequest('NOTIFY', {
      headers,
      ...(body ? { body } : {}),
      ...(body && entry.content.contentType ? { contentType: entry.content.contentType } : {}),
    });
    const response = await this.notifier.ua.send(request);
    // A Digest retry went out with the next CSeq; the dialog continues from there.
    this.dialog.state.localSeq = Math.max(this.dialog.state.localSeq, request.cseq.seq);
    // §4.2.2: 481 means the subscriber is gone; a timeout (408) too (Kamailio timeout_rm_subs).
    if (entry.state !== 'terminated' && (response.status === 481 || response.status === 408)) {
      this.finish(response.status === 481 ? 'noresource' : 'timeout');
    }
    return response;
  }

  /** Ends the subscription with a final NOTIFY (terminated;reason=…). */
  async terminate(
    reason: TerminationReason,
    content: NotifyContent = {},
    retryAfter?: number,
  ): Promise<void> {
    if (this.state === 'terminated') return;
    const done = this.notify({
      ...content,
      state: 'terminated',
      reason,
      ...(retryAfter !== undefined ? { retryAfter } : {}),
    });
    this.finish(reason);
    await done;
  }

  private finish(reason: TerminationReason): void {
    if (this.finished) return;
    this.finished = true;
    this.notifier.expiries.cancel(this);
    this.state = 'terminated';
    this.notifier.removed(this, reason);
    this.emit('terminated', reason);
  }
}

function formatEvent(event: EventHeader): string {
  return event.id === undefined ? event.package : `${event.package};id=${event.id}`;
}
