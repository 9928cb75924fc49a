// PS1's configuration: one object, every field defaulted for the lab topology (DESIGN.md
// "Topology"). Tests pass port 0 and a ManualClock; the launcher passes the topology file.
import type { Clock } from '../../../common/clock.ts';
import { systemClock } from '../../../common/clock.ts';
import type { IdSource } from '../../../common/ids.ts';
import { randomIds } from '../../../common/ids.ts';

export interface Ps1User {
  /** `wv:harry@domain1.lab` (normalised on load). */
  userId: string;
  password: string;
}

/** A remote domain reached over SSP (the static table that stands in for DNS SRV, imps.md §10). */
export interface Ps1Route {
  /** The peer's SSP URL, e.g. http://127.0.3.1:8090/ssp (loopback only). */
  url: string;
  /** Shared secret of the SSP mutual login (imps.md §10 session setup). */
  secret: string;
}

export interface Ps1Config {
  /** Home domain, e.g. domain1.lab. */
  domain: string;
  /** 127.x address to bind (default 127.0.1.1). */
  address?: string;
  /** HTTP port for CSP (and SSP on /ssp). 0 picks a free port. Default 8080 + 1 = 8081. */
  port?: number;
  /** STCP CIR port (imps.md §8.2; Android default 3171). 0 picks a free port. */
  cirTcpPort?: number;
  users: Ps1User[];
  /** Remote domains by name -> SSP peer. Any other domain is refused with 516, never looked up. */
  routes?: Record<string, Ps1Route>;
  /** Source addresses of the visited network's relay: a client coming through them is roaming. */
  visitedRelayAddresses?: string[];
  /** PLMN names published as network-provided presence (imps.md §4.2 PLMN). */
  homePlmn?: string;
  visitedPlmn?: string;
  /** Upper bound for KeepAliveTime (seconds); the client's TimeToLive is clamped to it. */
  maxKeepAliveSeconds?: number;
  /** KeepAliveTime when the client proposes no TimeToLive. */
  defaultKeepAliveSeconds?: number;
  /** ServerPollMin announced in AgreedCapabilityList. */
  serverPollMinSeconds?: number;
  /** A server-initiated transaction not answered after this long is sent again on the next poll. */
  resendAfterMs?: number;
  /** Offline messages without Validity are kept this long (seconds). */
  defaultValiditySeconds?: number;
  /** Largest CSP body accepted. */
  maxBodyBytes?: number;
  /** How long a CSP request waits for the SSP answer of a remote domain. */
  remoteTimeoutMs?: number;
  /** A reactive request the publisher leaves unanswered this long is dropped (asked again later). */
  reactiveAuthTimeoutSeconds?: number;
  /** Node name in the trace stream (default "ps1"). */
  node?: string;
  clock?: Clock;
  ids?: IdSource;
}

export type ResolvedPs1Config = Required<Omit<Ps1Config, 'routes'>> & { routes: Record<string, Ps1Route> };

export function resolvePs1Config(config: Ps1Config): ResolvedPs1Config {
  return {
    domain: config.domain.toLowerCase(),
    address: config.address ?? '127.0.1.1',
    port: config.port ?? 8081,
    cirTcpPort: config.cirTcpPort ?? 3171,
    users: config.users,
    routes: Object.fromEntries(Object.entries(config.routes ?? {}).map(([d, r]) => [d.toLowerCase(), r])),
    visitedRelayAddresses: config.visitedRelayAddresses ?? ['127.0.4.1'],
    homePlmn: config.homePlmn ?? 'MNO1',
    visitedPlmn: config.visitedPlmn ?? 'MNO-Visited',
    maxKeepAliveSeconds: config.maxKeepAliveSeconds ?? 3600,
    defaultKeepAliveSeconds: config.defaultKeepAliveSeconds ?? 600,
    serverPollMinSeconds: config.serverPollMinSeconds ?? 5,
    resendAfterMs: config.resendAfterMs ?? 10_000,
    defaultValiditySeconds: config.defaultValiditySeconds ?? 7 * 24 * 3600,
    maxBodyBytes: config.maxBodyBytes ?? 256 * 1024,
    remoteTimeoutMs: config.remoteTimeoutMs ?? 5000,
    reactiveAuthTimeoutSeconds: config.reactiveAuthTimeoutSeconds ?? 24 * 3600,
    node: config.node ?? 'ps1',
    clock: config.clock ?? systemClock,
    ids: config.ids ?? randomIds,
  };
}
