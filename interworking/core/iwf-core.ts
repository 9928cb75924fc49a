// The core routes between the faces (STYLE.md lesson 6): it implements both faces' handler
// interfaces and hands each request to the route that owns it — Harry watching Jane
// (imps-watch.ts), Jane watching Harry (sip-watch.ts), instant messages (messages.ts). Faces
// and store are attached before the first request can arrive (lesson 8: links resolved before
// handlers run).
import type { SspRequestContext } from '../../domains/imps/ssp/ssp-delegate.ts';
import type {
  DeliveryStatusReport,
  GetPresenceRequest,
  PresenceNotification,
  SendMessageRequest,
  SspPresenceValue,
  SspStatus,
  SubscribeRequest,
  UnsubscribeRequest,
} from '../../domains/imps/ssp/ssp-model.ts';
import type {
  IncomingRequest,
  NotifierSubscription,
  NotifyContent,
  SubscribeDecision,
  TerminationReason,
} from '../../domains/simple/sip/core/index.ts';
import type { SipFaceHandlers } from '../faces/sip-face.ts';
import type { SspFaceHandlers } from '../faces/ssp-face.ts';
import type { CoreContext } from './context.ts';
import { ImpsWatchRoute } from './imps-watch.ts';
import { MessageRoute } from './messages.ts';
import { SipWatchRoute } from './sip-watch.ts';

export class IwfCore implements SspFaceHandlers, SipFaceHandlers {
  private routes: { imps: ImpsWatchRoute; sip: SipWatchRoute; im: MessageRoute } | undefined;

  /** Binds the routes to the faces and the store; must run before the faces start listening. */
  attach(ctx: CoreContext): void {
    this.routes = { imps: new ImpsWatchRoute(ctx), sip: new SipWatchRoute(ctx), im: new MessageRoute(ctx) };
  }

  private get r() {
    if (!this.routes) throw new Error('IWF core used before attach()');
    return this.routes;
  }

  /** Rebuilds stored subscriptions and resends in-flight IMs (after the faces listen). */
  resume(): void {
    this.r.sip.resume();
    this.r.imps.resume();
    this.r.im.resume();
  }

  detach(): void {
    this.routes?.imps.detach();
    this.routes?.sip.detach();
  }

  get counts(): { impsWatches: number; sipWatches: number } {
    return { impsWatches: this.r.imps.size, sipWatches: this.r.sip.size };
  }

  // ---- SSP face (PS1 → IWF) ----
  handleSspSubscribe(c: SspRequestContext, req: SubscribeRequest): Promise<SspStatus> {
    return this.r.imps.handleSspSubscribe(c, req);
  }
  handleSspUnsubscribe(c: SspRequestContext, req: UnsubscribeRequest): Promise<SspStatus> {
    return this.r.imps.handleSspUnsubscribe(c, req);
  }
  handleSspGetPresence(
    c: SspRequestContext,
    req: GetPresenceRequest,
  ): Promise<{ status: SspStatus; presences: SspPresenceValue[] }> {
    return this.r.imps.handleSspGetPresence(c, req);
  }
  handleSspPresenceNotification(c: SspRequestContext, req: PresenceNotification): Promise<SspStatus> {
    return this.r.sip.handleSspPresenceNotification(c, req);
  }
  handleSspSendMessage(
    c: SspRequestContext,
    req: SendMessageRequest,
  ): Promise<{ status: SspStatus; messageId?: string }> {
    return this.r.im.handleSspSendMessage(c, req);
  }
  handleSspDeliveryStatusReport(c: SspRequestContext, req: DeliveryStatusReport): Promise<SspStatus> {
    return this.r.im.handleSspDeliveryStatusReport(c, req);
  }

  // ---- SIP face (PS2 → IWF) ----
  handleSipSubscribe(sub: NotifierSubscription, req: IncomingRequest): Promise<SubscribeDecision> {
    return this.r.sip.handleSipSubscribe(sub, req);
  }
  currentContent(sub: NotifierSubscription): NotifyContent | undefined {
    return this.r.sip.currentContent(sub);
  }
  handleSipSubscriptionEnded(sub: NotifierSubscription, reason: TerminationReason): void {
    this.r.sip.handleSipSubscriptionEnded(sub, reason);
  }
  handleSipMessage(req: IncomingRequest): Promise<void> {
    return this.r.im.handleSipMessage(req);
  }
}
