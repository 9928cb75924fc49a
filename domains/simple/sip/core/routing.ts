import { isSipUri, type SipUri, type Uri } from '../message/uri.ts';
import type { RequestTarget } from '../transaction/transaction-user.ts';
import { isLoopbackAddress } from '../transport/loopback-guard.ts';
import type { TransportProtocol } from '../transport/transport.ts';

// Next-hop resolution without DNS. RFC 3263 would resolve a domain through NAPTR/SRV/A records;
// the lab replaces that with a static table (DESIGN: "the stand-in for DNS SRV"). An IP-literal
// host is used as it is, but only inside 127.0.0.0/8; a domain that is not in the table is
// refused, never looked up.

export interface DomainRoute {
  address: string;
  port: number;
  protocol?: TransportProtocol;
}

export type RouteResolution =
  | { ok: true; target: RequestTarget }
  | { ok: false; status: number; reason: string };

export class StaticRouter {
  private readonly domains = new Map<string, DomainRoute>();

  constructor(
    table: Record<string, DomainRoute> = {},
    private readonly defaultProtocol: TransportProtocol = 'udp',
  ) {
    for (const [domain, route] of Object.entries(table)) this.domains.set(domain.toLowerCase(), route);
  }

  set(domain: string, route: DomainRoute): void {
    this.domains.set(domain.toLowerCase(), route);
  }

  delete(domain: string): void {
    this.domains.delete(domain.toLowerCase());
  }

  /** The next hop for a URI (a Request-URI, or the first Route's URI under loose routing). */
  resolve(uri: Uri, preferred?: TransportProtocol): RouteResolution {
    if (!isSipUri(uri)) return { ok: false, status: 416, reason: `Unsupported URI Scheme - ${uri.scheme}` };
    const protocol = transportParam(uri) ?? preferred ?? this.defaultProtocol;
    const host = uri.host.toLowerCase();
    if (isLoopbackAddress(host)) {
      return { ok: true, target: { protocol, address: host, port: uri.port ?? 5060 } };
    }
    const route = this.domains.get(host);
    if (!route) {
      // DESIGN: "A domain that is not in the routing table is refused (SIP 404/604 "no route")".
      return { ok: false, status: 404, reason: `Not Found - no route to ${host}` };
    }
    return {
      ok: true,
      target: {
        protocol: transportParam(uri) ?? preferred ?? route.protocol ?? this.defaultProtocol,
        address: route.address,
        port: route.port,
      },
    };
  }
}

function transportParam(uri: SipUri): TransportProtocol | undefined {
  const t = uri.params.get('transport');
  if (typeof t !== 'string') return undefined;
  const lower = t.toLowerCase();
  return lower === 'tcp' || lower === 'udp' ? lower : undefined;
}
