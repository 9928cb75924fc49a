// The serving end's upward interface (STYLE.md lesson 6): one optional handler per SSP request.
// PS1 implements it (server/ps1-ssp-bridge.ts); the IWF's SSP face implements it too. A handler
// that is missing is answered 501 "Not implemented"; a throw is answered 500.
import type {
  DeliveryStatusReport,
  GetPresenceRequest,
  PresenceNotification,
  SendMessageRequest,
  SspPresenceValue,
  SspStatus,
  SubscribeRequest,
  UnsubscribeRequest,
} from './ssp-model.ts';

export interface SspRequestContext {
  /** The authenticated peer domain of the SSP session the request came in on. */
  peerDomain: string;
  transactionId: string;
}

export interface SspDelegate {
  handleSspSubscribe?(ctx: SspRequestContext, request: SubscribeRequest): Promise<SspStatus>;
  handleSspUnsubscribe?(ctx: SspRequestContext, request: UnsubscribeRequest): Promise<SspStatus>;
  handleSspPresenceNotification?(ctx: SspRequestContext, request: PresenceNotification): Promise<SspStatus>;
  handleSspGetPresence?(
    ctx: SspRequestContext,
    request: GetPresenceRequest,
  ): Promise<{ status: SspStatus; presences: SspPresenceValue[] }>;
  handleSspSendMessage?(
    ctx: SspRequestContext,
    request: SendMessageRequest,
  ): Promise<{ status: SspStatus; messageId?: string }>;
  handleSspDeliveryStatusReport?(ctx: SspRequestContext, request: DeliveryStatusReport): Promise<SspStatus>;
}
