import type { TransportProtocol } from './transport.ts';

// RFC 3261 §18.1.1: "If a request is within 200 bytes of the path MTU, or if it is larger than
// 1300 bytes and the path MTU is unknown, the request MUST be sent using an RFC 2914 congestion
// controlled transport protocol, such as TCP." Loopback's MTU is not what the far side's path
// will be, so we treat it as unknown and apply the 1300-byte rule.

export const UDP_REQUEST_SIZE_LIMIT = 1300;

/**
 * The protocol a request of `sizeBytes` should use, given the one routing asked for and whether a
 * TCP transport exists. Responses never switch (§18.2.2 sends them where the request came from).
 */
export function chooseRequestProtocol(
  sizeBytes: number,
  preferred: TransportProtocol,
  tcpAvailable: boolean,
  pathMtu?: number,
): TransportProtocol {
  if (preferred !== 'udp' || !tcpAvailable) return preferred;
  const tooLarge = pathMtu === undefined ? sizeBytes > UDP_REQUEST_SIZE_LIMIT : sizeBytes > pathMtu - 200;
  return tooLarge ? 'tcp' : 'udp';
}
