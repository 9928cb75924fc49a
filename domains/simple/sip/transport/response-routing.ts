import type { Via } from '../message/via.ts';
import type { Endpoint, TransportProtocol } from './transport.ts';

// Where a response goes: RFC 3261 §18.2.2 with the RFC 3581 `rport` amendment.

/** Default SIP port when a Via sent-by carries none (RFC 3261 §18.2.2, §19.1.2). */
export const SIP_DEFAULT_PORT = 5060;

function parsePort(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || !/^\d{1,5}$/.test(value)) return undefined;
  const n = Number(value);
  return n >= 1 && n <= 65535 ? n : undefined;
}

/** Strips the brackets of an IPv6 reference so the guard sees the bare literal. */
function bareHost(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * The destination of a response whose topmost Via is `via`, for a request that arrived from
 * `requestSource` over `protocol`. `connectionOpen` tells whether that TCP connection still exists.
 */
export function responseDestination(
  via: Via,
  protocol: TransportProtocol,
  requestSource: Endpoint | undefined,
  connectionOpen: boolean,
): Endpoint {
  const sentByPort = via.port ?? SIP_DEFAULT_PORT;
  const received = via.params.get('received') ?? undefined;
  if (protocol === 'tcp') {
    // §18.2.2: "If the "sent-protocol" is a reliable transport protocol such as TCP or SCTP, or
    // TLS over those, the response MUST be sent using the existing connection to the source of
    // the original request that created the transaction, if that connection is still open."
    if (connectionOpen && requestSource) return requestSource;
    // "...the server SHOULD open a connection to the IP address in the "received" parameter, if
    // present, using the port in the "sent-by" value, or the default port for that transport".
    return { address: bareHost(received ?? via.host), port: sentByPort };
  }
  // §18.2.2: "Otherwise, if the Via header field value contains a "maddr" parameter, the response
  // MUST be forwarded to the address listed there, using the port indicated in "sent-by"".
  const maddr = via.params.get('maddr');
  if (maddr) return { address: bareHost(maddr), port: sentByPort };
  if (received) {
    // RFC 3581 §4: "...there is both a "received" parameter and an "rport" parameter, the
    // response MUST be sent to the IP address listed in the "received" parameter, and the port in
    // the "rport" parameter."
    const rport = parsePort(via.params.get('rport'));
    // RFC 3261 §18.2.2: "...to the address in the "received" parameter, using the port indicated
    // in the "sent-by" value, or using port 5060 if none is specified explicitly."
    return { address: bareHost(received), port: rport ?? sentByPort };
  }
  // "Otherwise ... the response MUST be sent to the address indicated by the "sent-by" value".
  return { address: bareHost(via.host), port: sentByPort };
}

/**
 * RFC 3261 §18.2.1 + RFC 3581 §4 on an inbound request's top Via. Returns the Via to write back
 * when something was added, or undefined when the Via already says where the request came from.
 */
export function stampReceived(via: Via, source: Endpoint): Via | undefined {
  const rport = via.params.get('rport');
  const wantsRport = rport === null || rport === '';
  // RFC 3581 §4: "If this Via header field value contains an "rport" parameter with no value, it
  // MUST set the value of the parameter to the source port of the request. ... the server MUST
  // insert a "received" parameter containing the source IP address that the request came from,
  // even if it is identical to the value of the "sent-by" component."
  // RFC 3261 §18.2.1: "If the host portion of the "sent-by" parameter contains a domain name, or
  // if it contains an IP address that differs from the packet source address, the server MUST
  // add a "received" parameter to that Via header field value."
  const differs = bareHost(via.host) !== source.address;
  if (!wantsRport && !differs) return undefined;
  const params = via.params.clone();
  params.set('received', source.address);
  if (wantsRport) params.set('rport', String(source.port));
  return { protocol: via.protocol, transport: via.transport, host: via.host, port: via.port, params } as Via;
}
