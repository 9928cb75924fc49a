// Header names: the compact forms of RFC 3261 §7.3.3 and later RFCs, and the canonical
// spelling we write. Lookup is by lower-case name.

const COMPACT: Record<string, string> = {
  i: 'Call-ID',
  m: 'Contact',
  e: 'Content-Encoding',
  l: 'Content-Length',
  c: 'Content-Type',
  f: 'From',
  s: 'Subject',
  k: 'Supported',
  t: 'To',
  v: 'Via',
  o: 'Event',
  u: 'Allow-Events',
  r: 'Refer-To',
  b: 'Referred-By',
  x: 'Session-Expires',
  a: 'Accept-Contact',
  j: 'Reject-Contact',
  d: 'Request-Disposition',
  y: 'Identity',
  n: 'Identity-Info',
};

const CANONICAL = [
  'Accept',
  'Accept-Contact',
  'Accept-Encoding',
  'Accept-Language',
  'Alert-Info',
  'Allow',
  'Allow-Events',
  'Authentication-Info',
  'Authorization',
  'Call-ID',
  'Call-Info',
  'Contact',
  'Content-Disposition',
  'Content-Encoding',
  'Content-ID',
  'Content-Language',
  'Content-Length',
  'Content-Type',
  'CSeq',
  'Date',
  'Error-Info',
  'Event',
  'Expires',
  'From',
  'In-Reply-To',
  'Max-Forwards',
  'MIME-Version',
  'Min-Expires',
  'Organization',
  'P-Asserted-Identity',
  'Path',
  'Priority',
  'Proxy-Authenticate',
  'Proxy-Authorization',
  'Proxy-Require',
  'Record-Route',
  'Refer-To',
  'Referred-By',
  'Reject-Contact',
  'Reply-To',
  'Request-Disposition',
  'Require',
  'Retry-After',
  'Route',
  'Server',
  'Session-Expires',
  'SIP-ETag',
  'SIP-If-Match',
  'Subject',
  'Subscription-State',
  'Supported',
  'Suppress-If-Match',
  'Timestamp',
  'To',
  'Unsupported',
  'User-Agent',
  'Via',
  'Warning',
  'WWW-Authenticate',
];

const BY_LOWER = new Map<string, string>();
for (const name of CANONICAL) BY_LOWER.set(name.toLowerCase(), name);
for (const [short, long] of Object.entries(COMPACT)) BY_LOWER.set(short, long);

// Exact spellings seen on the wire hit this map first and skip the toLowerCase.
const EXACT = new Map<string, string>(BY_LOWER);
for (const name of CANONICAL) EXACT.set(name, name);
for (const [short, long] of Object.entries(COMPACT)) EXACT.set(short.toUpperCase(), long);

/** Canonical spelling of a header name (compact forms expanded); unknown names kept as written. */
export function canonicalHeaderName(name: string): string {
  return EXACT.get(name) ?? BY_LOWER.get(name.toLowerCase()) ?? name;
}

/** Headers whose values may be combined with commas (RFC 3261 §7.3.1); others are single-valued. */
export const LIST_HEADERS = new Set(
  [
    'Accept',
    'Accept-Encoding',
    'Accept-Language',
    'Alert-Info',
    'Allow',
    'Allow-Events',
    'Call-Info',
    'Contact',
    'Content-Encoding',
    'Content-Language',
    'Error-Info',
    'In-Reply-To',
    'Path',
    'Proxy-Require',
    'Record-Route',
    'Require',
    'Route',
    'Supported',
    'Unsupported',
    'Via',
    'Warning',
    'P-Asserted-Identity',
  ].map((n) => n.toLowerCase()),
);

/** The compact forms (RFC 3261 §7.3.3 and later), lower-case letter → canonical name. */
export const COMPACT_HEADER_NAMES: Readonly<Record<string, string>> = COMPACT;

/** Every canonical header name the lab knows, spelled as written on the wire. */
export const CANONICAL_HEADER_NAMES: readonly string[] = CANONICAL;
