// The SIP transport layer (RFC 3261 §18, RFC 3581): see docs/sip-transport-transactions.md.
export { checkDestination, isIpv4Literal, isLoopbackAddress } from './loopback-guard.ts';
export { responseDestination, SIP_DEFAULT_PORT, stampReceived } from './response-routing.ts';
export { DEFAULT_TCP_IDLE_MS, TcpTransport, type TcpTransportOptions } from './tcp-transport.ts';
export {
  type Endpoint,
  endpointKey,
  type InboundMessage,
  type SendErrorListener,
  type Transport,
  type TransportListener,
  type TransportProtocol,
} from './transport.ts';
export { DEFAULT_MAX_MESSAGE_BYTES, TransportBase, type TransportOptions } from './transport-base.ts';
export {
  TRANSPORT_ERRORS,
  type TransportError,
  type TransportErrorCode,
  transportError,
} from './transport-errors.ts';
export { chooseRequestProtocol, UDP_REQUEST_SIZE_LIMIT } from './transport-selection.ts';
export { DEFAULT_UDP_SOCKET_BUFFER, UdpTransport, type UdpTransportOptions } from './udp-transport.ts';
