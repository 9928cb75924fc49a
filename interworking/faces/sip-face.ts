// The IWF's SIP face (STYLE.md lesson 6): the SIP entry point for the IMPS domains on one
// loopback address (UDP + TCP), built on domains/simple/sip/core. It is an endpoint, never a
// proxy: SUBSCRIBEs and MESSAGEs for IMPS users end here and go to the core; the core's
// SUBSCRIBEs and MESSAGEs go out to the SIMPLE domain through the static route table. Dialogs
// can be rebuilt from stored state after a restart (RFC 3261 §12: a dialog is just its state).
import type { Clock } from '../../common/clock.ts';
import type { IdSource } from '../../common/ids.ts';
import {
  Dialog,
  type DialogState,
  type IncomingRequest,
  Notifier,
  type NotifierDelegate,
  NotifierSubscription,
  type NotifyContent,
  parseEventHeader,
  SipUserAgent,
  StaticRouter,
  type SubscribeDecision,
  type SubscribeOptions,
  Subscriber,
  type TerminationReason,
} from '../../domains/simple/sip/core/index.ts';
import type { SubscriberDelegate } from '../../domains/simple/sip/core/subscriber.ts';
import { SipHeaders, SipResponse } from '../../domains/simple/sip/message/sip-message.ts';
import { parseUri } from '../../domains/simple/sip/message/uri-codec.ts';

/** What the core does with SIP traffic that reaches the face. */
export interface SipFaceHandlers {
  /** A new SUBSCRIBE for an IMPS presentity: the first NOTIFY's state, or a refusal. */
  handleSipSubscribe(
    subscription: NotifierSubscription,
    request: IncomingRequest,
  ): Promise<SubscribeDecision>;
  /** The NOTIFY content after a refresh (current state of the IMPS presentity). */
  currentContent(subscription: NotifierSubscription): NotifyContent | undefined;
  /** A subscription the IWF served ended (unsubscribe, expiry, 481 to a NOTIFY …). */
  handleSipSubscriptionEnded(subscription: NotifierSubscription, reason: TerminationReason): void;
  /** A MESSAGE for an IMPS user (or an IMDN for one): the core replies. */
  handleSipMessage(request: IncomingRequest): Promise<void>;
}

export interface SipFaceOptions {
  node: string;
  address: string;
  port: number;
  /** Next hops of the SIMPLE domains (the stand-in for DNS SRV). */
  routes: Record<string, { address: string; port: number }>;
  clock?: Clock;
  ids?: IdSource;
  /** Give up on an outgoing request after this long and answer 408 (default 4 s). */
  requestTimeoutMs?: number;
}

export const PRESENCE_EVENTS = ['presence'];

export class SipFace {
  readonly ua: SipUserAgent;
  readonly notifier: Notifier;
  private readonly requestTimeoutMs: number;

  constructor(
    options: SipFaceOptions,
    private readonly handlers: SipFaceHandlers,
  ) {
    this.requestTimeoutMs = options.requestTimeoutMs ?? 4000;
    this.ua = new SipUserAgent({
      node: options.node,
      address: options.address,
      port: options.port,
      router: new StaticRouter(options.routes),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.ids ? { ids: options.ids } : {}),
      product: 'imps-simple-lab-iwf/0.1',
    });
    const delegate: NotifierDelegate = {
      onSubscribe: (sub, req) => this.handlers.handleSipSubscribe(sub, req),
      currentContent: (sub) => this.handlers.currentContent(sub),
      onTerminated: (sub, reason) => this.handlers.handleSipSubscriptionEnded(sub, reason),
    };
    // RFC 3856 §6.4: presence subscriptions; no winfo (IMPS watcher lists are not exported).
    this.notifier = new Notifier(
      this.ua,
      { events: PRESENCE_EVENTS, minExpires: 60, maxExpires: 3600 },
      delegate,
    );
    this.ua.on('MESSAGE', (req) => this.handlers.handleSipMessage(req));
  }

  async start(): Promise<void> {
    await this.ua.start();
  }

  async stop(): Promise<void> {
    await this.ua.stop();
  }

  get clock(): Clock {
    return this.ua.clock;
  }

  /** A new subscription toward the SIMPLE side; its events go to the delegate, then it subscribes. */
  subscriber(options: SubscribeOptions, delegate?: SubscriberDelegate): Subscriber {
    return new Subscriber(this.ua, options, delegate);
  }

  /**
   * Rebuilds a subscriber usage from stored dialog state (after a restart) and registers it, so
   * in-dialog NOTIFYs are served again; the caller refreshes it at once to learn it is alive.
   * The usage holds `state` itself (the caller's link may keep the same object).
   */
  resumeSubscriber(
    options: SubscribeOptions,
    state: DialogState,
    active: boolean,
    delegate?: SubscriberDelegate,
  ): Subscriber {
    const sub = new Subscriber(this.ua, { ...options, autoRefresh: true }, delegate);
    sub.resume(new Dialog(state), active ? 'active' : 'pending');
    return sub;
  }

  /** Rebuilds a served subscription (the IWF as notifier) from stored dialog state. */
  resumeNotifierSubscription(
    state: DialogState,
    event: string,
    watcher: string,
    remainingSeconds: number,
    subscriptionState: 'pending' | 'active',
  ): NotifierSubscription | undefined {
    const ev = parseEventHeader(event);
    if (!ev) return undefined;
    let uri: ReturnType<typeof parseUri>;
    try {
      uri = parseUri(watcher);
    } catch {
      return undefined;
    }
    const sub = new NotifierSubscription(this.notifier, new Dialog(state), ev, uri, remainingSeconds);
    sub.state = subscriptionState;
    this.ua.addDialogUsage(sub.id, sub);
    sub.armExpiry();
    return sub;
  }

  /** Out-of-dialog MESSAGE (RFC 3428) toward the SIMPLE side; 408 when nothing comes back in time. */
  message(options: {
    uri: string;
    from: string;
    to: string;
    body: Buffer;
    contentType: string;
  }): Promise<SipResponse> {
    return this.withDeadline(
      this.ua.request({
        method: 'MESSAGE',
        uri: options.uri,
        from: options.from,
        to: options.to,
        body: options.body,
        contentType: options.contentType,
      }),
    );
  }

  /** Resolves with the response, or a synthesized 408 when the peer is silent past the deadline. */
  async withDeadline(pending: Promise<SipResponse>): Promise<SipResponse> {
    let timer: ReturnType<Clock['setTimer']> | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = this.ua.clock.setTimer(this.requestTimeoutMs, () => resolve('timeout'));
    });
    const winner = await Promise.race([pending, timeout]);
    timer?.cancel();
    if (winner !== 'timeout') return winner;
    return new SipResponse(408, 'Request Timeout - no answer from the SIMPLE domain', new SipHeaders());
  }
}
