// The SIP user-agent core: the API PS2, Jane's terminal and the IWF's SIP face build on.
// See docs/sip-stack.md.
export { Dialog, type DialogState, dialogId } from './dialog.ts';
export {
  type EventHeader,
  formatSubscriptionState,
  parseEventHeader,
  parseSubscriptionState,
  type SubscriptionStateHeader,
  type SubscriptionStateValue,
  sameEvent,
  type TerminationReason,
} from './event-header.ts';
export { defaultReason, IncomingRequest, type ReplyOptions } from './incoming-request.ts';
export {
  Notifier,
  type NotifierDelegate,
  type NotifierOptions,
  NotifierSubscription,
  type NotifyContent,
  type SubscribeDecision,
} from './notifier.ts';
export { type ForwardOptions, forwardRequest, isOwnRoute, proxyRouteUri } from './proxy.ts';
export { Publisher, type PublisherOptions } from './publisher.ts';
export { Registration, type RegistrationOptions } from './registration.ts';
export { type DomainRoute, type RouteResolution, StaticRouter } from './routing.ts';
export {
  type NotifyInfo,
  type SubscribeOptions,
  Subscriber,
  type SubscriberState,
  type TerminationInfo,
} from './subscriber.ts';
export {
  type DialogUsage,
  type OutgoingRequestOptions,
  type RequestHandler,
  SipUserAgent,
  type SipUserAgentOptions,
} from './user-agent.ts';
