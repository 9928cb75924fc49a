import { C_GENVALUE, C_TOKEN, C_WORD, CHAR, isWs } from './char-classes.ts';
import { type SipErrorCode, SipSyntaxError } from './errors.ts';
import type { NameAddr } from './name-addr.ts';
import { Params, type ParamValue } from './params.ts';
import type { Uri } from './uri.ts';
import { checkUriIn, formatUri, isIPv4, isIPv6, parseUriIn, scanHost } from './uri-codec.ts';
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

// The scanners work on s[i, end): a header value on its own, or its span inside the decoded
// header section (decode checks values in place: no slices, and one flat string to scan).

function skipWs(s: string, i: number, end: number): number {
  while (i < end && isWs(s.charCodeAt(i))) i++;
  return i;
}

function scanToken(s: string, i: number, end: number): number {
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c >= 128 || (CHAR[c]! & C_TOKEN) === 0) break;
    i++;
  }
  return i;
}

/** The char code at s[i], or -1 at or past `end`. */
function codeAt(s: string, i: number, end: number): number {
  return i < end ? s.charCodeAt(i) : -1;
}

/**
 * quoted-string starting at s[i] === '"' (RFC 3261 §25.1): qdtext or quoted-pair, no raw
 * control characters. Returns the index after the closing quote.
 */
function scanQuoted(s: string, i: number, end: number, code: SipErrorCode): number {
  i++;
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c === 34) return i + 1;
    if (c === 92) {
      const next = codeAt(s, i + 1, end);
      // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)
      if (next === -1 || next === 10 || next === 13 || next > 0x7f) {
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

// What the generic-parameter scanner checks beyond the grammar, by header.
const RULES_NONE = 0;
/** via-ttl, via-maddr, via-received, via-branch (RFC 3261 §25.1), rport (RFC 3581 §2). */
const RULES_VIA = 1;
/** The first `q` is a qvalue and the first `expires` is delta-seconds (RFC 3261 §20.10). */
const RULES_CONTACT = 2;
/** No rule; the value of the first `tag` is handed back (From/To, RFC 3261 §19.3). */
const RULES_TAG = 3;

/**
 * `*( SEMI generic-param )` from s[i] to the end: `;name`, `;name=token/host`, `;name="quoted"`,
 * checked by `rules`. Quoted values are kept with their quotes, as written. With `entries` the
 * parameters are pushed there flat (name, value, name, value …, the Params.fromFlat form);
 * without, the text is only checked and nothing is allocated (decode's validation pass).
 * With RULES_TAG, returns the first `tag` parameter's value as Params.get would (undefined for
 * a flag or none); otherwise undefined.
 */
function scanGenericParams(
  s: string,
  i: number,
  n: number,
  code: SipErrorCode,
  rules: number,
  entries: ParamValue[] | null,
): string | undefined {
  // RULES_CONTACT: 1 = a q was checked, 2 = an expires was checked; RULES_TAG: 1 = tag seen
  let seen = 0;
  let tag: string | undefined;
  for (;;) {
    while (i < n && isWs(s.charCodeAt(i))) i++;
    if (i >= n) return tag;
    if (s.charCodeAt(i) !== 59) throw new SipSyntaxError(code, `unexpected '${s[i]}'`);
    i++;
    while (i < n && isWs(s.charCodeAt(i))) i++;
    const nameStart = i;
    i = scanToken(s, i, n);
    const nameEnd = i;
    if (i === nameStart) throw new SipSyntaxError(code, 'empty parameter');
    let valueStart = -1;
    let valueEnd = -1;
    let tokenEnd = -1; // a token value (no quotes, no ':' '[' ']') ends here
    let afterName = i;
    while (afterName < n && isWs(s.charCodeAt(afterName))) afterName++;
    if (afterName < n && s.charCodeAt(afterName) === 61) {
      i = afterName + 1;
      while (i < n && isWs(s.charCodeAt(i))) i++;
      valueStart = i;
      if (i < n && s.charCodeAt(i) === 34) {
        i = scanQuoted(s, i, n, code);
      } else {
        // gen-value = token / host (host adds ':' '[' ']' for IPv6 references)
        i = scanToken(s, i, n);
        tokenEnd = i;
        while (i < n) {
          const c = s.charCodeAt(i);
          if (c >= 128 || (CHAR[c]! & C_GENVALUE) === 0) break;
          i++;
        }
      }
      if (i === valueStart) throw new SipSyntaxError(code, `empty value of ${s.slice(nameStart, nameEnd)}`);
      valueEnd = i;
    } else {
      i = afterName;
    }
    if (rules === RULES_VIA)
      checkViaParam(
        s,
        nameStart,
        nameEnd,
        valueStart,
        valueEnd,
        valueStart !== -1 && tokenEnd === valueEnd,
        code,
      );
    else if (rules === RULES_CONTACT)
      seen = checkContactParam(s, nameStart, nameEnd, valueStart, valueEnd, seen, code);
    else if (rules === RULES_TAG && seen === 0 && nameIs(s, nameStart, nameEnd, 'tag')) {
      seen = 1;
      if (valueStart !== -1) tag = s.slice(valueStart, valueEnd);
    }
    if (entries !== null)
      entries.push(s.slice(nameStart, nameEnd), valueStart === -1 ? null : s.slice(valueStart, valueEnd));
  }
}

/** s[from, to) is `lower` in any case (`lower`: lower-case letters only). */
function nameIs(s: string, from: number, to: number, lower: string): boolean {
  if (to - from !== lower.length) return false;
  for (let k = 0; k < lower.length; k++)
    if ((s.charCodeAt(from + k) | 0x20) !== lower.charCodeAt(k)) return false;
  return true;
}

/**
 * One name-addr or addr-spec with header parameters (From, To, Contact, Route …).
 * `<uri;p>;hp`: p is a URI parameter, hp a header parameter (RFC 4475 cparam01/cparam02).
 * In addr-spec form the URI ends at the first ';' or LWS and must not hold '?' or ','
 * (RFC 3261 §20.10, RFC 4475 regbadct).
 */
export function parseNameAddr(v: string, code: SipErrorCode = GENERIC): NameAddr {
  return nameAddr(v, 0, v.length, code, RULES_NONE, true) as NameAddr;
}

/**
 * Checks the name-addr in s[from, to) as parseNameAddr does, building nothing but the value of
 * its first `tag` parameter, which it returns as `parseNameAddr(…).params.get('tag') ?? undefined`
 * would (decode seeds fromTag/toTag with it: the transaction layer's keys, RFC 3261 §17.2.3).
 */
export function checkNameAddrIn(
  s: string,
  from: number,
  to: number,
  code: SipErrorCode = GENERIC,
): string | undefined {
  return nameAddr(s, from, to, code, RULES_TAG, false) as string | undefined;
}

function nameAddr(
  s: string,
  from: number,
  end: number,
  code: SipErrorCode,
  rules: number,
  build: boolean,
): NameAddr | string | undefined {
  let i = skipWs(s, from, end);
  let displayName: string | undefined;
  let angle = false;
  const c0 = codeAt(s, i, end);
  if (c0 === 34) {
    const close = scanQuoted(s, i, end, code);
    if (build) displayName = unquote(s.slice(i, close));
    i = skipWs(s, close, end);
    if (codeAt(s, i, end) !== 60) throw new SipSyntaxError(code, "expected '<' after display name");
    angle = true;
  } else if (c0 === 60) {
    angle = true;
  } else {
    // display-name = *(token LWS): tokens, then '<' (LWS before '<' optional, RFC 4475 lwsdisp).
    let j = i;
    while (j < end) {
      const c = s.charCodeAt(j);
      if (c === 32 || c === 9 || (c < 128 && (CHAR[c]! & C_TOKEN) !== 0)) j++;
      else break;
    }
    if (codeAt(s, j, end) === 60) {
      if (build) {
        const name = s.slice(i, j).trim();
        if (name.length > 0) displayName = name;
      }
      i = j;
      angle = true;
    }
  }
  let uri: Uri | undefined;
  if (angle) {
    const close = s.indexOf('>', i + 1);
    if (close === -1 || close >= end) throw new SipSyntaxError(code, "missing '>'");
    if (build) uri = parseUriIn(s, i + 1, close, code);
    else checkUriIn(s, i + 1, close, code);
    i = close + 1;
  } else {
    const start = i;
    while (i < end) {
      const c = s.charCodeAt(i);
      if (c === 59 || c === 32 || c === 9) break;
      if (c === 63 || c === 44) throw new SipSyntaxError(code, "'?' or ',' in addr-spec outside <>");
      i++;
    }
    if (build) uri = parseUriIn(s, start, i, code);
    else checkUriIn(s, start, i, code);
  }
  // Checking only: hand back what RULES_TAG found.
  if (!build) return scanGenericParams(s, i, end, code, rules, null);
  const entries: ParamValue[] = [];
  scanGenericParams(s, i, end, code, rules, entries);
  const na: NameAddr = { uri: uri!, params: Params.fromFlat(entries) };
  if (displayName !== undefined) na.displayName = displayName;
  return na;
}

/** Parses the name-addr in s[from, to) (a message's getters, in the decoded section text). */
export function parseNameAddrIn(s: string, from: number, to: number, code: SipErrorCode = GENERIC): NameAddr {
  return nameAddr(s, from, to, code, RULES_NONE, true) as NameAddr;
}

/**
 * What parseNameAddrList does for one field, `value`, into `out`; a lone value is read in place
 * from s[at, at + value.length), where `s` holds the same text (the decoded section).
 */
export function parseNameAddrFieldAt(
  value: string,
  s: string,
  at: number,
  out: NameAddr[],
  code: SipErrorCode = GENERIC,
): void {
  nameAddrField(value, code, RULES_NONE, out, s, at);
}

/** Every value of a name-addr list header (Contact, Route, Record-Route …), fields in order. */
export function parseNameAddrList(fields: string[], code: SipErrorCode = GENERIC): NameAddr[] {
  const out: NameAddr[] = [];
  for (const field of fields) nameAddrField(field, code, RULES_NONE, out);
  return out;
}

/** Checks one field of a name-addr list header as parseNameAddrList does, building nothing. */
export function checkNameAddrField(field: string, code: SipErrorCode = GENERIC): void {
  nameAddrField(field, code, RULES_NONE, null);
}

/** One field of a name-addr list: one value (the common case) or several, comma-separated. */
function nameAddrField(
  field: string,
  code: SipErrorCode,
  rules: number,
  out: NameAddr[] | null,
  s: string = field,
  at = 0,
): void {
  if (field.indexOf(',') === -1 && field.trim().length > 0) {
    const na = nameAddr(s, at, at + field.length, code, rules, out !== null);
    if (out !== null) out.push(na as NameAddr);
    return;
  }
  const items = splitHeaderList(field);
  if (items.length === 0) throw new SipSyntaxError(code, 'empty list');
  for (const item of items) {
    if (item.length === 0) throw new SipSyntaxError(code, 'empty list element');
    const na = nameAddr(item, 0, item.length, code, rules, out !== null);
    if (out !== null) out.push(na as NameAddr);
  }
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
  return via(v, 0, v.length, code, true)!;
}

function via(s: string, from: number, n: number, code: SipErrorCode, build: boolean): Via | undefined {
  let i = skipWs(s, from, n);
  // sent-protocol as three token spans: name, version, transport.
  let nameStart = -1;
  let nameEnd = -1;
  let versionStart = -1;
  let versionEnd = -1;
  let transportStart: number;
  if (i + 8 <= n && s.startsWith('SIP/2.0/', i)) {
    // The form every RFC 3261 element writes; the general path below handles LWS and case.
    i += 8;
    transportStart = i;
    i = scanToken(s, i, n);
    if (i === transportStart) throw new SipSyntaxError(code, 'transport');
  } else {
    nameStart = i;
    i = scanToken(s, i, n);
    if (i === nameStart) throw new SipSyntaxError(code, 'sent-protocol');
    nameEnd = i;
    i = skipSlash(s, i, n, code);
    versionStart = i;
    i = scanToken(s, i, n);
    if (i === versionStart) throw new SipSyntaxError(code, 'sent-protocol');
    versionEnd = i;
    i = skipSlash(s, i, n, code);
    transportStart = i;
    i = scanToken(s, i, n);
    if (i === transportStart) throw new SipSyntaxError(code, 'sent-protocol');
  }
  const transportEnd = i;
  i = skipWs(s, i, n);
  if (i === transportEnd) throw new SipSyntaxError(code, 'LWS before sent-by');
  const hostStart = i;
  i = scanHost(s, i, n);
  if (i === -1) throw new SipSyntaxError(code, 'sent-by host');
  const hostEnd = i;
  let port = -1;
  let afterHost = i;
  while (afterHost < n && isWs(s.charCodeAt(afterHost))) afterHost++;
  if (afterHost < n && s.charCodeAt(afterHost) === 58) {
    let j = skipWs(s, afterHost + 1, n);
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
  if (!build) {
    scanGenericParams(s, i, n, code, RULES_VIA, null);
    return undefined;
  }
  const entries: ParamValue[] = [];
  scanGenericParams(s, i, n, code, RULES_VIA, entries);
  const protocol =
    nameStart === -1
      ? 'SIP/2.0'
      : `${s.slice(nameStart, nameEnd).toUpperCase()}/${s.slice(versionStart, versionEnd)}`;
  const transport = upperTransport(s.slice(transportStart, transportEnd));
  const result: Via = {
    protocol,
    transport,
    host: s.slice(hostStart, hostEnd),
    params: Params.fromFlat(entries),
  };
  if (port !== -1) result.port = port;
  return result;
}

/** SLASH = SWS "/" SWS (RFC 3261 §25.1); returns the index after it. */
function skipSlash(s: string, i: number, end: number, code: SipErrorCode): number {
  i = skipWs(s, i, end);
  if (codeAt(s, i, end) !== 47) throw new SipSyntaxError(code, 'sent-protocol');
  return skipWs(s, i + 1, end);
}

function upperTransport(t: string): string {
  // Skips the toUpperCase allocation for the usual spellings.
  if (t === 'UDP' || t === 'TCP' || t === 'TLS' || t === 'SCTP' || t === 'WS' || t === 'WSS') return t;
  return t.toUpperCase();
}

/**
 * via-ttl, via-maddr, via-received, via-branch (RFC 3261 §25.1) and rport (RFC 3581 §2), on the
 * parameter's spans (value -1 for a flag), so checking needs no strings. `isToken`: the value
 * is a token (gen-value also allows host and quoted-string forms).
 */
function checkViaParam(
  s: string,
  ns: number,
  ne: number,
  vs: number,
  ve: number,
  isToken: boolean,
  code: SipErrorCode,
): void {
  switch (ne - ns) {
    case 6:
      // via-branch = "branch" EQUAL token
      if (nameIs(s, ns, ne, 'branch') && !isToken) throw new SipSyntaxError(code, 'branch');
      break;
    case 8:
      // via-received = "received" EQUAL (IPv4address / IPv6address); RFC 3261 §18.2.1 writes
      // IPv6 as a reference, in brackets: both are taken.
      if (nameIs(s, ns, ne, 'received')) {
        if (vs === -1 || !(isIPv4(s, vs, ve) || isIPv6OrReference(s.slice(vs, ve)))) {
          throw new SipSyntaxError(code, 'received');
        }
      }
      break;
    case 5:
      if (nameIs(s, ns, ne, 'rport')) {
        if (vs !== -1 && !isDigits(s, vs, ve, 5, 65535)) throw new SipSyntaxError(code, 'rport');
      } else if (nameIs(s, ns, ne, 'maddr')) {
        if (vs === -1 || scanHost(s, vs, ve) !== ve) throw new SipSyntaxError(code, 'maddr');
      }
      break;
    case 3:
      if (nameIs(s, ns, ne, 'ttl') && (vs === -1 || !isDigits(s, vs, ve, 3, 255))) {
        throw new SipSyntaxError(code, 'ttl');
      }
      break;
  }
}

/** Contact's `q` and `expires` (RFC 3261 §20.10), the first of each only, as Params.get reads them. */
function checkContactParam(
  s: string,
  ns: number,
  ne: number,
  vs: number,
  ve: number,
  seen: number,
  code: SipErrorCode,
): number {
  if ((seen & 1) === 0 && nameIs(s, ns, ne, 'q')) {
    if (vs === -1 || !isQValue(s, vs, ve)) throw new SipSyntaxError(code, 'q');
    return seen | 1;
  }
  if ((seen & 2) === 0 && nameIs(s, ns, ne, 'expires')) {
    if (vs === -1 || !isDigits(s, vs, ve, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY)) {
      throw new SipSyntaxError(code, 'expires');
    }
    return seen | 2;
  }
  return seen;
}

/** qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ) (RFC 3261 §25.1) */
function isQValue(s: string, from: number, to: number): boolean {
  const c0 = s.charCodeAt(from);
  if (c0 !== 48 && c0 !== 49) return false;
  if (to - from === 1) return true;
  if (s.charCodeAt(from + 1) !== 46 || to - from > 5) return false;
  for (let k = from + 2; k < to; k++) {
    const c = s.charCodeAt(k);
    if (c0 === 48 ? c < 48 || c > 57 : c !== 48) return false;
  }
  return true;
}

/** IPv6address, bare or as a reference in brackets (Via received, RFC 3261 §18.2.1). */
function isIPv6OrReference(v: string): boolean {
  if (isIPv6(v)) return true;
  return v.startsWith('[') && v.endsWith(']') && isIPv6(v.slice(1, -1));
}

/** 1 to maxLen digits in s[from, to), at most `max`. */
function isDigits(s: string, from: number, to: number, maxLen: number, max: number): boolean {
  if (to === from || to - from > maxLen) return false;
  let value = 0;
  for (let k = from; k < to; k++) {
    const c = s.charCodeAt(k);
    if (c < 48 || c > 57) return false;
    value = value * 10 + (c - 48);
  }
  return value <= max;
}

/** Every Via value, topmost first; each field may carry several comma-separated values. */
export function parseViaList(fields: string[], code: SipErrorCode = 'SIP_ERR_MALFORMED_VIA'): Via[] {
  const out: Via[] = [];
  for (const field of fields) parseViaFieldAt(field, field, 0, out, code);
  return out;
}

/**
 * What parseViaList does for one field, `value`, into `out`; a lone value is read in place from
 * s[at, at + value.length), where `s` holds the same text (the decoded section).
 */
export function parseViaFieldAt(
  value: string,
  s: string,
  at: number,
  out: Via[],
  code: SipErrorCode = 'SIP_ERR_MALFORMED_VIA',
): void {
  if (value.indexOf(',') === -1) {
    // One value per field, the common case: what splitHeaderList would give, without a scan.
    const item = value.trim();
    if (item.length === 0) throw new SipSyntaxError(code, 'empty Via');
    if (item === value) out.push(via(s, at, at + value.length, code, true)!);
    else out.push(via(item, 0, item.length, code, true)!);
    return;
  }
  const items = splitHeaderList(value);
  if (items.length === 0) throw new SipSyntaxError(code, 'empty Via');
  for (const item of items) out.push(via(item, 0, item.length, code, true)!);
}

/** Parses the one Via value in s[from, to) (decode builds the top Via: every layer reads it). */
export function parseViaIn(
  s: string,
  from: number,
  to: number,
  code: SipErrorCode = 'SIP_ERR_MALFORMED_VIA',
): Via {
  return via(s, from, to, code, true)!;
}

/**
 * Checks the one Via value in s[from, to) (no comma: decode sends lists to checkViaField) as
 * parseVia does, building nothing.
 */
export function checkViaIn(
  s: string,
  from: number,
  to: number,
  code: SipErrorCode = 'SIP_ERR_MALFORMED_VIA',
): void {
  via(s, from, to, code, false);
}

/** Checks one Via field (one value or several, comma-separated) as parseViaList does. */
export function checkViaField(field: string, code: SipErrorCode = 'SIP_ERR_MALFORMED_VIA'): void {
  const items = splitHeaderList(field);
  if (items.length === 0) throw new SipSyntaxError(code, 'empty Via');
  for (const item of items) via(item, 0, item.length, code, false);
}

/** The first Via value of a field (the top Via when it is the first field). */
export function parseFirstVia(field: string, code: SipErrorCode = 'SIP_ERR_MALFORMED_VIA'): Via {
  if (field.indexOf(',') === -1) return via(field, 0, field.length, code, true)!;
  const items = splitHeaderList(field);
  if (items.length === 0) throw new SipSyntaxError(code, 'empty Via');
  return via(items[0]!, 0, items[0]!.length, code, true)!;
}

export function formatVia(v: Via): string {
  return `${v.protocol}/${v.transport} ${v.host}${v.port === undefined ? '' : `:${v.port}`}${v.params.toString()}`;
}

/** CSeq = 1*DIGIT LWS Method; the number must fit 32 bits (RFC 3261 §8.1.1.5, RFC 4475 scalar02). */
export function parseCSeq(v: string, code: SipErrorCode = 'SIP_ERR_MALFORMED_CSEQ'): CSeq {
  let i = skipWs(v, 0, v.length);
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
  const methodStart = skipWs(v, i, v.length);
  if (methodStart === i) throw new SipSyntaxError(code, 'LWS before method');
  const methodEnd = scanToken(v, methodStart, v.length);
  if (methodEnd === methodStart || skipWs(v, methodEnd, v.length) !== v.length)
    throw new SipSyntaxError(code, 'method');
  if (seq > MAX_CSEQ) throw new SipSyntaxError('SIP_ERR_CSEQ_OUT_OF_RANGE', v.slice(digitsStart, i));
  return { seq, method: v.slice(methodStart, methodEnd) };
}

export function formatCSeq(c: CSeq): string {
  return `${c.seq} ${c.method}`;
}

/** callid = word [ "@" word ] (RFC 3261 §25.1); returns the value. */
export function parseCallId(v: string, code: SipErrorCode = 'SIP_ERR_MALFORMED_CALL_ID'): string {
  const start = skipWs(v, 0, v.length);
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
  let i = skipWs(v, 0, v.length);
  const start = i;
  let value = 0;
  while (i < v.length) {
    const c = v.charCodeAt(i);
    if (c < 48 || c > 57) break;
    if (value <= cap) value = value * 10 + (c - 48);
    i++;
  }
  if (i === start || skipWs(v, i, v.length) !== v.length) return -1;
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
  const out: NameAddr[] = [];
  for (const field of fields) nameAddrField(field, code, RULES_CONTACT, out);
  return out;
}

/**
 * Checks the one Contact value in s[from, to) (no comma: decode sends lists to
 * checkContactField) as parseContactList does, building nothing.
 */
export function checkContactIn(
  s: string,
  from: number,
  to: number,
  code: SipErrorCode = 'SIP_ERR_MALFORMED_CONTACT',
): void {
  nameAddr(s, from, to, code, RULES_CONTACT, false);
}

/** Checks one Contact field (one value or several) as parseContactList does, not the wildcard. */
export function checkContactField(field: string, code: SipErrorCode = 'SIP_ERR_MALFORMED_CONTACT'): void {
  nameAddrField(field, code, RULES_CONTACT, null);
}
