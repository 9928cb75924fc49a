// One line per wire message for the ladder: the SIP start line (RFC 3261 §7.1/§7.2), the CSP
// primitive names of every transaction with their Result code (imps.md §1.1), the SSP content
// kinds with their Status code, the HTTP request line or status. Pure: bytes in, summary out.
import type { TraceProtocol } from '../../common/trace.ts';
import { decodeCsp } from '../../domains/imps/csp/csp-codec.ts';
import { decodeSsp } from '../../domains/imps/ssp/ssp-codec.ts';

export interface MessageSummary {
  /** What the diagram prints: `NOTIFY`, `200 OK (NOTIFY)`, `Login-Request`, `Status 200`. */
  label: string;
  /** SIP method of a request, or of the CSeq of a response. */
  method?: string;
  /** SIP status code, CSP Result code, SSP Status code, HTTP status. */
  status?: number;
  /** CSP primitive names / SSP content kinds, in transaction order. */
  primitives?: string[];
  isResponse?: boolean;
}

// A summary never needs more than the head of a message; bigger bodies are not decoded.
const MAX_DECODE_BYTES = 256 * 1024;

export function summarizeMessage(protocol: TraceProtocol, bytes: Buffer): MessageSummary {
  switch (protocol) {
    case 'sip':
      return summarizeSip(bytes);
    case 'csp':
      return summarizeCsp(bytes);
    case 'ssp':
      return summarizeSsp(bytes);
    case 'cir':
      return { label: firstLine(bytes).slice(0, 40) || 'CIR' };
    case 'xcap':
    case 'http':
      return summarizeHttp(bytes);
  }
}

function firstLine(bytes: Buffer): string {
  const head = bytes.subarray(0, 512).toString('latin1');
  const end = head.search(/\r?\n/);
  return (end < 0 ? head : head.slice(0, end)).trim();
}

function headerOf(bytes: Buffer, names: readonly string[]): string | undefined {
  const head = bytes.subarray(0, 8192).toString('latin1');
  const stop = head.search(/\r?\n\r?\n/);
  const lines = (stop < 0 ? head : head.slice(0, stop)).split(/\r?\n/);
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    if (names.includes(line.slice(0, colon).trim().toLowerCase())) return line.slice(colon + 1).trim();
  }
  return undefined;
}

/** RFC 3261 §7.1 Request-Line `METHOD uri SIP/2.0`, §7.2 Status-Line `SIP/2.0 code reason`. */
export function summarizeSip(bytes: Buffer): MessageSummary {
  const line = firstLine(bytes);
  const status = /^SIP\/2\.0\s+(\d{3})\s*(.*)$/i.exec(line);
  if (status) {
    const code = Number(status[1]);
    // CSeq (compact form has none, RFC 3261 §20.16) names the method the response answers.
    const method = headerOf(bytes, ['cseq'])?.split(/\s+/)[1]?.toUpperCase();
    const reason = status[2] ? ` ${status[2]}` : '';
    return {
      label: `${code}${reason}${method ? ` (${method})` : ''}`,
      status: code,
      isResponse: true,
      ...(method ? { method } : {}),
    };
  }
  const request = /^([A-Za-z]+)\s+\S+\s+SIP\/2\.0$/i.exec(line);
  if (request?.[1]) {
    const method = request[1].toUpperCase();
    const event = method === 'SUBSCRIBE' || method === 'NOTIFY' ? headerOf(bytes, ['event', 'o']) : undefined;
    const eventName = event?.split(';')[0]?.trim();
    return { label: eventName ? `${method} (${eventName})` : method, method, isResponse: false };
  }
  if (bytes.length <= 4 && line === '') return { label: 'keep-alive' };
  return { label: `SIP? ${line.slice(0, 40)}` };
}

export function summarizeCsp(bytes: Buffer): MessageSummary {
  if (bytes.length === 0) return { label: 'CSP (empty)' };
  if (bytes.length > MAX_DECODE_BYTES) return { label: `CSP (${bytes.length} bytes)` };
  const decoded = decodeCsp(bytes);
  if (!decoded.ok) return { label: `CSP? ${decoded.status.code}` };
  const primitives = decoded.message.envelope.transactions.map((t) => t.primitive.name);
  let status: number | undefined;
  for (const t of decoded.message.envelope.transactions) {
    const p = t.primitive;
    if ('generic' in p) continue;
    const code = (p.body as { result?: { code?: number } }).result?.code;
    if (typeof code === 'number') {
      status = code;
      break;
    }
  }
  const label = `${primitives.join(', ')}${status !== undefined ? ` ${status}` : ''}`;
  return {
    label,
    primitives,
    isResponse: decoded.message.envelope.transactions[0]?.mode === 'Response',
    ...(status !== undefined ? { status } : {}),
  };
}

export function summarizeSsp(bytes: Buffer): MessageSummary {
  if (bytes.length > MAX_DECODE_BYTES) return { label: `SSP (${bytes.length} bytes)` };
  const decoded = decodeSsp(bytes);
  if (!decoded.ok) return { label: `SSP? ${decoded.error.code}` };
  const primitives = decoded.message.transactions.map((t) => t.content.kind);
  let status: number | undefined;
  for (const t of decoded.message.transactions) {
    const code = (t.content as { status?: { code?: number } }).status?.code;
    if (typeof code === 'number') {
      status = code;
      break;
    }
  }
  return {
    label: `${primitives.join(', ')}${status !== undefined ? ` ${status}` : ''}`,
    primitives,
    isResponse: decoded.message.transactions[0]?.mode === 'Response',
    ...(status !== undefined ? { status } : {}),
  };
}

/** RFC 9112 §3 request-line / §4 status-line. */
export function summarizeHttp(bytes: Buffer): MessageSummary {
  const line = firstLine(bytes);
  const status = /^HTTP\/\d(?:\.\d)?\s+(\d{3})\s*(.*)$/i.exec(line);
  if (status) {
    const code = Number(status[1]);
    return { label: `${code}${status[2] ? ` ${status[2]}` : ''}`, status: code, isResponse: true };
  }
  const request = /^([A-Z]+)\s+(\S+)\s+HTTP\/\d(?:\.\d)?$/.exec(line);
  if (request?.[1] && request[2]) {
    const path = request[2].length > 48 ? `${request[2].slice(0, 45)}…` : request[2];
    return { label: `${request[1]} ${path}`, method: request[1], isResponse: false };
  }
  return { label: `HTTP (${bytes.length} bytes)` };
}
