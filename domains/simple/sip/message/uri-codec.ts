import {
  C_ALPHA,
  C_HEX,
  C_HNV,
  C_HOST,
  C_PARAM,
  C_PASSWORD,
  C_SCHEME,
  C_URIC,
  C_USER,
  CHAR,
  is,
} from './char-classes.ts';
import { type SipErrorCode, SipSyntaxError } from './errors.ts';
import { Params, type ParamValue } from './params.ts';
import type { AbsoluteUri, SipUri, TelUri, Uri } from './uri.ts';

// URI text ⇄ Uri (RFC 3261 §19.1, §25.1; RFC 3966 for tel:). Escapes stay exactly as written;
// only comparison (uriEquals) and unescapeUriComponent look through them, once.

const DEFAULT_CODE: SipErrorCode = 'SIP_ERR_MALFORMED_REQUEST_URI';

/** Index of the first char at or after i that is not in `flag` (valid `%HH` escapes skipped). */
function scan(s: string, i: number, end: number, flag: number): number {
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c === 37) {
      if (i + 2 < end && is(s.charCodeAt(i + 1), C_HEX) && is(s.charCodeAt(i + 2), C_HEX)) {
        i += 3;
        continue;
      }
      return i;
    }
    if (c >= 128 || (CHAR[c]! & flag) === 0) return i;
    i++;
  }
  return i;
}

/** IPv4address = 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT "." 1*3DIGIT (each ≤ 255), in s[from, to). */
export function isIPv4(s: string, from = 0, to = s.length): boolean {
  let parts = 0;
  let digits = 0;
  let value = 0;
  for (let i = from; i <= to; i++) {
    const c = i === to ? 46 : s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || value > 255) return false;
      parts++;
      digits = 0;
      value = 0;
    } else if (c >= 48 && c <= 57) {
      if (++digits > 3) return false;
      value = value * 10 + (c - 48);
    } else {
      return false;
    }
  }
  return parts === 4;
}

/** The end of an IPv4address starting at s[i] (not checking what follows), or -1. */
function scanIPv4(s: string, i: number, end: number): number {
  let parts = 0;
  for (;;) {
    let digits = 0;
    let value = 0;
    while (i < end && digits < 4) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
      value = value * 10 + (c - 48);
      digits++;
      i++;
    }
    if (digits === 0 || digits > 3 || value > 255) return -1;
    if (++parts === 4) return i;
    if (i >= end || s.charCodeAt(i) !== 46) return -1;
    i++;
  }
}

/** IPv6reference = "[" IPv6address "]" (hex groups, "::", optional trailing IPv4). */
export function isIPv6Reference(s: string): boolean {
  if (s.length < 4 || s.charCodeAt(0) !== 91 || s.charCodeAt(s.length - 1) !== 93) return false;
  return isIPv6(s.slice(1, -1));
}

export function isIPv6(a: string): boolean {
  if (a.length < 2) return false;
  const double = a.indexOf('::');
  if (double !== -1 && a.indexOf('::', double + 1) !== -1) return false;
  const groups = a.split(':');
  let count = 0;
  for (let g = 0; g < groups.length; g++) {
    const group = groups[g]!;
    if (group === '') continue;
    if (g === groups.length - 1 && group.includes('.')) {
      if (!isIPv4(group)) return false;
      count += 2;
      continue;
    }
    if (group.length > 4) return false;
    for (let i = 0; i < group.length; i++) if (!is(group.charCodeAt(i), C_HEX)) return false;
    count++;
  }
  return double === -1 ? count === 8 : count < 8;
}

/**
 * Scans a host starting at s[i] (RFC 3261 §25.1): hostname / IPv4address / IPv6reference.
 * hostname labels are alphanum with inner '-', the top label starts with ALPHA, a final '.' is
 * allowed; an all-numeric name must be a dotted-quad IPv4 address. Returns the index after the
 * host, or -1 when the host breaks the grammar. One pass, no allocation.
 */
export function scanHost(s: string, i: number, end: number): number {
  if (i < end && s.charCodeAt(i) === 91) {
    const close = s.indexOf(']', i);
    if (close === -1 || close >= end || !isIPv6(s.slice(i + 1, close))) return -1;
    return close + 1;
  }
  const c0 = i < end ? s.charCodeAt(i) : -1;
  if (c0 >= 48 && c0 <= 57) {
    // A dotted quad ends where no host character follows: the common case, one pass.
    const q = scanIPv4(s, i, end);
    if (q !== -1 && (q === end || !is(s.charCodeAt(q), C_HOST))) return q;
  }
  let j = i;
  let labelStart = i;
  let topStart = i;
  let prev = 46;
  while (j < end) {
    const c = s.charCodeAt(j);
    if (c === 46) {
      const len = j - labelStart;
      if (len === 0 || len > 63 || prev === 45) return -1;
      topStart = labelStart;
      labelStart = j + 1;
    } else if (c >= 128 || (CHAR[c]! & C_HOST) === 0) {
      break;
    } else if (c === 45 && prev === 46) {
      return -1; // a label cannot start with '-'
    }
    prev = c;
    j++;
  }
  if (j === i) return -1;
  const trailingDot = prev === 46;
  if (!trailingDot) {
    if (j - labelStart > 63 || prev === 45) return -1;
    topStart = labelStart;
  } else if (j - i === 1) {
    return -1; // "." alone
  }
  if (is(s.charCodeAt(topStart), C_ALPHA)) return j;
  return !trailingDot && isIPv4(s, i, j) ? j : -1;
}

/** host = hostname / IPv4address / IPv6reference (RFC 3261 §25.1), the whole string. */
export function isValidHost(h: string): boolean {
  return h.length > 0 && scanHost(h, 0, h.length) === h.length;
}

/** Parses a URI. Throws SipSyntaxError(code) when it breaks the grammar. */
export function parseUri(s: string, code: SipErrorCode = DEFAULT_CODE): Uri {
  return parseUriIn(s, 0, s.length, code);
}

/** Parses the URI written in s[from, to) without copying it out first (name-addr's <…>). */
export function parseUriIn(s: string, from: number, end: number, code: SipErrorCode = DEFAULT_CODE): Uri {
  return uriIn(s, from, end, code, true)!;
}

/** Checks the URI in s[from, to) as parseUriIn does, building nothing (decode's validation pass). */
export function checkUriIn(s: string, from: number, end: number, code: SipErrorCode = DEFAULT_CODE): void {
  uriIn(s, from, end, code, false);
}

function uriIn(s: string, from: number, end: number, code: SipErrorCode, build: boolean): Uri | undefined {
  if (end <= from || !is(s.charCodeAt(from), C_ALPHA)) throw new SipSyntaxError(code, 'URI scheme');
  let i = from + 1;
  while (i < end && is(s.charCodeAt(i), C_SCHEME)) i++;
  if (i >= end || s.charCodeAt(i) !== 58) throw new SipSyntaxError(code, 'URI scheme');
  // sip/sips/tel recognised by charCode (case-insensitive) before allocating the scheme string.
  const len = i - from;
  const c0 = s.charCodeAt(from) | 0x20;
  const c1 = s.charCodeAt(from + 1) | 0x20;
  const c2 = s.charCodeAt(from + 2) | 0x20;
  if (c0 === 115 && c1 === 105 && c2 === 112) {
    if (len === 3) return sipUri(s, 'sip', i + 1, end, code, build);
    if (len === 4 && (s.charCodeAt(from + 3) | 0x20) === 115)
      return sipUri(s, 'sips', i + 1, end, code, build);
  }
  if (len === 3 && c0 === 116 && c1 === 101 && c2 === 108) return telUri(s, i + 1, end, code, build);
  if (i + 1 === end || scan(s, i + 1, end, C_URIC) !== end) throw new SipSyntaxError(code, 'URI text');
  if (!build) return undefined;
  return { scheme: s.slice(from, i).toLowerCase(), opaque: s.slice(i + 1, end) } satisfies AbsoluteUri;
}

/**
 * `*( ";" uri-parameter )` from s[i] (RFC 3261 §25.1 uri-parameters, RFC 3966 par): pushes the
 * parameters flat into `params` when given. Returns the index after the last one.
 */
function scanUriParams(
  s: string,
  i: number,
  end: number,
  code: SipErrorCode,
  params: ParamValue[] | null,
): number {
  while (i < end && s.charCodeAt(i) === 59) {
    const nameStart = ++i;
    i = scan(s, i, end, C_PARAM);
    if (i === nameStart) throw new SipSyntaxError(code, 'empty uri-parameter');
    const nameEnd = i;
    let valueStart = -1;
    if (i < end && s.charCodeAt(i) === 61) {
      valueStart = ++i;
      i = scan(s, i, end, C_PARAM);
      if (i === valueStart) throw new SipSyntaxError(code, 'empty uri-parameter value');
    }
    if (params !== null)
      params.push(s.slice(nameStart, nameEnd), valueStart === -1 ? null : s.slice(valueStart, i));
  }
  return i;
}

function sipUri(
  s: string,
  scheme: 'sip' | 'sips',
  start: number,
  end: number,
  code: SipErrorCode,
  build: boolean,
): SipUri | undefined {
  let i = start;
  let userEnd = -1;
  // userinfo ends at the only '@': user, password, params and headers cannot hold a raw '@'.
  const at = s.indexOf('@', start);
  if (at !== -1 && at < end) {
    // A second '@' cannot pass the host, parameter or header scans below.
    userEnd = scan(s, start, at, C_USER);
    if (userEnd === start) throw new SipSyntaxError(code, 'empty user');
    if (userEnd !== at) {
      if (s.charCodeAt(userEnd) !== 58) throw new SipSyntaxError(code, 'user');
      if (scan(s, userEnd + 1, at, C_PASSWORD) !== at) throw new SipSyntaxError(code, 'password');
    }
    i = at + 1;
  }
  const hostStart = i;
  i = scanHost(s, i, end);
  if (i === -1) throw new SipSyntaxError(code, 'host');
  const hostEnd = i;
  let port = -1;
  if (i < end && s.charCodeAt(i) === 58) {
    const portStart = ++i;
    let value = 0;
    while (i < end) {
      const c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
      value = value * 10 + (c - 48);
      i++;
    }
    if (i === portStart || i - portStart > 5 || value > 65535) throw new SipSyntaxError(code, 'port');
    port = value;
  }
  const params: ParamValue[] | null = build ? [] : null;
  i = scanUriParams(s, i, end, code, params);
  const headers: Array<[string, string]> | null = build ? [] : null;
  if (i < end && s.charCodeAt(i) === 63) {
    do {
      const nameStart = ++i;
      i = scan(s, i, end, C_HNV);
      if (i === nameStart || i >= end || s.charCodeAt(i) !== 61) throw new SipSyntaxError(code, 'URI header');
      const nameEnd = i;
      const valueStart = ++i;
      i = scan(s, i, end, C_HNV);
      if (headers !== null) headers.push([s.slice(nameStart, nameEnd), s.slice(valueStart, i)]);
    } while (i < end && s.charCodeAt(i) === 38);
  }
  if (i !== end) throw new SipSyntaxError(code, `unexpected '${s[i]}' in URI`);
  if (!build) return undefined;
  const uri: SipUri = {
    scheme,
    host: s.slice(hostStart, hostEnd),
    params: Params.fromFlat(params!),
    headers: headers!,
  };
  if (userEnd !== -1) {
    uri.user = s.slice(start, userEnd);
    if (userEnd !== at) uri.password = s.slice(userEnd + 1, at);
  }
  if (port !== -1) uri.port = port;
  return uri;
}

/** tel: telephone-subscriber (RFC 3966 §3): digits, visual separators, then ;params. */
function telUri(
  s: string,
  start: number,
  end: number,
  code: SipErrorCode,
  build: boolean,
): TelUri | undefined {
  let i = start;
  while (i < end) {
    const c = s.charCodeAt(i);
    if (is(c, C_HEX) || c === 42 || c === 35 || c === 43 || c === 45 || c === 46 || c === 40 || c === 41) i++;
    else break;
  }
  if (i === start) throw new SipSyntaxError(code, 'tel number');
  const numberEnd = i;
  const params: ParamValue[] | null = build ? [] : null;
  i = scanUriParams(s, i, end, code, params);
  if (i !== end) throw new SipSyntaxError(code, 'tel URI');
  if (!build) return undefined;
  return { scheme: 'tel', number: s.slice(start, numberEnd), params: Params.fromFlat(params!) };
}

/** The wire form of a URI; escapes are written as stored, so parse∘format is the identity. */
export function formatUri(u: Uri): string {
  if (u.scheme === 'sip' || u.scheme === 'sips') {
    const sip = u as SipUri;
    let out = `${sip.scheme}:`;
    if (sip.user !== undefined) {
      out += sip.user;
      if (sip.password !== undefined) out += `:${sip.password}`;
      out += '@';
    }
    out += sip.host;
    if (sip.port !== undefined) out += `:${sip.port}`;
    out += sip.params.toString();
    for (let h = 0; h < sip.headers.length; h++) {
      const [name, value] = sip.headers[h]!;
      out += `${h === 0 ? '?' : '&'}${name}=${value}`;
    }
    return out;
  }
  if (u.scheme === 'tel') {
    const tel = u as TelUri;
    return `tel:${tel.number}${tel.params.toString()}`;
  }
  return `${u.scheme}:${(u as AbsoluteUri).opaque}`;
}

/** Decodes `%HH` escapes once, as UTF-8 (RFC 3261 §19.1.2). `%25%34%31` gives `%41`, never `A`. */
export function unescapeUriComponent(s: string): string {
  if (!s.includes('%')) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 37 && i + 2 < s.length && is(s.charCodeAt(i + 1), C_HEX) && is(s.charCodeAt(i + 2), C_HEX)) {
      bytes.push(Number.parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c < 128) {
      bytes.push(c);
    } else {
      for (const b of Buffer.from(s[i]!, 'utf8')) bytes.push(b);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

const RESERVED = new Set(';/?:@&=+$,'.split('').map((c) => c.charCodeAt(0)));

/**
 * Canonical text for comparison (§19.1.4): an escaped unreserved char equals the char itself,
 * while an escaped reserved char (or `%`, or a non-printable) stays escaped with upper-case hex,
 * so `%3B` never equals `;` and `%253B` never equals `%3B`.
 */
function canonicalEscapes(s: string): string {
  if (!s.includes('%')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 37 && i + 2 < s.length) {
      const byte = Number.parseInt(s.slice(i + 1, i + 3), 16);
      i += 2;
      if (RESERVED.has(byte) || byte === 37 || byte < 0x21 || byte > 0x7e) {
        out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
      } else {
        out += String.fromCharCode(byte);
      }
    } else {
      out += s[i];
    }
  }
  return out;
}

const MUST_MATCH_PARAMS = ['user', 'ttl', 'method', 'maddr', 'transport'];

/** Parameter name → value with escapes made canonical and case folded (names and values). */
function canonicalParams(p: Params): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const [name, value] of p) {
    const key = canonicalEscapes(name).toLowerCase();
    if (!out.has(key)) out.set(key, value === null ? null : canonicalEscapes(value).toLowerCase());
  }
  return out;
}

function paramsMatch(a: Params, b: Params, mustMatch: readonly string[] | 'all'): boolean {
  const x = canonicalParams(a);
  const y = canonicalParams(b);
  const required = mustMatch === 'all' ? [...new Set([...x.keys(), ...y.keys()])] : mustMatch;
  for (const name of required) if (x.has(name) !== y.has(name)) return false;
  for (const [name, value] of x) {
    // A parameter present in only one URI is ignored (§19.1.4), unless listed above.
    if (y.has(name) && y.get(name) !== value) return false;
  }
  return true;
}

function headersMatch(a: Array<[string, string]>, b: Array<[string, string]>): boolean {
  if (a.length !== b.length) return false;
  const key = (h: [string, string]): string =>
    `${canonicalEscapes(h[0]).toLowerCase()}=${canonicalEscapes(h[1])}`;
  const left = a.map(key).sort();
  const right = b.map(key).sort();
  return left.every((k, i) => k === right[i]);
}

/** RFC 3261 §19.1.4 URI comparison (and RFC 3966 §4 for tel:). */
export function uriEquals(a: Uri, b: Uri): boolean {
  if (a.scheme !== b.scheme) return false;
  if (a.scheme === 'sip' || a.scheme === 'sips') {
    const x = a as SipUri;
    const y = b as SipUri;
    // userinfo is case-sensitive; host case-insensitive; an absent port differs from 5060.
    if ((x.user === undefined) !== (y.user === undefined)) return false;
    if (x.user !== undefined && canonicalEscapes(x.user) !== canonicalEscapes(y.user!)) return false;
    if ((x.password ?? '') !== (y.password ?? '')) {
      if (canonicalEscapes(x.password ?? '') !== canonicalEscapes(y.password ?? '')) return false;
    }
    if (x.host.toLowerCase() !== y.host.toLowerCase()) return false;
    if (x.port !== y.port) return false;
    return paramsMatch(x.params, y.params, MUST_MATCH_PARAMS) && headersMatch(x.headers, y.headers);
  }
  if (a.scheme === 'tel') {
    const x = a as TelUri;
    const y = b as TelUri;
    const digits = (n: string): string => n.replace(/[-.()]/g, '').toLowerCase();
    if (digits(x.number) !== digits(y.number)) return false;
    if (x.params.size !== y.params.size) return false;
    return paramsMatch(
      x.params,
      y.params,
      [...x.params].map(([n]) => n),
    );
  }
  return canonicalEscapes((a as AbsoluteUri).opaque) === canonicalEscapes((b as AbsoluteUri).opaque);
}
