// The transport layer's error catalogue (STYLE lesson 10): a stable code, and the status a layer
// above answers with when the failure stops a request (RFC 3261 §8.1.3.1: a transport error is
// treated as 503; a destination that cannot be resolved is 404 at a proxy, 503 at a UAC).

export interface TransportError {
  readonly code: TransportErrorCode;
  readonly status: number;
  readonly reason: string;
  readonly detail?: string;
}

export const TRANSPORT_ERRORS = {
  SIP_ERR_TRANSPORT_NOT_LOOPBACK: { status: 503, reason: 'Service Unavailable' },
  SIP_ERR_TRANSPORT_NOT_IP: { status: 404, reason: 'Not Found' },
  SIP_ERR_TRANSPORT_CLOSED: { status: 503, reason: 'Service Unavailable' },
  SIP_ERR_TRANSPORT_CONNECT: { status: 503, reason: 'Service Unavailable' },
  SIP_ERR_TRANSPORT_TOO_LARGE: { status: 513, reason: 'Message Too Large' },
  SIP_ERR_TRANSPORT_NO_ROUTE: { status: 503, reason: 'Service Unavailable' },
} as const satisfies Record<string, { status: number; reason: string }>;

export type TransportErrorCode = keyof typeof TRANSPORT_ERRORS;

export function transportError(code: TransportErrorCode, detail?: string): TransportError {
  const entry = TRANSPORT_ERRORS[code];
  return detail === undefined
    ? { code, status: entry.status, reason: entry.reason }
    : { code, status: entry.status, reason: entry.reason, detail };
}
