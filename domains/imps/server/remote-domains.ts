// What PS1 needs from the server-to-server side (imps.md §10), as one small interface: the SSP
// client in domains/imps/ssp implements it; PS1 never imports SSP wire details. Inbound SSP
// requests come the other way through Ps1RemoteInbound (ps1-remote-inbound.ts).
import type { PresenceSubList } from '../csp/model/presence-attributes.ts';
import type { AttributeKey } from './presence-attributes.ts';

export interface RemoteDetail {
  code: number;
  description?: string;
  userIds: string[];
}

export interface RemoteResult {
  code: number;
  description?: string;
  details?: RemoteDetail[];
}

export interface RemotePresence {
  userId: string;
  presenceSubList: PresenceSubList;
}

export interface RemoteMessage {
  messageId: string;
  sender: string;
  recipients: string[];
  contentType: string;
  /** Text content (SSP carries it base64 on the wire). */
  content: string;
  deliveryReport: boolean;
  validity?: number;
  dateTime?: string;
}

export interface RemoteDeliveryReport {
  messageId: string;
  /** The original sender, who receives the report. */
  sender: string;
  recipient: string;
  code: number;
  description?: string;
  deliveryTime?: string;
}

export interface RemoteDomainGateway {
  /** True when the static routing table has this domain (anything else is 516, never looked up). */
  routes(domain: string): boolean;
  subscribe(
    watcher: string,
    targets: string[],
    attributes: AttributeKey[] | undefined,
  ): Promise<RemoteResult>;
  unsubscribe(watcher: string, targets: string[]): Promise<RemoteResult>;
  getPresence(
    watcher: string,
    targets: string[],
    attributes: AttributeKey[] | undefined,
  ): Promise<{ result: RemoteResult; presences: RemotePresence[] }>;
  sendMessage(message: RemoteMessage): Promise<{ result: RemoteResult; messageId?: string }>;
  /** A local publisher's presence for remote watchers (all in one domain). */
  notifyPresence(watchers: string[], presences: RemotePresence[]): Promise<RemoteResult>;
  deliveryReport(report: RemoteDeliveryReport): Promise<RemoteResult>;
}
