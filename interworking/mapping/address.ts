// Address mapping between IMPS (wv:) and SIMPLE (sip:, pres:, im:, tel:) identities.
// imps.md §11 and simple.md §9.2: `wv:user@domain` ⇄ `sip:user@domain`; MSISDN users
// `wv:+4912345@d` ⇄ `sip:+4912345@d;user=phone` (tel: accepted inbound); the domain is
// lower-cased; contact lists (`wv:user/list@d`) have no SIP identity of their own and map to
// RLS list URIs `sip:user-list@d`; groups map to conference URIs `sip:group@conf.d`.
// Pure: strings in, strings or a refusal out. Each rule is a row of ADDRESS_ROWS (data), and the
// docs' mapping matrix and the tests are generated from the same rows.

export type AddressMapping =
  | { ok: true; value: string; rows: string[] }
  | { ok: false; reason: string; rows: string[] };

export interface AddressRow {
  id: string;
  direction: 'imps→simple' | 'simple→imps';
  imps: string;
  simple: string;
  fidelity: 'lossless' | 'lossy' | 'none';
  note: string;
  /** A worked example: input → output, used by the per-row test. */
  example: { input: string; output: string | null };
}

export const ADDRESS_ROWS: readonly AddressRow[] = [
  {
    id: 'A1',
    direction: 'imps→simple',
    imps: 'wv:user@domain',
    simple: 'sip:user@domain',
    fidelity: 'lossless',
    note: 'scheme swapped, domain lower-cased (addresses are case-insensitive, imps.md §11)',
    example: { input: 'wv:Harry@Domain1.lab', output: 'sip:harry@domain1.lab' },
  },
  {
    id: 'A2',
    direction: 'imps→simple',
    imps: 'wv:+MSISDN@domain',
    simple: 'sip:+MSISDN@domain;user=phone',
    fidelity: 'lossless',
    note: 'MSISDN user part keeps its + and digits; user=phone marks it a telephone number (RFC 3261 §19.1.6)',
    example: { input: 'wv:+358401234567@domain1.lab', output: 'sip:+358401234567@domain1.lab;user=phone' },
  },
  {
    id: 'A3',
    direction: 'imps→simple',
    imps: 'wv:user/list@domain (contact list)',
    simple: 'sip:user-list@domain (RLS list URI)',
    fidelity: 'lossy',
    note: 'a contact list has no SIP identity; the RLS service URI names it (imps.md §11); list names are lower-cased',
    example: { input: 'wv:jane/Friends@domain2.lab', output: 'sip:jane-friends@domain2.lab' },
  },
  {
    id: 'A4',
    direction: 'imps→simple',
    imps: 'wv:/group@domain or wv:user/group@domain (group)',
    simple: 'sip:group@conf.domain',
    fidelity: 'lossy',
    note: 'groups become conference URIs; chat groups themselves are out of scope of the use case',
    example: { input: 'wv:/happy@domain1.lab', output: 'sip:happy@conf.domain1.lab' },
  },
  {
    id: 'A5',
    direction: 'imps→simple',
    imps: 'user@domain (no scheme)',
    simple: 'sip:user@domain',
    fidelity: 'lossless',
    note: 'servers accept bare user@domain and normalise by prefixing wv: (imps.md §11, CSP 1.1 example 094)',
    example: { input: 'harry@domain1.lab', output: 'sip:harry@domain1.lab' },
  },
  {
    id: 'A6',
    direction: 'imps→simple',
    imps: 'wv:user (no domain)',
    simple: '— refused',
    fidelity: 'none',
    note: 'an id without domain is in the sender’s home domain; the IWF needs it explicit and refuses otherwise',
    example: { input: 'wv:harry', output: null },
  },
  {
    id: 'S1',
    direction: 'simple→imps',
    imps: 'wv:user@domain',
    simple: 'sip:user@domain, sips:, pres:, im:',
    fidelity: 'lossless',
    note: 'URI parameters and headers are dropped; pres:/im: (RFC 3859/3860) map like sip:',
    example: { input: 'sip:Jane@Domain2.lab;transport=tcp', output: 'wv:jane@domain2.lab' },
  },
  {
    id: 'S2',
    direction: 'simple→imps',
    imps: 'wv:user@domain',
    simple: 'pres:user@domain / im:user@domain',
    fidelity: 'lossless',
    note: 'RFC 3859 pres: and RFC 3860 im: URIs carry the same user@domain',
    example: { input: 'pres:jane@domain2.lab', output: 'wv:jane@domain2.lab' },
  },
  {
    id: 'S3',
    direction: 'simple→imps',
    imps: 'wv:+MSISDN@domain',
    simple: 'sip:+MSISDN@domain;user=phone',
    fidelity: 'lossless',
    note: 'inverse of A2',
    example: { input: 'sip:+358401234567@domain2.lab;user=phone', output: 'wv:+358401234567@domain2.lab' },
  },
  {
    id: 'S4',
    direction: 'simple→imps',
    imps: 'wv:+MSISDN@<home domain>',
    simple: 'tel:+MSISDN',
    fidelity: 'lossy',
    note: 'a global tel: number has no domain; the IWF places it in the domain the request came from',
    example: { input: 'tel:+358401234567', output: 'wv:+358401234567@domain2.lab' },
  },
  {
    id: 'S5',
    direction: 'simple→imps',
    imps: 'wv:user/list@domain',
    simple: 'sip:user-list@domain where a list is known',
    fidelity: 'lossy',
    note: 'inverse of A3, only for list URIs the IWF itself created (otherwise it is a plain user, S1)',
    example: { input: 'sip:jane-friends@domain2.lab', output: 'wv:jane/friends@domain2.lab' },
  },
  {
    id: 'S6',
    direction: 'simple→imps',
    imps: '— refused',
    simple: 'sip:host (no user part), other schemes',
    fidelity: 'none',
    note: 'no IMPS user can be named; the SIP side answers 404 / 416',
    example: { input: 'sip:domain2.lab', output: null },
  },
];

const PRINTABLE = /^[\x20-\x7e]+$/;

/** IMPS → SIMPLE: a wv: address (or bare user@domain) to a SIP URI. */
export function impsToSip(address: string): AddressMapping {
  let rest = address.trim();
  if (rest.toLowerCase().startsWith('wv:')) rest = rest.slice(3);
  else if (rest.includes(':')) return { ok: false, reason: `not a wv: address: ${address}`, rows: [] };
  const bare = address.trim().toLowerCase().startsWith('wv:') ? [] : ['A5'];
  if (!PRINTABLE.test(rest)) return { ok: false, reason: 'non-printable characters in address', rows: [] };
  const at = rest.lastIndexOf('@');
  if (at === -1) return { ok: false, reason: `no domain in ${address}`, rows: ['A6'] };
  const domain = rest.slice(at + 1).toLowerCase();
  const local = rest.slice(0, at);
  if (!domain || /[\s/@]/.test(domain))
    return { ok: false, reason: `bad domain in ${address}`, rows: ['A6'] };
  const slash = local.indexOf('/');
  if (slash !== -1) {
    const user = local.slice(0, slash).toLowerCase();
    const resource = local.slice(slash + 1).toLowerCase();
    if (!resource) return { ok: false, reason: `empty resource in ${address}`, rows: [] };
    if (!user)
      return { ok: true, value: `sip:${escapeUser(resource)}@conf.${domain}`, rows: [...bare, 'A4'] };
    return { ok: true, value: `sip:${escapeUser(`${user}-${resource}`)}@${domain}`, rows: [...bare, 'A3'] };
  }
  if (!local) return { ok: false, reason: `no user in ${address}`, rows: [] };
  if (/^\+\d+$/.test(local))
    return { ok: true, value: `sip:${local}@${domain};user=phone`, rows: [...bare, 'A2'] };
  return {
    ok: true,
    value: `sip:${escapeUser(local.toLowerCase())}@${domain}`,
    rows: bare.length ? bare : ['A1'],
  };
}

export interface SipToImpsOptions {
  /** Domain for tel: numbers (the domain the request came from). */
  defaultDomain?: string;
  /** List URIs the IWF created, `sip:user-list@domain` → `wv:user/list@domain`. */
  isListUri?: (sipUri: string) => boolean;
}

/** SIMPLE → IMPS: a sip:/sips:/pres:/im:/tel: URI to a wv: address. */
export function sipToImps(uri: string, options: SipToImpsOptions = {}): AddressMapping {
  const trimmed = uri.trim().replace(/^<(.*)>$/, '$1');
  const colon = trimmed.indexOf(':');
  if (colon === -1) return { ok: false, reason: `not a URI: ${uri}`, rows: ['S6'] };
  const scheme = trimmed.slice(0, colon).toLowerCase();
  const rest = trimmed.slice(colon + 1);
  if (scheme === 'tel') {
    const number = rest.split(';')[0]!;
    if (!/^\+\d+$/.test(number))
      return { ok: false, reason: `not a global tel: number: ${uri}`, rows: ['S6'] };
    if (!options.defaultDomain) return { ok: false, reason: 'no domain for tel: URI', rows: ['S4'] };
    return { ok: true, value: `wv:${number}@${options.defaultDomain.toLowerCase()}`, rows: ['S4'] };
  }
  if (!['sip', 'sips', 'pres', 'im'].includes(scheme)) {
    return { ok: false, reason: `unsupported URI scheme ${scheme}`, rows: ['S6'] };
  }
  const addr = rest.split(/[;?]/)[0]!;
  const at = addr.lastIndexOf('@');
  if (at <= 0) return { ok: false, reason: `no user part in ${uri}`, rows: ['S6'] };
  const user = unescapeUser(addr.slice(0, at));
  const host = addr
    .slice(at + 1)
    .replace(/:\d+$/, '')
    .toLowerCase();
  const schemeRow = scheme === 'pres' || scheme === 'im' ? 'S2' : 'S1';
  if (/^\+\d+$/.test(user))
    return { ok: true, value: `wv:${user}@${host}`, rows: [/user=phone/i.test(rest) ? 'S3' : schemeRow] };
  if (!PRINTABLE.test(user) || /[/@]/.test(user))
    return { ok: false, reason: `user part not valid in IMPS: ${user}`, rows: ['S6'] };
  const lower = user.toLowerCase();
  if (options.isListUri?.(`sip:${lower}@${host}`)) {
    const dash = lower.indexOf('-');
    if (dash > 0)
      return { ok: true, value: `wv:${lower.slice(0, dash)}/${lower.slice(dash + 1)}@${host}`, rows: ['S5'] };
  }
  return { ok: true, value: `wv:${lower}@${host}`, rows: [schemeRow] };
}

/** RFC 3261 §25.1 user part: unreserved / escaped / user-unreserved; escape the rest. */
function escapeUser(user: string): string {
  return user.replace(/[^A-Za-z0-9\-_.!~*'()&=+$,;?/]/g, (c) =>
    [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}

function unescapeUser(user: string): string {
  try {
    return decodeURIComponent(user);
  } catch {
    return user;
  }
}
