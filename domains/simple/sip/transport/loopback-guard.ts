import type { Endpoint } from './transport.ts';
import { type TransportError, transportError } from './transport-errors.ts';

// The lab's hard rule (DESIGN "Only 127.0.0.0/8 addresses are ever used"): whatever a Via,
// Contact, Route or Request-URI says, nothing is sent outside loopback and no name is resolved.
// RFC 4475 `bcast` carries a Via of 255.255.255.255; that must never become a destination.

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** True for a dotted-quad IPv4 literal (no names, no IPv6, no leading-zero octal forms). */
export function isIpv4Literal(host: string): boolean {
  return IPV4.test(host);
}

/** True for an address in 127.0.0.0/8. */
export function isLoopbackAddress(host: string): boolean {
  return host.startsWith('127.') && IPV4.test(host);
}

/** Verdicts per address: a node talks to a handful of peers, so the regex runs once per peer. */
const verdicts = new Map<string, TransportError | null>();
const MAX_VERDICTS = 1024;

function addressVerdict(address: string): TransportError | undefined {
  const known = verdicts.get(address);
  if (known !== undefined) return known ?? undefined;
  let verdict: TransportError | undefined;
  if (!isIpv4Literal(address)) {
    // Never resolved: a host name here means routing above us failed to map it.
    verdict = transportError('SIP_ERR_TRANSPORT_NOT_IP', address);
  } else if (!isLoopbackAddress(address)) {
    verdict = transportError('SIP_ERR_TRANSPORT_NOT_LOOPBACK', address);
  }
  if (verdicts.size >= MAX_VERDICTS) verdicts.clear(); // bounded: peers' addresses are untrusted
  verdicts.set(address, verdict ?? null);
  return verdict;
}

/** Checks a destination before any byte leaves: undefined when allowed, else the refusal. */
export function checkDestination(remote: Endpoint): TransportError | undefined {
  const refused = addressVerdict(remote.address);
  if (refused) return refused;
  if (!Number.isInteger(remote.port) || remote.port < 1 || remote.port > 65535) {
    return transportError('SIP_ERR_TRANSPORT_NO_ROUTE', `port ${remote.port}`);
  }
  return undefined;
}
