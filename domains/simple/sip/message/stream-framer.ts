import { DEFAULT_MAX_MESSAGE_BYTES, readHeaderFields, type SipDecodeError } from './decode.ts';
import { SIP_ERRORS, type SipErrorCode, SipSyntaxError } from './errors.ts';
import { parseContentLength } from './header-values.ts';
import { SipHeaders } from './sip-message.ts';

// Stream framing for SIP over TCP/TLS (RFC 3261 §18.3): bytes arrive in arbitrary chunks, a
// message ends Content-Length octets after the empty line, and Content-Length is mandatory.
// CRLFs between messages are keep-alives (RFC 5626 §3.5.1, §4.4.1): a double CRLF "ping" is
// reported so the transport can answer a single CRLF "pong". After a framing error the stream
// cannot be resynchronised: the framer reports once and then ignores input; close the connection.

export type FramerEvent =
  | { type: 'message'; bytes: Buffer }
  /** CRLFCRLF between messages: answer with CRLF (RFC 5626 §4.4.1). */
  | { type: 'ping' }
  /** A lone CRLF between messages: the answer to our ping. */
  | { type: 'pong' }
  /** The stream cannot be framed; answer (if isRequest) and close. */
  | { type: 'error'; error: SipDecodeError };

export interface StreamFramerOptions {
  /** Upper bound of one message, header section included (default 65 535) → 513. */
  maxMessageBytes?: number;
}

const CRLFCRLF = Buffer.from('\r\n\r\n', 'latin1');
const INITIAL_CAPACITY = 4096;

export class SipStreamFramer {
  private buf: Buffer = Buffer.allocUnsafe(INITIAL_CAPACITY);
  private start = 0;
  private end = 0;
  /** Where the search for CRLFCRLF resumes, so each byte is scanned about once. */
  private scanFrom = 0;
  /** Total length of the message being framed once its header section is complete, else -1. */
  private messageLength = -1;
  private failed = false;
  private readonly maxBytes: number;

  constructor(options: StreamFramerOptions = {}) {
    this.maxBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  }

  /** Bytes held while waiting for the rest of a message. */
  get buffered(): number {
    return this.end - this.start;
  }

  /** True after a framing error: the connection should be closed. */
  get broken(): boolean {
    return this.failed;
  }

  /** Feeds the next chunk; returns every event it completes, in order. Never throws. */
  push(chunk: Buffer): FramerEvent[] {
    const events: FramerEvent[] = [];
    if (this.failed || chunk.length === 0) return events;
    try {
      this.frame(chunk, events);
    } catch {
      // A framer bug must come out as the protocol's answer, not as a crash.
      this.fail(events, 'SIP_ERR_INTERNAL', undefined);
    }
    return events;
  }

  private frame(chunk: Buffer, events: FramerEvent[]): void {
    this.append(chunk);
    for (;;) {
      if (this.messageLength === -1) {
        if (!this.skipKeepAlives(events)) break;
        if (!this.findHeaderSection(events)) break;
      }
      const needEnd = this.start + this.messageLength;
      if (this.end < needEnd) break;
      events.push({ type: 'message', bytes: Buffer.from(this.buf.subarray(this.start, needEnd)) });
      this.start = needEnd;
      this.scanFrom = needEnd;
      this.messageLength = -1;
      if (this.start === this.end) {
        this.start = 0;
        this.end = 0;
        this.scanFrom = 0;
        break;
      }
    }
  }

  private append(chunk: Buffer): void {
    if (this.end + chunk.length > this.buf.length) {
      const live = this.end - this.start;
      if (live + chunk.length <= this.buf.length && this.start > 0) {
        this.buf.copy(this.buf, 0, this.start, this.end);
      } else {
        let capacity = this.buf.length;
        while (capacity < live + chunk.length) capacity *= 2;
        const bigger = Buffer.allocUnsafe(capacity);
        this.buf.copy(bigger, 0, this.start, this.end);
        this.buf = bigger;
      }
      this.scanFrom -= this.start;
      this.start = 0;
      this.end = live;
    }
    chunk.copy(this.buf, this.end);
    this.end += chunk.length;
  }

  /**
   * Consumes CRLFs before a start-line (RFC 3261 §7.5, RFC 5626). Returns false when the bytes
   * held so far cannot yet tell a ping from a pong.
   */
  private skipKeepAlives(events: FramerEvent[]): boolean {
    const b = this.buf;
    while (this.start < this.end && b[this.start] === 13) {
      const avail = this.end - this.start;
      if (avail < 2) return false;
      if (b[this.start + 1] !== 10) return true; // not a CRLF: let the message fail in decode
      if (avail >= 4 && b[this.start + 2] === 13 && b[this.start + 3] === 10) {
        events.push({ type: 'ping' });
        this.start += 4;
      } else if (avail >= 3 && b[this.start + 2] !== 13) {
        events.push({ type: 'pong' });
        this.start += 2;
      } else if (avail >= 4) {
        events.push({ type: 'pong' }); // CRLF CR x: a pong, then a stray CR
        this.start += 2;
      } else {
        return false;
      }
      this.scanFrom = this.start;
    }
    if (this.start === this.end) {
      this.start = 0;
      this.end = 0;
      this.scanFrom = 0;
      return false;
    }
    return true;
  }

  /** Finds the empty line and reads Content-Length; false when more bytes are needed or on error. */
  private findHeaderSection(events: FramerEvent[]): boolean {
    const from = Math.max(this.start, this.scanFrom);
    const idx = this.buf.subarray(0, this.end).indexOf(CRLFCRLF, from);
    if (idx === -1) {
      this.scanFrom = Math.max(this.start, this.end - 3);
      if (this.end - this.start > this.maxBytes) this.fail(events, 'SIP_ERR_MESSAGE_TOO_LARGE', undefined);
      return false;
    }
    const text = this.buf.toString('latin1', this.start, idx);
    let lineEnd = text.indexOf('\r\n');
    if (lineEnd === -1) lineEnd = text.length;
    const read = readHeaderFields(text, lineEnd + 2, Number.MAX_SAFE_INTEGER);
    const headers = new SipHeaders(read.fields);
    const lengths = headers.getFields('Content-Length');
    const headerBytes = idx + 4 - this.start;
    let code: SipErrorCode | undefined;
    let bodyLength = 0;
    if (lengths.length === 0) code = 'SIP_ERR_MISSING_CONTENT_LENGTH';
    else if (lengths.length > 1) code = 'SIP_ERR_MULTIPLE_CONTENT_LENGTH';
    else {
      try {
        bodyLength = parseContentLength(lengths[0]!);
      } catch (e) {
        code = e instanceof SipSyntaxError ? e.code : 'SIP_ERR_MALFORMED_CONTENT_LENGTH';
      }
      if (code === undefined && headerBytes + bodyLength > this.maxBytes) code = 'SIP_ERR_MESSAGE_TOO_LARGE';
    }
    if (code !== undefined) {
      // Header text was read as latin1 to frame; re-read as UTF-8 for the answer.
      const utf8 = this.buf.toString('utf8', this.start, idx);
      const nl = utf8.indexOf('\r\n');
      const answerHeaders = new SipHeaders(
        readHeaderFields(utf8, nl === -1 ? utf8.length : nl + 2, 256).fields,
      );
      this.fail(events, code, utf8.slice(0, 4).toUpperCase() !== 'SIP/', answerHeaders);
      return false;
    }
    this.messageLength = headerBytes + bodyLength;
    return true;
  }

  private fail(
    events: FramerEvent[],
    code: SipErrorCode,
    isRequest: boolean | undefined,
    headers?: SipHeaders,
  ): void {
    const entry = SIP_ERRORS[code];
    const error: SipDecodeError = { code, status: entry.status, reason: entry.reason, isRequest };
    if (headers !== undefined) error.headers = headers;
    events.push({ type: 'error', error });
    this.failed = true;
    this.start = 0;
    this.end = 0;
    this.buf = Buffer.alloc(0);
  }
}
