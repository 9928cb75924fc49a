// PS2's configuration (docs/ps2.md "Configuration"): addresses, users, routing, trust, policy.
import type { Clock } from '../../../common/clock.ts';
import type { IdSource } from '../../../common/ids.ts';
import type { DigestAlgorithm } from '../sip/auth/index.ts';
import type { DomainRoute } from '../sip/core/index.ts';
import type { VisitedNetwork } from './presence-network-agent.ts';

export interface Ps2Config {
  /** The domain PS2 serves. */
  domain: string;
  /** Its SIP and XCAP address (127.0.2.1 in the lab). */
  address: string;
  /** SIP port (UDP + TCP); 0 = any. Default 5060. */
  sipPort?: number;
  /** XCAP (HTTP) port; 0 = any. Default 5080. */
  xcapPort?: number;
  /** Local users and their passwords (Digest for SIP, Basic for XCAP). */
  users: Readonly<Record<string, string>>;
  /** Next hops of other domains (the static table standing in for DNS): domain1.lab → IWF. */
  routes?: Readonly<Record<string, DomainRoute>>;
  /** domain → the only source address that may claim its identities (domain1.lab → the IWF). */
  trustedPeers?: Readonly<Record<string, string>>;
  /** Visited networks whose proxies users may register through (roaming). */
  visitedNetworks?: readonly VisitedNetwork[];
  /** Challenge PUBLISH/SUBSCRIBE/MESSAGE from local identities with Digest (default true). */
  requireAuth?: boolean;
  /**
   * Digest algorithms offered, strongest first (default SHA-256 then MD5, RFC 8760 §2.4). Peers
   * that take the first challenge and know only MD5 (SIPp 3.6) need ['MD5'].
   */
  digestAlgorithms?: DigestAlgorithm[];
  /** RFC 3856 §6.6.3 NOTIFY rate limit per subscription (ms); default 5000, 0 = off (tests). */
  notifyMinIntervalMs?: number;
  minExpires?: number;
  maxExpires?: number;
  /** Largest PUBLISH / MESSAGE / SUBSCRIBE body (413 above). Default 64 KiB. */
  maxBodyBytes?: number;
  /** How long a message for an offline user is kept (ms). Default 24 h. */
  messageTtlMs?: number;
  clock?: Clock;
  ids?: IdSource;
  /** Node name in traces. Default `ps2`. */
  node?: string;
}

export const DEFAULT_PS2_CONFIG = {
  domain: 'domain2.lab',
  address: '127.0.2.1',
  sipPort: 5060,
  xcapPort: 5080,
  routes: { 'domain1.lab': { address: '127.0.3.1', port: 5060 } },
  trustedPeers: { 'domain1.lab': '127.0.3.1' },
  visitedNetworks: [{ address: '127.0.4.1', name: 'visited.lab', accessType: 'roaming' }],
  notifyMinIntervalMs: 5000,
} as const;
