import { isAscii, isUtf8 } from 'node:buffer';
import { C_DIGIT, C_TOKEN, CHAR, is, isToken } from './char-classes.ts';
import { SIP_ERRORS, type SipErrorCode, SipSyntaxError } from './errors.ts';
import { CANONICAL_HEADER_NAMES, COMPACT_HEADER_NAMES, canonicalHeaderName } from './header-names.ts';
import {
  type CSeq,
  checkContactField,
  checkContactIn,
  checkNameAddrField,
  checkNameAddrIn,
  checkViaField,
  checkViaIn,
  parseCallId,
  parseContentLength,
  parseCSeq,
  parseMaxForwards,
  parseViaIn,
  splitHeaderList,
} from './header-values.ts';
import { isKnownMethod } from './methods.ts';
import { type HeaderField, SipHeaders, type SipMessage, SipRequest, SipResponse } from './sip-message.ts';
import type { Uri } from './uri.ts';
import { parseUriIn } from './uri-codec.ts';
import type { Via } from './via.ts';

// bytes → SipMessage (RFC 3261 §7, §25). Pure and total: every input gives a DecodeResult, never
// a throw. The header section is decoded to text once, lines are found with indexOf and names
// scanned by charCode. The core headers (Via, From, To, Call-ID, CSeq, Max-Forwards,
// Content-Length, Contact, Route, Record-Route) are all checked against their grammar here, so a
// decoded message is sound and a malformed one gets its 400 now; but Via, From, To, Contact,
// Route and Record-Route are only checked (in place in the section text, nothing built): the
// message's getters parse them on first use. CSeq and Max-Forwards parses seed the getters.
// Every other header stays a raw string.

export interface DecodeOptions {
  /**
   * The bytes are one UDP datagram: a missing Content-Length means "the rest of the datagram"
   * and octets after the body are ignored (RFC 3261 §18.3, RFC 4475 inv2543/dblreq). Otherwise
   * the bytes are one stream-framed message and Content-Length is mandatory.
   */
  datagram?: boolean;
  /** Upper bound of the whole message (default 65 535 bytes) → 513. */
  maxMessageBytes?: number;
  /** Upper bound of header fields (default 256) → 513. */
  maxHeaders?: number;
}

export interface SipDecodeError {
  code: SipErrorCode;
  status: number;
  reason: string;
  /** true for a request (answer it), false for a response (drop it), undefined if unknown. */
  isRequest: boolean | undefined;
  /** The request method, when the Request-Line could be read. */
  method?: string;
  /** Whatever header fields could be read, for a stateless answer (Via, From, To, Call-ID, CSeq). */
  headers?: SipHeaders;
}

export type DecodeResult = { ok: true; message: SipMessage } | { ok: false; error: SipDecodeError };

export const DEFAULT_MAX_MESSAGE_BYTES = 65_535;
export const DEFAULT_MAX_HEADERS = 256;

const CRLFCRLF = Buffer.from('\r\n\r\n', 'latin1');

interface StartLine {
  isRequest: boolean;
  method: string;
  uri: Uri | undefined;
  status: number;
  reason: string;
  version: string;
}

class DecodeFailure {
  constructor(
    readonly code: SipErrorCode,
    readonly isRequest: boolean | undefined,
    readonly method: string | undefined,
    readonly headers: SipHeaders | undefined,
  ) {}
}

interface FailureContext {
  isRequest: boolean;
  method: string | undefined;
  headers: SipHeaders;
}

function fail(at: FailureContext, code: SipErrorCode): never {
  throw new DecodeFailure(code, at.isRequest, at.method, at.headers);
}

function failure(f: DecodeFailure): DecodeResult {
  const entry = SIP_ERRORS[f.code];
  const error: SipDecodeError = {
    code: f.code,
    status: entry.status,
    reason: entry.reason,
    isRequest: f.isRequest,
  };
  if (f.method !== undefined) error.method = f.method;
  if (f.headers !== undefined) error.headers = f.headers;
  return { ok: false, error };
}

/** Decodes one SIP message. Never throws. */
export function decodeSipMessage(bytes: Buffer, options: DecodeOptions = {}): DecodeResult {
  try {
    // A plain Uint8Array (e.g. from a WebSocket) gets a Buffer view, so indexOf searches bytes.
    const buf = Buffer.isBuffer(bytes)
      ? bytes
      : Buffer.from(
          (bytes as Uint8Array).buffer,
          (bytes as Uint8Array).byteOffset,
          (bytes as Uint8Array).byteLength,
        );
    return decode(buf, options);
  } catch (e) {
    if (e instanceof DecodeFailure) return failure(e);
    // A parser bug must still come out as the protocol's answer, not as a crash.
    const code = e instanceof SipSyntaxError ? e.code : 'SIP_ERR_INTERNAL';
    return failure(new DecodeFailure(code, undefined, undefined, undefined));
  }
}

function decode(bytes: Buffer, options: DecodeOptions): DecodeResult {
  const datagram = options.datagram ?? false;
  const maxBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const maxHeaders = options.maxHeaders ?? DEFAULT_MAX_HEADERS;

  // RFC 3261 §7.5: CRLFs before the start-line are ignored.
  let start = 0;
  while (start + 1 < bytes.length && bytes[start] === 13 && bytes[start + 1] === 10) start += 2;
  if (start >= bytes.length)
    throw new DecodeFailure('SIP_ERR_EMPTY_MESSAGE', undefined, undefined, undefined);

  let headerEnd = bytes.indexOf(CRLFCRLF, start);
  const terminated = headerEnd !== -1;
  let bodyStart: number;
  if (terminated) {
    bodyStart = headerEnd + 4;
  } else {
    headerEnd = bytes.length;
    if (headerEnd - start >= 2 && bytes[headerEnd - 2] === 13 && bytes[headerEnd - 1] === 10) headerEnd -= 2;
    bodyStart = bytes.length;
  }
  if (headerEnd - start > maxBytes) {
    throw new DecodeFailure('SIP_ERR_MESSAGE_TOO_LARGE', undefined, undefined, undefined);
  }

  const section = bytes.subarray(start, headerEnd);
  let text: string;
  let badUtf8 = false;
  if (isAscii(section)) {
    text = section.toString('latin1');
  } else {
    badUtf8 = !isUtf8(section);
    text = section.toString('utf8');
  }

  // Start line.
  let lineEnd = text.indexOf('\r\n');
  if (lineEnd === -1) lineEnd = text.length;
  // "SIP/" in any case; a Method cannot contain '/', so this tells the two start lines apart.
  const looksLikeResponse =
    lineEnd >= 4 &&
    (text.charCodeAt(0) | 0x20) === 115 &&
    (text.charCodeAt(1) | 0x20) === 105 &&
    (text.charCodeAt(2) | 0x20) === 112 &&
    text.charCodeAt(3) === 47;
  let line: StartLine | undefined;
  let startError: SipErrorCode | undefined;
  try {
    line = looksLikeResponse ? parseStatusLine(text.slice(0, lineEnd)) : parseRequestLine(text, lineEnd);
  } catch (e) {
    if (!(e instanceof SipSyntaxError)) throw e;
    startError = e.code;
  }
  const isRequest = !looksLikeResponse;
  const method = line?.isRequest ? line.method : requestMethodGuess(text.slice(0, lineEnd), isRequest);

  // Header fields.
  const read = readHeaderFields(text, lineEnd + 2, maxHeaders);
  const headers = new SipHeaders(read.fields);
  const at: FailureContext = { isRequest, method, headers };
  if (badUtf8) fail(at, 'SIP_ERR_INVALID_UTF8');
  if (startError !== undefined) fail(at, startError);
  if (read.error !== undefined) fail(at, read.error);

  // Core headers, in wire order; the first fault is the answer. Via, From, To, Contact, Route
  // and Record-Route are checked in place in `text` (no slices, no objects); the message's
  // getters parse them when first asked. CSeq and Max-Forwards are parsed: cheap, and every
  // layer asks for them.
  let cseq: CSeq | undefined;
  let maxForwards: number | undefined;
  // The top Via is built (the transaction and transport layers read it for every message) when
  // it is a field of its own, as nearly always; a list or folded field is left to the getter.
  let firstVia = -1;
  let topVia: Via | undefined;
  let seenFrom = false;
  let fromTag: string | undefined;
  let seenTo = false;
  let toTag: string | undefined;
  let contentLength: number | undefined;
  let contactAt: number[] | undefined;
  let routeFields: string[] | undefined;
  let recordRouteFields: string[] | undefined;
  const fields = read.fields;
  const starts = read.starts;
  // The next ',' in `text` at or after the field being read (-1: none left), so telling a list
  // field from a single value costs one pass over the section, not one search per field.
  let comma = 0;
  try {
    for (let f = 0; f < fields.length; f++) {
      const field = fields[f]!;
      const value = field.value;
      switch (field.name) {
        case 'Via': {
          if (firstVia === -1) firstVia = f;
          const st = starts[f]!;
          if (st === -1) {
            checkViaField(value, 'SIP_ERR_MALFORMED_VIA'); // folded: its own string
            break;
          }
          if (comma !== -1 && comma < st) comma = text.indexOf(',', st);
          if (comma !== -1 && comma < st + value.length) checkViaField(value, 'SIP_ERR_MALFORMED_VIA');
          else if (f === firstVia) topVia = parseViaIn(text, st, st + value.length, 'SIP_ERR_MALFORMED_VIA');
          else checkViaIn(text, st, st + value.length, 'SIP_ERR_MALFORMED_VIA');
          break;
        }
        case 'From': {
          const st = starts[f]!;
          const tag =
            st === -1
              ? checkNameAddrIn(value, 0, value.length, 'SIP_ERR_MALFORMED_FROM')
              : checkNameAddrIn(text, st, st + value.length, 'SIP_ERR_MALFORMED_FROM');
          if (!seenFrom) {
            seenFrom = true; // the getters read the first From
            fromTag = tag;
          }
          break;
        }
        case 'To': {
          const st = starts[f]!;
          const tag =
            st === -1
              ? checkNameAddrIn(value, 0, value.length, 'SIP_ERR_MALFORMED_TO')
              : checkNameAddrIn(text, st, st + value.length, 'SIP_ERR_MALFORMED_TO');
          if (!seenTo) {
            seenTo = true;
            toTag = tag;
          }
          break;
        }
        case 'Call-ID':
          parseCallId(value, 'SIP_ERR_MALFORMED_CALL_ID');
          break;
        case 'CSeq': {
          const c = parseCSeq(value, 'SIP_ERR_MALFORMED_CSEQ');
          cseq ??= c;
          break;
        }
        case 'Max-Forwards': {
          const mf = parseMaxForwards(value, 'SIP_ERR_MALFORMED_MAX_FORWARDS');
          maxForwards ??= mf;
          break;
        }
        case 'Content-Length':
          // Two Content-Length fields leave the body length unknowable (RFC 4475 mcl01).
          if (contentLength !== undefined) fail(at, 'SIP_ERR_MULTIPLE_CONTENT_LENGTH');
          contentLength = parseContentLength(value, 'SIP_ERR_MALFORMED_CONTENT_LENGTH');
          break;
        case 'Contact':
          if (contactAt === undefined) contactAt = [f];
          else contactAt.push(f);
          break;
        case 'Route':
          if (routeFields === undefined) routeFields = [value];
          else routeFields.push(value);
          break;
        case 'Record-Route':
          if (recordRouteFields === undefined) recordRouteFields = [value];
          else recordRouteFields.push(value);
          break;
      }
    }
  } catch (e) {
    if (e instanceof SipSyntaxError) fail(at, e.code);
    throw e;
  }
  try {
    // `Contact: *` alone is the wildcard (RFC 3261 §10.2.2); anything else is a list of values.
    if (contactAt !== undefined && !(contactAt.length === 1 && fields[contactAt[0]!]!.value.trim() === '*')) {
      for (let k = 0; k < contactAt.length; k++) {
        const f = contactAt[k]!;
        const value = fields[f]!.value;
        const st = starts[f]!;
        if (st === -1 || value.indexOf(',') !== -1) checkContactField(value, 'SIP_ERR_MALFORMED_CONTACT');
        else checkContactIn(text, st, st + value.length, 'SIP_ERR_MALFORMED_CONTACT');
      }
    }
    if (routeFields !== undefined) checkRouteList(routeFields, 'SIP_ERR_MALFORMED_ROUTE');
    if (recordRouteFields !== undefined) checkRouteList(recordRouteFields, 'SIP_ERR_MALFORMED_RECORD_ROUTE');
  } catch (e) {
    if (e instanceof SipSyntaxError) fail(at, e.code);
    throw e;
  }

  // RFC 3261 §8.1.1.5: the CSeq method matches the request method. For a method the stack does
  // not know, 501 is the better answer (RFC 4475 §3.1.2.18 mismatch02).
  if (line!.isRequest && cseq !== undefined && cseq.method !== line!.method) {
    fail(at, isKnownMethod(line!.method) ? 'SIP_ERR_CSEQ_METHOD_MISMATCH' : 'SIP_ERR_METHOD_NOT_IMPLEMENTED');
  }
  if (!terminated) fail(at, 'SIP_ERR_MISSING_HEADER_TERMINATOR');

  // Body framing (RFC 3261 §18.3).
  const available = bytes.length - bodyStart;
  let body: Buffer;
  if (contentLength === undefined) {
    if (!datagram) fail(at, 'SIP_ERR_MISSING_CONTENT_LENGTH');
    body = bytes.subarray(bodyStart);
  } else {
    if (contentLength > maxBytes) fail(at, 'SIP_ERR_MESSAGE_TOO_LARGE');
    if (contentLength > available) fail(at, 'SIP_ERR_CONTENT_LENGTH_EXCEEDS_MESSAGE');
    body = bytes.subarray(bodyStart, bodyStart + contentLength);
  }
  if (bodyStart - start + body.length > maxBytes) fail(at, 'SIP_ERR_MESSAGE_TOO_LARGE');

  const l = line!;
  const message: SipMessage = l.isRequest
    ? new SipRequest(l.method, l.uri!, headers, body, l.version)
    : new SipResponse(l.status, l.reason, headers, body, l.version);
  // Seed the getters with what was parsed; the rest is parsed on demand.
  message.primeWire(text, starts);
  if (topVia !== undefined) message.primeParsed('topVia', topVia);
  if (cseq !== undefined) message.primeParsed('cseq', cseq);
  if (seenFrom) message.primeParsed('fromTag', fromTag);
  if (seenTo) message.primeParsed('toTag', toTag);
  if (maxForwards !== undefined) message.primeParsed('mf', maxForwards);
  return { ok: true, message };
}

/** Route and Record-Route values are name-addrs: the URI in <> (RFC 3261 §20.30, §20.34). */
function checkRouteList(fields: string[], code: SipErrorCode): void {
  for (const field of fields) checkNameAddrField(field, code);
  for (const field of fields) {
    if (field.indexOf(',') === -1) {
      if (field.indexOf('<') === -1) throw new SipSyntaxError(code, 'route must be a name-addr');
      continue;
    }
    for (const item of splitHeaderList(field)) {
      if (item.indexOf('<') === -1) throw new SipSyntaxError(code, 'route must be a name-addr');
    }
  }
}

/** The method of a broken Request-Line, when its first word is a token (for the 400 answer). */
function requestMethodGuess(firstLine: string, isRequest: boolean): string | undefined {
  if (!isRequest) return undefined;
  const sp = firstLine.indexOf(' ');
  const word = sp === -1 ? firstLine : firstLine.slice(0, sp);
  return isToken(word) ? word : undefined;
}

/** SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT; only 2.0 is served (505 otherwise). */
function checkVersion(v: string, malformed: SipErrorCode): string {
  if (v === 'SIP/2.0') return v; // as every peer writes it
  if (v.length < 7 || v.slice(0, 4).toUpperCase() !== 'SIP/')
    throw new SipSyntaxError(malformed, 'SIP-Version');
  const dot = v.indexOf('.', 4);
  if (dot <= 4 || dot === v.length - 1) throw new SipSyntaxError(malformed, 'SIP-Version');
  for (let i = 4; i < v.length; i++) {
    if (i !== dot && !is(v.charCodeAt(i), C_DIGIT)) throw new SipSyntaxError(malformed, 'SIP-Version');
  }
  if (Number(v.slice(4, dot)) !== 2 || Number(v.slice(dot + 1)) !== 0) {
    throw new SipSyntaxError('SIP_ERR_VERSION_NOT_SUPPORTED', v);
  }
  return 'SIP/2.0';
}

/**
 * Request-Line = Method SP Request-URI SP SIP-Version — exactly one SP each (RFC 4475 lwsstart,
 * trws), read in place from text[0, end).
 */
function parseRequestLine(text: string, end: number): StartLine {
  const code: SipErrorCode = 'SIP_ERR_MALFORMED_REQUEST_LINE';
  const sp1 = text.indexOf(' ');
  const sp2 = end === 0 ? -1 : text.lastIndexOf(' ', end - 1);
  if (sp1 <= 0 || sp1 >= end || sp2 === sp1) throw new SipSyntaxError(code);
  for (let i = 0; i < sp1; i++) {
    const c = text.charCodeAt(i);
    if (c >= 128 || (CHAR[c]! & C_TOKEN) === 0) throw new SipSyntaxError(code, 'Method');
  }
  const version =
    end - sp2 === 8 && text.startsWith('SIP/2.0', sp2 + 1)
      ? 'SIP/2.0' // as every peer writes it
      : checkVersion(text.slice(sp2 + 1, end), code);
  const tab = text.indexOf('\t', sp1 + 1);
  if (sp2 === sp1 + 1 || text.indexOf(' ', sp1 + 1) !== sp2 || (tab !== -1 && tab < sp2)) {
    throw new SipSyntaxError(code, 'Request-URI');
  }
  const uri = parseUriIn(text, sp1 + 1, sp2, 'SIP_ERR_MALFORMED_REQUEST_URI');
  // RFC 3261 §19.1.1 table 1: headers are not allowed in a Request-URI (RFC 4475 escruri).
  if ((uri.scheme === 'sip' || uri.scheme === 'sips') && (uri as { headers: unknown[] }).headers.length > 0) {
    throw new SipSyntaxError('SIP_ERR_REQUEST_URI_HEADERS');
  }
  return { isRequest: true, method: text.slice(0, sp1), uri, status: 0, reason: '', version };
}

/** Status-Line = SIP-Version SP Status-Code SP Reason-Phrase; the phrase may be empty (RFC 4475 noreason). */
function parseStatusLine(l: string): StartLine {
  const code: SipErrorCode = 'SIP_ERR_MALFORMED_STATUS_LINE';
  const sp = l.indexOf(' ');
  if (sp === -1) throw new SipSyntaxError(code);
  const version = checkVersion(l.slice(0, sp), code);
  // Status-Code = 3DIGIT, 100-699 (RFC 3261 §7.2, §21; RFC 4475 bigcode).
  const c1 = l.charCodeAt(sp + 1);
  if (
    !(c1 >= 49 && c1 <= 54) ||
    !is(l.charCodeAt(sp + 2), C_DIGIT) ||
    !is(l.charCodeAt(sp + 3), C_DIGIT) ||
    l.charCodeAt(sp + 4) !== 32
  ) {
    throw new SipSyntaxError(code, 'Status-Code');
  }
  const reason = l.slice(sp + 5);
  for (let i = 0; i < reason.length; i++) {
    const c = reason.charCodeAt(i);
    if ((c < 32 && c !== 9) || c === 127) throw new SipSyntaxError(code, 'Reason-Phrase');
  }
  return {
    isRequest: false,
    method: '',
    uri: undefined,
    status: Number(l.slice(sp + 1, sp + 4)),
    reason,
    version,
  };
}

// Names as canonical senders write them, by length, so the common case needs no slice and no
// hashing: a startsWith against the candidates of that length (first char checked first).
const BY_LENGTH: Array<Array<[number, string]>> = [];
for (const name of CANONICAL_HEADER_NAMES) {
  const list = BY_LENGTH[name.length] ?? [];
  list.push([name.charCodeAt(0), name]);
  BY_LENGTH[name.length] = list;
}
const COMPACT_BY_CODE: Array<string | undefined> = [];
for (const [short, long] of Object.entries(COMPACT_HEADER_NAMES)) {
  COMPACT_BY_CODE[short.charCodeAt(0)] = long;
  COMPACT_BY_CODE[short.toUpperCase().charCodeAt(0)] = long;
}

function wellKnownName(text: string, pos: number, len: number): string | undefined {
  if (len === 1) return COMPACT_BY_CODE[text.charCodeAt(pos)];
  const candidates = BY_LENGTH[len];
  if (candidates === undefined) return undefined;
  const first = text.charCodeAt(pos);
  for (let k = 0; k < candidates.length; k++) {
    const candidate = candidates[k]!;
    if (candidate[0] === first && text.startsWith(candidate[1], pos)) return candidate[1];
  }
  return undefined;
}

export interface HeaderRead {
  fields: HeaderField[];
  /** Where each field's value starts in the text, or -1 when folding rebuilt it (own string). */
  starts: number[];
  error?: SipErrorCode;
}

function trimWs(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (s.charCodeAt(a) === 32 || s.charCodeAt(a) === 9)) a++;
  while (b > a && (s.charCodeAt(b - 1) === 32 || s.charCodeAt(b - 1) === 9)) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/**
 * Header lines from `pos` to the end of `text` (the header section without its final CRLF).
 * message-header = field-name HCOLON field-value CRLF; a line starting with SP/HT continues
 * the previous value (folding, replaced by one SP, RFC 3261 §7.3.1). Faulty lines are skipped
 * and reported, so the rest can still serve a stateless answer.
 */
export function readHeaderFields(text: string, pos: number, maxHeaders: number): HeaderRead {
  const fields: HeaderField[] = [];
  const starts: number[] = [];
  let error: SipErrorCode | undefined;
  const n = text.length;
  while (pos < n) {
    const lf = text.indexOf('\n', pos);
    let lineEnd: number;
    let next: number;
    if (lf === -1) {
      lineEnd = n;
      next = n;
    } else {
      next = lf + 1;
      lineEnd = lf - 1;
      if (lineEnd < pos || text.charCodeAt(lineEnd) !== 13) {
        error ??= 'SIP_ERR_MALFORMED_HEADER'; // bare LF
        lineEnd = lf;
      }
    }
    const cr = text.indexOf('\r', pos);
    if (cr !== -1 && cr < lineEnd) {
      error ??= 'SIP_ERR_MALFORMED_HEADER'; // bare CR
      pos = next;
      continue;
    }
    const c0 = text.charCodeAt(pos);
    if (c0 === 32 || c0 === 9) {
      const last = fields[fields.length - 1];
      if (last === undefined) error ??= 'SIP_ERR_MALFORMED_HEADER';
      else {
        const more = trimWs(text.slice(pos, lineEnd));
        if (more.length > 0) {
          last.value = last.value.length === 0 ? more : `${last.value} ${more}`;
          starts[fields.length - 1] = -1;
        }
      }
      pos = next;
      continue;
    }
    // field-name HCOLON: the first ':' ends the name (a token cannot hold one), SP/HT may precede it.
    const colon = text.indexOf(':', pos);
    let nameEnd = colon;
    while (nameEnd > pos && (text.charCodeAt(nameEnd - 1) === 32 || text.charCodeAt(nameEnd - 1) === 9))
      nameEnd--;
    if (colon === -1 || colon >= lineEnd || nameEnd === pos) {
      error ??= 'SIP_ERR_MALFORMED_HEADER';
      pos = next;
      continue;
    }
    // A canonical spelling matched in place needs no scan, slice or hash; others are checked.
    let name = wellKnownName(text, pos, nameEnd - pos);
    if (name === undefined) {
      let j = pos;
      while (j < nameEnd) {
        const c = text.charCodeAt(j);
        if (c >= 128 || (CHAR[c]! & C_TOKEN) === 0) break;
        j++;
      }
      if (j !== nameEnd) {
        error ??= 'SIP_ERR_MALFORMED_HEADER';
        pos = next;
        continue;
      }
      name = canonicalHeaderName(text.slice(pos, nameEnd));
    }
    const i = colon;
    if (fields.length >= maxHeaders) {
      error ??= 'SIP_ERR_TOO_MANY_HEADERS';
      break;
    }
    let valueStart = i + 1;
    let valueEnd = lineEnd;
    while (
      valueStart < valueEnd &&
      (text.charCodeAt(valueStart) === 32 || text.charCodeAt(valueStart) === 9)
    ) {
      valueStart++;
    }
    while (
      valueEnd > valueStart &&
      (text.charCodeAt(valueEnd - 1) === 32 || text.charCodeAt(valueEnd - 1) === 9)
    ) {
      valueEnd--;
    }
    fields.push({ name, value: text.slice(valueStart, valueEnd) });
    starts.push(valueStart);
    pos = next;
  }
  const read: HeaderRead = { fields, starts };
  if (error !== undefined) read.error = error;
  return read;
}
