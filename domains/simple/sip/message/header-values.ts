import { C_DIGIT, C_GENVALUE, C_TOKEN, C_WORD, CHAR, is, isWs } from './char-classes.ts';
import { type SipErrorCode, SipSyntaxError } from './errors.ts';
import type { NameAddr } from './name-addr.ts';
import { Params, type ParamValue } from './params.ts';
import type { Uri } from './uri.ts';
import { formatUri, isIPv4, isIPv6, isValidHost, parseUriIn, scanHost } from './uri-codec.ts';
import type { Via } from './via.ts';

// Parsers and formatters for the structured header values of RFC 3261 §20 / §25.1. Input is a
// header value as SipHeaders stores it (folding already replaced by SP). LWS is allowed wherever
// the ABNF puts SWS/LWS (SEMI, EQUAL, SLASH, COLON, COMMA); nothing else is forgiven.

export interface CSeq {
  seq: number;
  method: string;
}

const GENERIC: SipErrorCode = 'SIP_ERR_MALFORMED_HEADER';
const MAX_CSEQ = 2 ** 32 - 1;

function skipWs(s: string, i: number): number {
  while (i < s.length && isWs(s.charCodeAt(i))) i++;
  return i;
}

function scanToken(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c >= 128 || (CHAR[c]! & C_TOKEN) === 0) break;
    i++;
  }
  return i;
}

function scanDigits(s: string, i: number): number {
  while (i < s.length && is(s.charCodeAt(i), C_DIGIT)) i++;
  return i;
}

/**
 * quoted-string starting at s[i] === '"' (RFC 3261 §25.1): qdtext or quoted-pair, no raw
 * control characters. Returns the index after the closing quote.
 */
function scanQuoted(s: string, i: number, code: SipErrorCode): number {
  i++;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 34) return i + 1;
    if (c === 92) {
      const next = s.charCodeAt(i + 1);
      // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)
      if (Number.isNaN(next) || next === 10 || next === 13 || next > 0x7f) {
        throw new SipSyntaxError(code, 'quoted-pair');
      }
      i += 2;
      continue;
    }
    if ((c < 0x20 && c !== 9) || c === 0x7f)
      throw new SipSyntaxError(code, 'control character in quoted-string');
    i++;
  }
  throw new SipSyntaxError(code, 'unterminated quoted-string');
}

function unquote(q: string): string {
  if (q.indexOf('\\') === -1) return q.slice(1, -1); // no quoted-pair: the common case
  let out = '';
  for (let i = 1; i < q.length - 1; i++) {
    if (q.charCodeAt(i) === 92) i++;
    out += q[i];
  }
  return out;
}

/** `"…"` with `"` and `\` escaped (RFC 3261 §25.1 quoted-pair). */
export function quoteString(s: string): string {
  return `"${s.replace(/["\\]/g, '\\$&')}"`;
}

/**
 * `*( SEMI generic-param )` from s[i] to the end: `;name`, `;name=token/host`, `;name="quoted"`.
 * Quoted values are stored with their quotes, as written.
 */
function parseGenericParams(s: string, i: number, code: SipErrorCode): Params {
  return Params.fromFlat(parseGenericParamEntries(s, i, code));
}

/** Flat name, value, name, value … (the Params.fromFlat form). */
function parseGenericParamEntries(s: string, i: number, code: SipErrorCode): ParamValue[] {
  const entries: ParamValue[] = [];
  const n = s.length;
  for (;;) {
    while (i < n && isWs(s.charCodeAt(i))) i++;
    if (i >= n) break;
    if (s.charCodeAt(i) !== 59) throw new SipSyntaxError(code, `unexpected '${s[i]}'`);
    i++;
    while (i < n && isWs(s.charCodeAt(i))) i++;
    const nameStart = i;
    i = scanToken(s, i);
    if (i === nameStart) throw new SipSyntaxError(code, 'empty parameter');
    const name = s.slice(nameStart, i);
    let value: ParamValue = null;
    let afterName = i;
    while (afterName < n && isWs(s.charCodeAt(afterName))) afterName++;
    if (s.charCodeAt(afterName) === 61) {
      i = afterName + 1;
      while (i < n && isWs(s.charCodeAt(i))) i++;
      const valueStart = i;
      if (s.charCodeAt(i) === 34) {
        i = scanQuoted(s, i, code);
      } else {
        // gen-value = token / host (host adds ':' '[' ']' for IPv6 references)
        while (i < n) {
          const c = s.charCodeAt(i);
          if (c >= 128 || (CHAR[c]! & C_GENVALUE) === 0) break;
          i++;
        }
      }
      if (i === valueStart) throw new SipSyntaxError(code, `empty value of ${name}`);
      value = s.slice(valueStart, i);
    } else {
      i = afterName;
    }
    entries.push(name, value);
  }
  return entries;
}

/**
 * One name-addr or addr-spec with header parameters (From, To, Contact, Route …).
 * `<uri;p>;hp`: p is a URI parameter, hp a header parameter (RFC 4475 cparam01/cparam02).
 * In addr-spec form the URI ends at the first ';' or LWS and must not hold '?' or ','
 * (RFC 3261 §20.10, RFC 4475 regbadct).
 */
export function parseNameAddr(v: string, code: SipErrorCode = GENERIC): NameAddr {
  const s = v;
  let i = skipWs(s, 0);
  let displayName: string | undefined;
  let angle = false;
  if (s.charCodeAt(i) === 34) {
    const end = scanQuoted(s, i, code);
    displayName = unquote(s.slice(i, end));
    i = skipWs(s, end);
    if (s.charCodeAt(i) !== 60) throw new SipSyntaxError(code, "expected '<' after display name");
    angle = true;
  } else if (s.charCodeAt(i) === 60) {
    angle = true;
  } else {
    // display-name = *(token LWS): tokens, then '<' (LWS before '<' optional, RFC 4475 lwsdisp).
    let j = i;
    while (j < s.length) {
      const c = s.charCodeAt(j);
      if (c === 32 || c === 9 || (c < 128 && (CHAR[c]! & C_TOKEN) !== 0)) j++;
      else break;
    }
    if (s.charCodeAt(j) === 60) {
      const name = s.slice(i, j).trim();
      if (name.length > 0) displayName = name;
      i = j;
      angle = true;
    }
  }
  let uri: Uri;
  if (angle) {
    const close = s.indexOf('>', i + 1);
    if (close === -1) throw new SipSyntaxError(code, "missing '>'");
    uri = parseUriIn(s, i + 1, close, code);
    i = close + 1;
  } else {
    const start = i;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c === 59 || c === 32 || c === 9) break;
      if (c === 63 || c === 44) throw new SipSyntaxError(code, "'?' or ',' in addr-spec outside <>");
      i++;
    }
    uri = parseUriIn(s, start, i, code);
  }
  const params = parseGenericParams(s, i, code);
  const na: NameAddr = { uri, params };
  if (displayName !== undefined) na.displayName = displayName;
  return na;
}

/** Every value of a name-addr list header (Contact, Route, Record-Route …), fields in order. */
export function parseNameAddrList(fields: string[], code: SipErrorCode = GENERIC): NameAddr[] {
  const out: NameAddr[] = [];
  for (const field of fields) {
    if (field.indexOf(',') === -1 && field.trim().length > 0) {
      out.push(parseNameAddr(field, code)); // the common case: one value per field
      continue;
    }
    const items = splitHeaderList(field);
    if (items.length === 0) throw new SipSyntaxError(code, 'empty list');
    for (const item of items) {
      if (item.length === 0) throw new SipSyntaxError(code, 'empty list element');
      out.push(parseNameAddr(item, code));
    }
  }
  return out;
}

/** `"Name" <uri>;params` — the display name always quoted, so any text survives. */
export function formatNameAddr(na: NameAddr): string {
  const uri = `<${formatUri(na.uri)}>`;
  const head = na.displayName === undefined ? uri : `${quoteString(na.displayName)} ${uri}`;
  return head + na.params.toString();
}

/**
 * Splits a header value at top-level commas (RFC 3261 §7.3.1), not inside quoted strings or
 * <…>. Elements are trimmed; empty elements are kept (so strict parsers can reject them) except
 * that an all-blank value gives [].
 */
export function splitHeaderList(v: string): string[] {
  const out: string[] = [];
  let start = 0;
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (quoted) {
      if (c === 92) i++;
      else if (c === 34) quoted = false;
    } else if (c === 34) {
      quoted = true;
    } else if (c === 60) {
      depth++;
    } else if (c === 62) {
      if (depth > 0) depth--;
    } else if (c === 44 && depth === 0) {
      out.push(v.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = v.slice(start).trim();
  if (out.length === 0 && last.length === 0) return [];
  out.push(last);
  return out;
}

/**
 * via-parm = sent-protocol LWS sent-by *( SEMI via-params ) with SLASH/COLON allowing SWS
 * (RFC 4475 wsinv). Unknown transports are kept as opaque tokens (RFC 4475 transports).
 */
export function parseVia(v: string, code: SipErrorCode = 'SIP_ERR_MALFORMED_VIA'): Via {
  const s = v;
  const n = s.length;
  let i = skipWs(s, 0);
  let protocol: string;
  let transport: string;
  if (s.startsWith('SIP/2.0/', i)) {
    // The form every RFC 3261 element writes; the general path below handles LWS and case.
    i += 8;
    const start = i;
    i = scanToken(s, i);
    if (i === start) throw new SipSyntaxError(code, 'transport');
    transport = upperTransport(s.slice(start, i));
    protocol = 'SIP/2.0';
  } else {
    const parts: string[] = [];
    for (let p = 0; p < 3; p++) {
      if (p > 0) {
        i = skipWs(s, i);
        if (s.charCodeAt(i) !== 47) throw new SipSyntaxError(code, 'sent-protocol');
        i = skipWs(s, i + 1);
      }
      const start = i;
      i = scanToken(s, i);
      if (i === start) throw new SipSyntaxError(code, 'sent-protocol');
      parts.push(s.slice(start, i));
    }
    protocol = `${parts[0]!.toUpperCase()}/${parts[1]!}`;
    transport = upperTransport(parts[2]!);
  }
  const beforeSentBy = i;
  i = skipWs(s, i);
  if (i === beforeSentBy) throw new SipSyntaxError(code, 'LWS before sent-by');
  const hostStart = i;
  i = scanHost(s, i, n);
  if (i === -1) throw new SipSyntaxError(code, 'sent-by host');
  const host = s.slice(hostStart, i);
  let port: number | undefined;
  let afterHost = i;
  while (afterHost < n && isWs(s.charCodeAt(afterHost))) afterHost++;
  if (s.charCodeAt(afterHost) === 58) {
    let j = skipWs(s, afterHost + 1);
    const portStart = j;
    let value = 0;
    while (j < n) {
      const c = s.charCodeAt(j);
      if (c < 48 || c > 57) break;
      value = value * 10 + (c - 48);
      j++;
    }
    if (j === portStart || j - portStart > 5 || value > 65535) throw new SipSyntaxError(code, 'sent-by port');
    port = value;
    i = j;
  }
  const entries = parseGenericParamEntries(s, i, code);
  for (let e = 0; e < entries.length; e += 2) checkViaParam(entries[e] as string, entries[e + 1]!, code);
  const via: Via = { protocol, transport, host, params: Params.fromFlat(entries) };
  if (port !== undefined) via.port = port;
  return via;
}

function upperTransport(t: string): string {
  // Skips the toUpperCase allocation for the usual spellings.
  if (t === 'UDP' || t === 'TCP' || t === 'TLS' || t === 'SCTP' || t === 'WS' || t === 'WSS') return t;
  return t.toUpperCase();
}

function named(name: string, lower: string): boolean {
  return name.length === lower.length && (name === lower || name.toLowerCase() === lower);
}

/** via-ttl, via-maddr, via-received, via-branch (RFC 3261 §25.1) and rport (RFC 3581 §2). */
function checkViaParam(name: string, value: ParamValue, code: SipErrorCode): void {
  if (named(name, 'branch')) {
    // gen-value scanning allowed token, host and quoted forms; a branch is a token only.
    if (
      value === null ||
      value.charCodeAt(0) === 34 ||
      value.indexOf(':') !== -1 ||
      value.indexOf('[') !== -1 ||
      value.indexOf(']') !== -1
    ) {
      throw new SipSyntaxError(code, 'branch');
    }
  } else if (named(name, 'received')) {
    if (value === null || !(isIPv4(value) || isIPv6(value) || isIPv6Bracketed(value))) {
      throw new SipSyntaxError(code, 'received');
    }
  } else if (named(name, 'rport')) {
    if (value !== null && !isDigits(value, 5, 65535)) throw new SipSyntaxError(code, 'rport');
  } else if (named(name, 'ttl')) {
    if (value === null || !isDigits(value, 3, 255)) throw new SipSyntaxError(code, 'ttl');
  } else if (named(name, 'maddr')) {
    if (value === null || !isValidHost(value)) throw new SipSyntaxError(code, 'maddr');
  }
}

function isIPv6Bracketed(v: string): boolean {
  return v.startsWith('[') && v.endsWith(']') && isIPv6(v.slice(1, -1));
}

function isDigits(v: string, maxLen: number, max: number): boolean {
  if (v.length === 0 || v.length > maxLen) return false;
  for (let i = 0; i < v.length; i++) if (!is(v.charCodeAt(i), C_DIGIT)) return false;
  return Number(v) <= max;
}

/** Every Via value, topmost first; each field may carry several comma-separated values. */
export function parseViaList(fields: string[], code: SipErrorCode = 'SIP_ERR_MALFORMED_VIA'): Via[] {
  const out: Via[] = [];
  for (const field of fields) {
    const items = splitHeaderList(field);
    if (items.length === 0) throw new SipSyntaxError(code, 'empty Via');
    for (const item of items) out.push(parseVia(item, code));
  }
  return out;
}

export function formatVia(v: Via): string {
  return `${v.protocol}/${v.transport} ${v.host}${v.port === undefined ? '' : `:${v.port}`}${v.params.toString()}`;
}

/** CSeq = 1*DIGIT LWS Method; the number must fit 32 bits (RFC 3261 §8.1.1.5, RFC 4475 scalar02). */
export function parseCSeq(v: string, code: SipErrorCode = 'SIP_ERR_MALFORMED_CSEQ'): CSeq {
  let i = skipWs(v, 0);
  const digitsStart = i;
  // Leading zeros are legal (RFC 4475 wsinv `0009`); the value saturates once past 2^32 - 1.
  let seq = 0;
  while (i < v.length) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) break;
    if (seq <= MAX_CSEQ) seq = seq * 10 + (c - 48);
    i++;
  }
  if (i === digitsStart) throw new SipSyntaxError(code, 'sequence number');
  const methodStart = skipWs(v, i);
  if (methodStart === i) throw new SipSyntaxError(code, 'LWS before method');
  const methodEnd = scanToken(v, methodStart);
  if (methodEnd === methodStart || skipWs(v, methodEnd) !== v.length)
    throw new SipSyntaxError(code, 'method');
  if (seq > MAX_CSEQ) throw new SipSyntaxError('SIP_ERR_CSEQ_OUT_OF_RANGE', v.slice(digitsStart, i));
  return { seq, method: v.slice(methodStart, methodEnd) };
}

export function formatCSeq(c: CSeq): string {
  return `${c.seq} ${c.method}`;
}

/** callid = word [ "@" word ] (RFC 3261 §25.1); returns the value. */
export function parseCallId(v: string, code: SipErrorCode = 'SIP_ERR_MALFORMED_CALL_ID'): string {
  const start = skipWs(v, 0);
  let end = v.length;
  while (end > start && isWs(v.charCodeAt(end - 1))) end--;
  let at = -1;
  for (let i = start; i < end; i++) {
    const c = v.charCodeAt(i);
    if (c === 64 && at === -1 && i > start) {
      at = i;
      continue;
    }
    if (c >= 128 || (CHAR[c]! & C_WORD) === 0) throw new SipSyntaxError(code, 'word character');
  }
  if (end === start || at === end - 1) throw new SipSyntaxError(code, 'empty word');
  return start === 0 && end === v.length ? v : v.slice(start, end);
}

/** Max-Forwards = 1*DIGIT, 0-255 (RFC 3261 §20.22); leading zeros allowed (RFC 4475 wsinv). */
export function parseMaxForwards(v: string, code: SipErrorCode = 'SIP_ERR_MALFORMED_MAX_FORWARDS'): number {
  const value = digitsValue(v, 255);
  if (value < 0) throw new SipSyntaxError(code);
  if (value > 255) throw new SipSyntaxError(code, 'over 255');
  return value;
}

/**
 * `SWS 1*DIGIT SWS` as a number (leading zeros allowed), saturating just above `cap`;
 * -1 when the text is not that.
 */
function digitsValue(v: string, cap: number): number {
  let i = skipWs(v, 0);
  const start = i;
  let value = 0;
  while (i < v.length) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) break;
    if (value <= cap) value = value * 10 + (c - 48);
    i++;
  }
  if (i === start || skipWs(v, i) !== v.length) return -1;
  return value;
}

/** Content-Length = 1*DIGIT (RFC 3261 §20.14); never negative (RFC 4475 ncl). */
export function parseContentLength(
  v: string,
  code: SipErrorCode = 'SIP_ERR_MALFORMED_CONTENT_LENGTH',
): number {
  // Anything beyond 2^40 is over every size limit; the value saturates there, finite but huge.
  const value = digitsValue(v, 2 ** 40);
  if (value < 0) throw new SipSyntaxError(code);
  return value;
}

/** Contact values, or '*' for the wildcard (alone, RFC 3261 §10.2.2). */
export function parseContactList(
  fields: string[],
  code: SipErrorCode = 'SIP_ERR_MALFORMED_CONTACT',
): NameAddr[] | '*' {
  if (fields.length === 1 && fields[0]!.trim() === '*') return '*';
  const list = parseNameAddrList(fields, code);
  for (const na of list) {
    const q = na.params.get('q');
    // qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
    if (q !== undefined && (q === null || !/^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(q))) {
      throw new SipSyntaxError(code, 'q');
    }
    const expires = na.params.get('expires');
    if (
      expires !== undefined &&
      (expires === null || scanDigits(expires, 0) !== expires.length || expires === '')
    ) {
      throw new SipSyntaxError(code, 'expires');
    }
  }
  return list;
}
