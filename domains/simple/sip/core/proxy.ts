import { formatNameAddr } from '../message/header-values.ts';
import { SipRequest, type SipResponse } from '../message/sip-message.ts';
import type { Uri } from '../message/uri.ts';
import { isSipUri } from '../message/uri.ts';
import type { RequestTarget } from '../transaction/transaction-user.ts';
import type { IncomingRequest } from './incoming-request.ts';
import type { SipUserAgent } from './user-agent.ts';

// RFC 3261 §16: the stateful proxy role (PS2 relaying to registered contacts and to the IWF).
// One server transaction in, one client transaction out; responses go back with our Via removed.

export interface ForwardOptions {
  /** Where to send; default: resolved from the new Request-URI / remaining Route. */
  target?: RequestTarget;
  /** A new Request-URI (a registered contact, §16.5 target set). */
  requestUri?: Uri;
  /** Stay on the path of the dialog this request creates (§16.6 step 4). */
  recordRoute?: boolean;
  /** Extra header fields for the forwarded copy (e.g. P-Asserted-Identity). */
  headers?: Array<[string, string]>;
}

/** Our own Record-Route / Route URI for the transport the request arrived on. */
export function proxyRouteUri(ua: SipUserAgent, protocol: 'udp' | 'tcp'): string {
  const { address, port } = ua.local(protocol);
  return `sip:${address}:${port};lr${protocol === 'tcp' ? ';transport=tcp' : ''}`;
}

/** §16.4: a Route naming us is removed before routing. */
export function isOwnRoute(ua: SipUserAgent, uri: Uri): boolean {
  if (!isSipUri(uri)) return false;
  for (const protocol of ['udp', 'tcp'] as const) {
    try {
      const { address, port } = ua.local(protocol);
      if (uri.host === address && (uri.port ?? 5060) === port) return true;
    } catch {
      // The transport is not running.
    }
  }
  return false;
}

/**
 * Forwards `incoming` statefully and relays the final response (§16.6-16.7). Resolves with the
 * response that was relayed. Max-Forwards 0 → 483 (§16.3 step 3, RFC 4475 zeromf).
 */
export async function forwardRequest(
  ua: SipUserAgent,
  incoming: IncomingRequest,
  options: ForwardOptions = {},
): Promise<SipResponse> {
  const original = incoming.request;
  const maxForwardsRaw = original.headers.get('Max-Forwards');
  const maxForwards = maxForwardsRaw === undefined ? 70 : Number(maxForwardsRaw);
  if (maxForwards <= 0) {
    return incoming.reply(483, 'Too Many Hops') ?? incoming.createResponse(483, 'Too Many Hops');
  }
  const headers = original.headers.clone();
  headers.set('Max-Forwards', String(maxForwards - 1));
  // §16.4: strip our own Route entries from the top.
  const routes = original.routes;
  let stripped = 0;
  while (stripped < routes.length && isOwnRoute(ua, routes[stripped]!.uri)) stripped++;
  if (stripped > 0) {
    headers.delete('Route');
    for (const r of routes.slice(stripped)) headers.append('Route', formatNameAddr(r));
  }
  if (options.recordRoute)
    headers.prepend('Record-Route', `<${proxyRouteUri(ua, incoming.inbound.protocol)}>`);
  for (const [name, value] of options.headers ?? []) headers.append(name, value);
  const forwarded = new SipRequest(
    original.method,
    options.requestUri ?? original.uri,
    headers,
    original.body,
  );
  const target = options.target ?? ua.resolveTarget(forwarded, incoming.inbound.protocol);
  if ('status' in target) {
    return (
      incoming.reply(target.status, target.reason) ?? incoming.createResponse(target.status, target.reason)
    );
  }
  const response = await ua.transactions.request(forwarded, target);
  // §16.7: "The proxy removes the topmost Via header field value from the response" — the same
  // as answering with the upstream request's Vias; To (with the UAS's tag) and the rest are the
  // downstream response's.
  const out = incoming.createResponse(response.status, response.reason);
  out.headers.delete('To');
  out.headers.append('To', response.headers.get('To') ?? original.headers.get('To') ?? '');
  for (const f of response.headers.all) {
    const n = f.name.toLowerCase();
    if (n === 'via' || n === 'from' || n === 'to' || n === 'call-id' || n === 'cseq' || n === 'server')
      continue;
    out.headers.append(f.name, f.value);
  }
  out.body = response.body;
  incoming.send(out);
  return out;
}
