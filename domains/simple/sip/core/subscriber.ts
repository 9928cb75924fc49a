import type { TimerHandle } from '../../../../common/clock.ts';
import type { NameAddr } from '../message/name-addr.ts';
import type { SipRequest, SipResponse } from '../message/sip-message.ts';
import type { TransportProtocol } from '../transport/transport.ts';
import { Dialog, intern } from './dialog.ts';
import { DueSchedule, type Scheduled } from './due-schedule.ts';
import {
  type EventHeader,
  parseEventHeader,
  parseSubscriptionState,
  type SubscriptionStateHeader,
  sameEvent,
  type TerminationReason,
} from './event-header.ts';
import type { IncomingRequest } from './incoming-request.ts';
import { TypedEmitter } from './typed-emitter.ts';
import type { DialogUsage, EarlyNotifyClaimer, SipUserAgent } from './user-agent.ts';

// RFC 6665 §4.1: the subscriber side of a subscription dialog usage. One instance per
// subscription: initial SUBSCRIBE, NOTIFY handling (also before the 2xx), refresh, Timer N,
// unsubscribe, fetch (Expires: 0), and termination with the reason the notifier gave.
//
// A gateway keeps tens of thousands of these for hours, so a usage holds only what refreshes and
// NOTIFYs need: the initial request and its options are dropped once the dialog exists, the
// parsed Event header is shared by every usage of the package, and events can go to one shared
// SubscriberDelegate instead of listeners per usage.

export type SubscriberState = 'init' | 'notify-wait' | 'pending' | 'active' | 'terminated';

export interface SubscribeOptions {
  /** Request-URI: the resource (presentity, list, own URI for winfo). */
  target: string;
  from: string | NameAddr;
  /** Event package, e.g. `presence`, `presence.winfo`; may carry `;id=`. */
  event: string;
  /** Requested duration; 0 makes this a fetch. Default 3600. */
  expires?: number;
  accept?: string[];
  headers?: Array<[string, string]>;
  body?: Buffer | string;
  contentType?: string;
  protocol?: TransportProtocol;
  /** Refresh automatically before expiry (default true). */
  autoRefresh?: boolean;
}

export interface NotifyInfo {
  request: SipRequest;
  state: SubscriptionStateHeader;
  body: Buffer;
  contentType: string | undefined;
}

export interface TerminationInfo {
  /** The notifier's reason, or ours: `timer-n`, `rejected-<status>`, `refresh-failed`, `unsubscribed`. */
  reason: TerminationReason;
  retryAfter?: number;
  /** The final response when the SUBSCRIBE itself failed. */
  response?: SipResponse;
}

/** Receives the events of many usages without per-usage listeners (one object serves them all). */
export interface SubscriberDelegate {
  /** A NOTIFY was accepted (answered 200) in the usage's dialog. */
  onNotify?(subscriber: Subscriber, info: NotifyInfo): void;
  /** The usage ended. */
  onTerminated?(subscriber: Subscriber, info: TerminationInfo): void;
}

// The refresh timers of every usage of one user agent: one Clock timer (see DueSchedule).
const REFRESHES = new WeakMap<SipUserAgent, DueSchedule>();
function refreshesOf(ua: SipUserAgent): DueSchedule {
  let schedule = REFRESHES.get(ua);
  if (!schedule) {
    schedule = new DueSchedule(ua.clock);
    REFRESHES.set(ua, schedule);
  }
  return schedule;
}

// Parsed Event headers by text, shared read-only by the usages of a package: a handful of texts.
const EVENTS = new Map<string, EventHeader>();
function sharedEvent(text: string): EventHeader | undefined {
  const known = EVENTS.get(text);
  if (known) return known;
  const event = parseEventHeader(text);
  if (event && EVENTS.size < 64) EVENTS.set(text, event);
  return event;
}

type SubscriberEvents = {
  accepted: [response: SipResponse];
  notify: [info: NotifyInfo];
  state: [state: SubscriberState];
  terminated: [info: TerminationInfo];
};

export class Subscriber
  extends TypedEmitter<SubscriberEvents>
  implements DialogUsage, EarlyNotifyClaimer, Scheduled
{
  state: SubscriberState = 'init';
  dialog: Dialog | undefined;
  /** Expiry granted by the notifier, in seconds, as last learnt. */
  expires: number;
  readonly event: EventHeader;
  /** Expires: 0 — one NOTIFY with the current state, no subscription (§4.4.3). */
  readonly isFetch: boolean;
  delegate: SubscriberDelegate | undefined;
  private readonly eventText: string;
  /** The Accept value of every SUBSCRIBE of the usage. */
  private readonly accept: string | undefined;
  private readonly protocol: TransportProtocol | undefined;
  private readonly autoRefresh: boolean;
  /** What only the initial SUBSCRIBE needs: dropped once the dialog exists or the usage ends. */
  private options: SubscribeOptions | undefined;
  private initial: SipRequest | undefined;
  private timerN: TimerHandle | undefined;
  /** The slot of this usage's refresh in its agent's schedule (-1: none). */
  scheduleSlot = -1;
  private unsubscribeTimer: TimerHandle | undefined;
  private terminatedInfo: TerminationInfo | undefined;
  private inFlight = false;

  constructor(
    private readonly ua: SipUserAgent,
    options: SubscribeOptions,
    delegate?: SubscriberDelegate,
  ) {
    super();
    const event = sharedEvent(options.event);
    if (!event) throw new Error(`invalid Event: ${options.event}`);
    this.event = event;
    this.eventText = options.event;
    this.expires = options.expires ?? 3600;
    this.isFetch = this.expires === 0;
    this.accept = options.accept?.length ? intern(options.accept.join(', ')) : undefined;
    this.protocol = options.protocol;
    this.autoRefresh = options.autoRefresh !== false;
    this.options = options;
    this.delegate = delegate;
  }

  get id(): string | undefined {
    return this.dialog?.id;
  }

  /**
   * Takes over a dialog rebuilt from stored state (after a restart): registers the usage so
   * in-dialog NOTIFYs are served again. The caller refreshes at once to learn it is alive.
   */
  resume(dialog: Dialog, state: 'pending' | 'active'): void {
    this.bind(dialog);
    this.state = state;
  }

  /** Resolves when the subscription is accepted (2xx) or has ended. */
  async subscribe(): Promise<SipResponse> {
    const o = this.options;
    if (!o) throw new Error('subscribe(): the usage already has a dialog or has ended');
    const headers: Array<[string, string]> = [
      ['Event', o.event],
      ['Expires', String(this.expires)],
    ];
    if (o.accept?.length) headers.push(['Accept', o.accept.join(', ')]);
    headers.push(...(o.headers ?? []));
    const request = this.ua.createRequest({
      method: 'SUBSCRIBE',
      uri: o.target,
      from: o.from,
      headers,
      body: o.body,
      contentType: o.contentType,
      protocol: o.protocol,
    });
    this.options = undefined;
    this.initial = request;
    this.setState('notify-wait');
    this.ua.addEarlyNotifyClaimer(this);
    this.startTimerN();
    let response = await this.ua.send(request, { protocol: o.protocol });
    if (response.status === 423 && this.state !== 'terminated') {
      // §4.1.2.1 / RFC 3261 §10.2.8 analogue: retry once with the notifier's Min-Expires.
      const min = Number(response.headers.get('Min-Expires'));
      if (Number.isFinite(min) && min > this.expires) {
        this.expires = min;
        request.headers.delete('Via');
        request.headers.set('Expires', String(min));
        request.headers.set('CSeq', `${request.cseq.seq + 1} SUBSCRIBE`);
        response = await this.ua.send(request, { protocol: o.protocol });
      }
    }
    this.onInitialResponse(request, response);
    return response;
  }

  private onInitialResponse(request: SipRequest, response: SipResponse): void {
    // The initial request has served its purpose (early NOTIFYs match it until now).
    this.initial = undefined;
    if (this.state === 'terminated') return;
    if (response.status >= 200 && response.status < 300) {
      // §4.1.2.1: 202 is treated exactly like 200 (RFC 6665 retired the distinction).
      if (!this.dialog) this.bind(Dialog.asUac(request, response, request.headers.get('Contact') ?? ''));
      else this.dialog.refreshTarget(response);
      const granted = response.expires;
      if (granted !== undefined) this.expires = Math.min(granted, this.expires);
      this.emit('accepted', response);
      this.scheduleRefresh();
      return;
    }
    this.terminate({ reason: `rejected-${response.status}`, response });
  }

  /** RFC 6665 §4.1.2.4: a NOTIFY may create the dialog before the 2xx arrives. */
  claimEarlyNotify(incoming: IncomingRequest): boolean {
    const request = incoming.request;
    const initial = this.initial;
    if (!initial || this.dialog || this.state === 'terminated') return false;
    if (request.callId !== initial.callId || request.toTag !== initial.fromTag) return false;
    const event = parseEventHeader(request.headers.get('Event'));
    if (!event || !sameEvent(event, this.event)) return false;
    this.bind(Dialog.asUac(initial, request, initial.headers.get('Contact') ?? ''));
    this.dialog!.state.remoteSeq = undefined;
    this.onDialogRequest(incoming);
    return true;
  }

  private bind(dialog: Dialog): void {
    this.dialog = dialog;
    this.options = undefined;
    this.ua.removeEarlyNotifyClaimer(this);
    this.ua.addDialogUsage(dialog.id, this);
  }

  onDialogRequest(incoming: IncomingRequest): void {
    const request = incoming.request;
    if (request.method !== 'NOTIFY') {
      incoming.reply(405, 'Method Not Allowed', { headers: [['Allow', 'NOTIFY']] });
      return;
    }
    const event = parseEventHeader(request.headers.get('Event'));
    if (!event || !sameEvent(event, this.event)) {
      // §4.1.3: a NOTIFY whose Event does not match the subscription → 489.
      incoming.reply(489, 'Bad Event', { headers: [['Allow-Events', this.event.package]] });
      return;
    }
    const state = parseSubscriptionState(request.headers.get('Subscription-State'));
    if (!state) {
      incoming.reply(400, 'Bad Request - Missing or malformed Subscription-State');
      return;
    }
    const accepted = this.dialog!.acceptRequest(request, true);
    if (!accepted.ok) {
      incoming.reply(accepted.status, accepted.reason);
      return;
    }
    incoming.reply(200, 'OK');
    this.cancelTimerN();
    if (state.expires !== undefined && state.state !== 'terminated' && state.expires < this.expires) {
      // §4.1.2.2: the NOTIFY's expires may shorten the subscription; reschedule the refresh.
      this.expires = state.expires;
      this.scheduleRefresh();
    }
    const info: NotifyInfo = { request, state, body: request.body, contentType: request.contentType };
    this.delegate?.onNotify?.(this, info);
    this.emit('notify', info);
    if (state.state === 'terminated') {
      const info: TerminationInfo = { reason: state.reason ?? 'unknown' };
      if (state.retryAfter !== undefined) info.retryAfter = state.retryAfter;
      this.terminate(info);
    } else if (state.state === 'active' || state.state === 'pending') {
      this.setState(state.state as SubscriberState);
    }
  }

  /** Sends an in-dialog SUBSCRIBE extending the subscription (§4.1.2.2). */
  async refresh(expires = this.expires): Promise<SipResponse | undefined> {
    if (!this.dialog || this.state === 'terminated' || this.inFlight) return undefined;
    this.inFlight = true;
    try {
      const headers: Array<[string, string]> = [
        ['Event', this.eventText],
        ['Expires', String(expires)],
      ];
      if (this.accept) headers.push(['Accept', this.accept]);
      const request = this.dialog.createRequest('SUBSCRIBE', { headers });
      if (expires > 0) this.startTimerN();
      const response = await this.ua.send(request, { protocol: this.protocol });
      // A Digest retry went out with the next CSeq; the dialog continues from there.
      this.dialog.state.localSeq = Math.max(this.dialog.state.localSeq, request.cseq.seq);
      if ((this.state as SubscriberState) === 'terminated') return response;
      if (response.status >= 200 && response.status < 300) {
        this.dialog.refreshTarget(response);
        if (expires > 0) {
          this.expires = Math.min(response.expires ?? expires, expires);
          this.scheduleRefresh();
        }
      } else if (expires > 0) {
        // §4.1.2.2: a failed refresh (481, 408 …) ends the subscription.
        this.terminate({ reason: 'refresh-failed', response });
      }
      return response;
    } finally {
      this.inFlight = false;
    }
  }

  /**
   * §4.1.2.3: unsubscribe with Expires: 0; the notifier answers with a final NOTIFY. If none comes
   * within 64*T1 the usage ends anyway.
   */
  async unsubscribe(): Promise<void> {
    if (this.state === 'terminated') return;
    this.clearRefresh();
    if (!this.dialog) {
      this.terminate({ reason: 'unsubscribed' });
      return;
    }
    this.unsubscribeTimer = this.ua.clock.setTimer(this.ua.transactions.timerValues.t1 * 64, () =>
      this.terminate({ reason: 'unsubscribed' }),
    );
    const response = await this.refresh(0);
    if (response && response.status >= 300) this.terminate({ reason: 'unsubscribed', response });
  }

  private scheduleRefresh(): void {
    this.clearRefresh();
    if (!this.autoRefresh || this.expires <= 0) return;
    // Refresh ahead of expiry: at expires − 10 s, but never before half the interval.
    const seconds = Math.max(this.expires / 2, this.expires - 10);
    refreshesOf(this.ua).set(this, seconds * 1000);
  }

  /** The refresh is due (the agent's schedule calls it). */
  onDue(): void {
    void this.refresh();
  }

  private clearRefresh(): void {
    if (this.scheduleSlot >= 0) refreshesOf(this.ua).cancel(this);
  }

  private startTimerN(): void {
    this.cancelTimerN();
    // RFC 6665 §4.1.2.4: Timer N (64*T1) after any SUBSCRIBE that is not an unsubscribe.
    this.timerN = this.ua.clock.setTimer(this.ua.transactions.timerValues.t1 * 64, () => {
      if (this.state !== 'terminated') this.terminate({ reason: 'timer-n' });
    });
  }

  private cancelTimerN(): void {
    this.timerN?.cancel();
    this.timerN = undefined;
  }

  private setState(state: SubscriberState): void {
    if (this.state === state) return;
    this.state = state;
    this.emit('state', state);
  }

  /** Local end of the usage; safe to call more than once. */
  terminate(info: TerminationInfo): void {
    if (this.state === 'terminated') return;
    this.terminatedInfo = info;
    this.options = undefined;
    this.initial = undefined;
    this.cancelTimerN();
    this.clearRefresh();
    this.unsubscribeTimer?.cancel();
    this.ua.removeEarlyNotifyClaimer(this);
    // Keep the dialog usage registered for a moment would let late NOTIFYs get 200; RFC 6665
    // §4.1.3 allows 481 for them, which is what removing it gives.
    if (this.dialog) this.ua.removeDialogUsage(this.dialog.id);
    this.setState('terminated');
    this.delegate?.onTerminated?.(this, info);
    this.emit('terminated', info);
  }

  get termination(): TerminationInfo | undefined {
    return this.terminatedInfo;
  }
}
