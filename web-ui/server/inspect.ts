// What the inspector shows for one ladder message: the raw message as text (SIP, CSP/SSP XML,
// HTTP), WBXML as a hex dump beside the XML it decodes to, and every XML or JSON payload
// pretty-printed. Pure: bytes in, strings out; bad input gives a note, never a throw.

import type { TraceProtocol } from '../../common/trace.ts';
import { parseXml } from '../../common/xml/parse.ts';
import { serializeXml } from '../../common/xml/serialize.ts';
import { decodeWbxml } from '../../domains/imps/csp/wbxml/wbxml-decoder.ts';

export interface InspectedPayload {
  contentType: string;
  /** The payload as sent, as text (UTF-8), or undefined for a binary payload. */
  text?: string;
  /** A binary payload (WBXML) as a hex dump, 16 bytes a line. */
  hex?: string;
  /** The payload pretty-printed: re-indented XML, decoded WBXML, indented JSON. */
  pretty?: string;
  /** Why `pretty` is missing (the payload did not decode). */
  note?: string;
}

export interface InspectedMessage {
  /** SIP start line and headers, or an HTTP head when the trace holds one. */
  head?: string;
  payloads: InspectedPayload[];
  size: number;
}

/** Bytes shown at most; a bigger message is cut and says so. */
export const MAX_INSPECT_BYTES = 256 * 1024;

export function hexDump(bytes: Uint8Array, max = 4096): string {
  const lines: string[] = [];
  const n = Math.min(bytes.length, max);
  for (let off = 0; off < n; off += 16) {
    const row = bytes.subarray(off, Math.min(off + 16, n));
    const hex = [...row].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = [...row].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${off.toString(16).padStart(6, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  if (bytes.length > n) lines.push(`… ${bytes.length - n} more bytes`);
  return lines.join('\n');
}

function looksLikeWbxml(bytes: Uint8Array, contentType: string): boolean {
  if (/wbxml/i.test(contentType)) return true;
  if (/xml|json|text/i.test(contentType)) return false;
  const b = bytes[0];
  // WBXML starts with its version byte 0x00-0x03 (WBXML 1.3 §5.4); XML with '<', a BOM or space.
  return b !== undefined && b <= 0x03;
}

function prettyXml(bytes: Uint8Array): { pretty?: string; note?: string } {
  const parsed = parseXml(Buffer.from(bytes));
  if (!parsed.ok) return { note: `not well-formed XML: ${parsed.error.message}` };
  return { pretty: serializeXml(parsed.root, { indent: '  ' }) };
}

export function inspectPayload(bytes: Uint8Array, contentType: string): InspectedPayload {
  const ct = contentType.trim();
  if (looksLikeWbxml(bytes, ct)) {
    const decoded = decodeWbxml(bytes);
    return {
      contentType: ct || 'application/vnd.wv.csp.wbxml',
      hex: hexDump(bytes),
      ...(decoded.ok
        ? { pretty: serializeXml(decoded.document.root, { indent: '  ' }) }
        : { note: `WBXML did not decode: ${decoded.error.code} ${decoded.error.message}` }),
    };
  }
  const text = Buffer.from(bytes).toString('utf8');
  const out: InspectedPayload = { contentType: ct || 'text/plain', text };
  if (/json/i.test(ct)) {
    try {
      out.pretty = JSON.stringify(JSON.parse(text), null, 2);
    } catch (error) {
      out.note = `not JSON: ${(error as Error).message}`;
    }
  } else if (/xml/i.test(ct) || (!ct && text.trimStart().startsWith('<'))) {
    Object.assign(out, prettyXml(bytes));
  }
  return out;
}

function headerValue(head: string, names: readonly string[]): string | undefined {
  for (const line of head.split(/\r?\n/).slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0 && names.includes(line.slice(0, colon).trim().toLowerCase()))
      return line.slice(colon + 1).trim();
  }
  return undefined;
}

/** RFC 2046 §5.1.1: the parts of a multipart body (RLMI NOTIFY, CPIM-wrapped IMDN …). */
function multipartParts(body: Buffer, contentType: string): InspectedPayload[] | undefined {
  const m = /boundary="?([^";]+)"?/i.exec(contentType);
  if (!m?.[1]) return undefined;
  const text = body.toString('latin1');
  const out: InspectedPayload[] = [];
  for (const chunk of text.split(`--${m[1]}`).slice(1)) {
    if (chunk.startsWith('--')) break;
    const part = chunk.replace(/^\r?\n/, '');
    const end = part.search(/\r?\n\r?\n/);
    if (end < 0) continue;
    const head = `part\r\n${part.slice(0, end)}`;
    const partBody = Buffer.from(
      part
        .slice(end)
        .replace(/^\r?\n\r?\n/, '')
        .replace(/\r?\n$/, ''),
      'latin1',
    );
    out.push(inspectPayload(partBody, headerValue(head, ['content-type']) ?? 'text/plain'));
  }
  return out;
}

/** The head/body split of a SIP or HTTP message (RFC 3261 §7, RFC 9112 §2.1). */
function splitMessage(bytes: Buffer): { head: string; body: Buffer } | undefined {
  const probe = bytes.subarray(0, 64 * 1024).toString('latin1');
  const end = probe.search(/\r?\n\r?\n/);
  if (end < 0) return undefined;
  const sep = probe.slice(end).startsWith('\r\n\r\n') ? 4 : 2;
  return { head: probe.slice(0, end), body: bytes.subarray(end + sep) };
}

const HTTP_OR_SIP_START = /^(?:[A-Z]+ \S+ (?:SIP|HTTP)\/\d\.\d|(?:SIP|HTTP)\/\d\.\d \d{3})/;

export function inspectMessage(protocol: TraceProtocol, input: Uint8Array): InspectedMessage {
  const bytes = Buffer.from(input.subarray(0, MAX_INSPECT_BYTES));
  const size = input.length;
  const startsWithHead = HTTP_OR_SIP_START.test(bytes.subarray(0, 200).toString('latin1'));
  if (protocol === 'sip' || startsWithHead) {
    const split = splitMessage(bytes);
    if (!split) return { head: bytes.toString('utf8'), payloads: [], size };
    const contentType = headerValue(split.head, ['content-type', 'c']) ?? '';
    if (split.body.length === 0) return { head: split.head, payloads: [], size };
    const parts = /^multipart\//i.test(contentType) ? multipartParts(split.body, contentType) : undefined;
    return { head: split.head, payloads: parts ?? [inspectPayload(split.body, contentType)], size };
  }
  // CSP and SSP are traced as their HTTP bodies (the binding reports the payload only).
  const contentType =
    protocol === 'csp' ? '' : protocol === 'ssp' ? 'application/vnd.wv.ssp+xml' : 'application/octet-stream';
  return { payloads: [inspectPayload(bytes, contentType)], size };
}
