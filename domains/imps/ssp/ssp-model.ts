// The typed SSP model (imps.md §10, WV-SSP 1.3 as implemented by baraza): envelope, session
// setup elements and the content elements PS1 and the IWF exchange. Attribute-style XML, unlike
// CSP; PresenceSubList values reuse the CSP presence-attribute model (PA 1.3 namespace).
import type { PresenceSubList } from '../csp/model/presence-attributes.ts';

export const SSP_NS = 'http://www.openmobilealliance.org/DTD/WV-SSP1.3';
export const SSP_PA_NS = 'http://www.openmobilealliance.org/DTD/IMPS-PA1.3';
export const SSP_CONTENT_TYPE = 'application/vnd.wv.ssp+xml';

export interface SspDetail {
  code: number;
  description?: string;
  userIds: string[];
  domain?: string;
}

export interface SspStatus {
  code: number;
  description?: string;
  details?: SspDetail[];
}

/** MetaInfo/Requestor: the originating server (serviceID `wv:@domain`) and user. */
export interface SspMetaInfo {
  serviceId: string;
  userId?: string;
  clientOriginated?: boolean;
}

export interface SspPresenceValue {
  userId: string;
  presenceSubList: PresenceSubList;
}

export interface SspMessageInfo {
  messageId?: string;
  contentType?: string;
  contentSize?: number;
  validity?: number;
  recipients: string[];
  sender: string;
  dateTime?: string;
}

export interface SubscribeRequest {
  kind: 'SubscribeRequest';
  meta: SspMetaInfo;
  userIds: string[];
  /** Attribute element names (`OnlineStatus` …); undefined = all. */
  attributes?: string[];
}
export interface UnsubscribeRequest {
  kind: 'UnsubscribeRequest';
  meta: SspMetaInfo;
  userIds: string[];
}
export interface PresenceNotification {
  kind: 'PresenceNotification';
  meta: SspMetaInfo;
  /** The watchers the notification is for. */
  recipients: string[];
  presences: SspPresenceValue[];
}
export interface GetPresenceRequest {
  kind: 'GetPresenceRequest';
  meta: SspMetaInfo;
  userIds: string[];
  attributes?: string[];
}
export interface GetPresenceResponse {
  kind: 'GetPresenceResponse';
  status: SspStatus;
  presences: SspPresenceValue[];
}
export interface SendMessageRequest {
  kind: 'SendMessageRequest';
  meta: SspMetaInfo;
  deliveryReport: boolean;
  message: SspMessageInfo;
  /** Decoded content (base64 on the wire, imps.md §10 "content always base64"). */
  content: string;
}
export interface SendMessageResponse {
  kind: 'SendMessageResponse';
  messageId?: string;
  status: SspStatus;
}
export interface DeliveryStatusReport {
  kind: 'DeliveryStatusReport';
  meta: SspMetaInfo;
  result: SspStatus;
  deliveryTime?: string;
  message: SspMessageInfo;
}
export interface StatusContent {
  kind: 'Status';
  status: SspStatus;
}
export interface SendSecretToken {
  kind: 'SendSecretToken';
  serviceId: string;
  secretToken: string;
}
export interface LoginRequest {
  kind: 'LoginRequest';
  serviceId: string;
  timeToLive?: number;
  passwordDigest: string;
}
export interface LoginResponse {
  kind: 'LoginResponse';
  sessionId?: string;
  timeToLive?: number;
  status: SspStatus;
}

export type SspRequestContent =
  | SubscribeRequest
  | UnsubscribeRequest
  | PresenceNotification
  | GetPresenceRequest
  | SendMessageRequest
  | DeliveryStatusReport;

export type SspContent =
  | SspRequestContent
  | GetPresenceResponse
  | SendMessageResponse
  | StatusContent
  | SendSecretToken
  | LoginRequest
  | LoginResponse;

export type SspMode = 'Request' | 'Response';

export interface SspTransaction {
  mode: SspMode;
  transactionId: string;
  content: SspContent;
}

export interface SspMessage {
  /** SetupTransaction directly under WV-SSP-Message (session setup), else Session/Transaction. */
  setup: boolean;
  sessionId?: string;
  transactions: SspTransaction[];
}

export function domainOfServiceId(serviceId: string): string {
  const at = serviceId.lastIndexOf('@');
  return at < 0 ? '' : serviceId.slice(at + 1).toLowerCase();
}
