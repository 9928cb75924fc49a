// STYLE lesson 5: the presence agent is a format-free core plus one EventPackage per event
// package (Kamailio's pres_ev_t). A package decides authorization and the body each watcher
// gets; the core owns the Notifier, the subscription index and the per-subscription data.
import type {
  IncomingRequest,
  NotifierSubscription,
  NotifyContent,
  SubscribeDecision,
} from '../sip/core/index.ts';

/** What the core knows about a subscription before the package sees it. */
export interface SubscriptionContext {
  subscription: NotifierSubscription;
  request: IncomingRequest;
  /** The presentity / resource (AOR key of the Request-URI), e.g. `sip:jane@domain2.lab`. */
  resource: string;
  /** The authenticated watcher identity (AOR key), e.g. `sip:bob@domain2.lab`. */
  watcher: string;
}

export interface EventPackage {
  /** Event package token (RFC 6665 §8.2). */
  readonly name: string;
  /** Default body type of its NOTIFYs. */
  readonly contentType: string;
  /** Body types it can produce; a SUBSCRIBE whose Accept lists none of them gets 406. */
  readonly accepts: readonly string[];
  /** Authorizes a new subscription and gives the first NOTIFY (or a rejection). */
  authorize(ctx: SubscriptionContext): SubscribeDecision;
  /** The current NOTIFY content for a subscription (after a refresh, or on a state change). */
  bodyForWatcher(subscription: NotifierSubscription): NotifyContent | undefined;
  /** The NOTIFY content for a state change (partial state where the watcher asked for it). */
  changeContent?(subscription: NotifierSubscription): NotifyContent | undefined;
  /** The subscription ended. */
  terminated?(subscription: NotifierSubscription, reason: string): void;
}

/** Per-subscription data every package may read (kept in NotifierSubscription.data). */
export interface SubscriptionData {
  resource: string;
  watcher: string;
  package: string;
  /** The SUBSCRIBE's Accept values (lower-case media types), empty when absent. */
  accept: string[];
}

export function subscriptionData(sub: NotifierSubscription): SubscriptionData {
  return sub.data as unknown as SubscriptionData;
}
