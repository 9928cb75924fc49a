// RFC 3862 Common Presence and Instant Messaging message format (message/cpim): a block of CPIM
// message headers, a blank line, the encapsulated MIME headers, a blank line, the content bytes.
// Header names are case-sensitive (§3.2); `prefix.Name` headers belong to a namespace declared by
// an `NS:` header (§5.7); `Name;lang=xx:` carries a language parameter (§3.1).

import type { HeaderList } from './mime.ts';
import { formatHeaderBlock, headerValue, parseHeaderBlock } from './mime.ts';
import { type PayloadResult, payloadError } from './payload-error.ts';

export const CPIM_CONTENT_TYPE = 'message/cpim';

export interface CpimAddress {
  displayName?: string;
  uri: string;
}

export interface CpimSubject {
  text: string;
  lang?: string;
}

/** A header whose name has a namespace prefix (e.g. `imdn.Message-ID`), or an unknown one. */
export interface CpimExtensionHeader {
  /** The prefix as written ('' for an unprefixed unknown header). */
  prefix: string;
  name: string;
  value: string;
}

export interface CpimMessage {
  from?: CpimAddress;
  to: CpimAddress[];
  cc: CpimAddress[];
  /** RFC 3339 date-time, as written. */
  dateTime?: string;
  subjects: CpimSubject[];
  /** NS declarations: prefix ('' = default) → namespace URI. */
  namespaces: Array<{ prefix: string; uri: string }>;
  require: string[];
  extensionHeaders: CpimExtensionHeader[];
  /** MIME headers of the encapsulated content (Content-Type, Content-ID, Content-Disposition …). */
  contentHeaders: HeaderList;
  body: Buffer;
}

export interface CpimLimits {
  maxBytes?: number;
  maxHeaders?: number;
}

function err(message: string) {
  return { ok: false as const, error: payloadError('PAYLOAD_ERR_MALFORMED_MIME', message) };
}

/** `"Formal Name" <uri>`, `Name <uri>` or `<uri>` (RFC 3862 §4.1.1). */
export function parseCpimAddress(v: string): CpimAddress | undefined {
  const m = /^\s*(?:"((?:[^"\\]|\\.)*)"|([^<"]*?))\s*<([^<>\s]+)>\s*$/.exec(v);
  if (!m) return undefined;
  const name = m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : (m[2] ?? '').trim();
  return name === '' ? { uri: m[3]! } : { displayName: name, uri: m[3]! };
}

export function formatCpimAddress(a: CpimAddress): string {
  if (a.displayName === undefined) return `<${a.uri}>`;
  const simple = /^[\w.!%*+`'~-]+( [\w.!%*+`'~-]+)*$/.test(a.displayName);
  return `${simple ? a.displayName : `"${a.displayName.replace(/["\\]/g, (c) => `\\${c}`)}"`} <${a.uri}>`;
}

function splitBlocks(body: Buffer): [Buffer, Buffer, Buffer] | undefined {
  const blank = (from: number): { at: number; len: number } | undefined => {
    if (body[from] === 0x0d && body[from + 1] === 0x0a) return { at: from, len: 2 };
    if (body[from] === 0x0a) return { at: from, len: 1 };
    const crlf = body.indexOf('\r\n\r\n', from);
    const lf = body.indexOf('\n\n', from);
    if (crlf >= 0 && (lf < 0 || crlf <= lf)) return { at: crlf, len: 4 };
    if (lf >= 0) return { at: lf, len: 2 };
    return undefined;
  };
  const first = blank(0);
  if (!first) return undefined;
  const cpimEnd = first.at;
  const contentStart = first.at + first.len;
  const second = blank(contentStart);
  if (!second) return undefined;
  return [
    body.subarray(0, cpimEnd),
    body.subarray(contentStart, second.at),
    body.subarray(second.at + second.len),
  ];
}

export function parseCpim(input: Buffer | string, limits: CpimLimits = {}): PayloadResult<CpimMessage> {
  const body = typeof input === 'string' ? Buffer.from(input) : input;
  const maxBytes = limits.maxBytes ?? 256 * 1024;
  const maxHeaders = limits.maxHeaders ?? 100;
  if (body.length > maxBytes) {
    return {
      ok: false,
      error: payloadError('PAYLOAD_ERR_TOO_LARGE', `CPIM message of ${body.length} bytes`),
    };
  }
  const blocks = splitBlocks(body);
  if (!blocks) return err('CPIM needs a header block, a blank line, MIME headers and a blank line');
  const [cpimBlock, contentBlock, content] = blocks;
  const msg: CpimMessage = {
    to: [],
    cc: [],
    subjects: [],
    namespaces: [],
    require: [],
    extensionHeaders: [],
    contentHeaders: [],
    body: Buffer.from(content),
  };
  const lines = cpimBlock.toString('utf8').split(/\r?\n/);
  if (lines.length > maxHeaders) {
    return {
      ok: false,
      error: payloadError('PAYLOAD_ERR_TOO_LARGE', `more than ${maxHeaders} CPIM headers`),
    };
  }
  for (const line of lines) {
    if (line === '') continue;
    // Header = Header-name [";" params] ":" SP value  (RFC 3862 §3.1)
    const m = /^([A-Za-z0-9!#$%&'*+^_`|~-]+(?:\.[A-Za-z0-9!#$%&'*+^_`|~-]+)?)((?:;[^:;]+)*):\s?(.*)$/.exec(
      line,
    );
    if (!m) return err(`malformed CPIM header line: ${line.slice(0, 80)}`);
    const [, name, params, value] = m as unknown as [string, string, string, string];
    switch (name) {
      case 'From':
      case 'To':
      case 'cc': {
        const a = parseCpimAddress(value);
        if (!a) return err(`malformed ${name} address: ${value}`);
        if (name === 'From') {
          if (msg.from) return err('two From headers');
          msg.from = a;
        } else (name === 'To' ? msg.to : msg.cc).push(a);
        break;
      }
      case 'DateTime':
        if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(value.trim())) {
          return err(`DateTime is not RFC 3339: ${value}`);
        }
        msg.dateTime = value.trim();
        break;
      case 'Subject': {
        const lang = /;lang=([A-Za-z0-9-]+)/.exec(params)?.[1];
        msg.subjects.push(lang === undefined ? { text: value } : { text: value, lang });
        break;
      }
      case 'NS': {
        const ns = /^\s*(?:([A-Za-z0-9_-]+)\s+)?<([^<>\s]+)>\s*$/.exec(value);
        if (!ns) return err(`malformed NS header: ${value}`);
        msg.namespaces.push({ prefix: ns[1] ?? '', uri: ns[2]! });
        break;
      }
      case 'Require':
        msg.require.push(
          ...value
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s !== ''),
        );
        break;
      default: {
        const dot = name.indexOf('.');
        msg.extensionHeaders.push(
          dot < 0
            ? { prefix: '', name, value }
            : { prefix: name.slice(0, dot), name: name.slice(dot + 1), value },
        );
      }
    }
  }
  // RFC 3862 §5.7: a prefix must be declared by an NS header before use.
  for (const h of msg.extensionHeaders) {
    if (h.prefix !== '' && !msg.namespaces.some((n) => n.prefix === h.prefix)) {
      return err(`header prefix "${h.prefix}" has no NS declaration`);
    }
  }
  const contentHeaders = parseHeaderBlock(contentBlock.toString('utf8'), maxHeaders);
  if (!contentHeaders) return err('malformed encapsulated MIME headers');
  msg.contentHeaders = contentHeaders;
  if (headerValue(contentHeaders, 'Content-Type') === undefined && msg.body.length > 0) {
    return err('the encapsulated content has no Content-Type (RFC 3862 §3.3)');
  }
  return { ok: true, value: msg };
}

/** Serializes with CRLF line ends; the namespace URI of each used prefix is the caller's business (set `namespaces`). */
export function serializeCpim(msg: CpimMessage): Buffer {
  const lines: string[] = [];
  if (msg.from) lines.push(`From: ${formatCpimAddress(msg.from)}`);
  for (const a of msg.to) lines.push(`To: ${formatCpimAddress(a)}`);
  for (const a of msg.cc) lines.push(`cc: ${formatCpimAddress(a)}`);
  if (msg.dateTime !== undefined) lines.push(`DateTime: ${msg.dateTime}`);
  for (const s of msg.subjects)
    lines.push(`Subject${s.lang === undefined ? '' : `;lang=${s.lang}`}: ${s.text}`);
  for (const n of msg.namespaces) lines.push(`NS: ${n.prefix === '' ? '' : `${n.prefix} `}<${n.uri}>`);
  if (msg.require.length > 0) lines.push(`Require: ${msg.require.join(', ')}`);
  for (const h of msg.extensionHeaders)
    lines.push(`${h.prefix === '' ? '' : `${h.prefix}.`}${h.name}: ${h.value}`);
  const head = `${lines.map((l) => `${l.replace(/[\r\n]+/g, ' ')}\r\n`).join('')}\r\n${formatHeaderBlock(msg.contentHeaders)}\r\n`;
  return Buffer.concat([Buffer.from(head), msg.body]);
}

/** The value of a namespaced header, looked up by namespace URI (the prefix is the sender's choice). */
export function cpimExtension(msg: CpimMessage, nsUri: string, name: string): string | undefined {
  const prefixes = msg.namespaces.filter((n) => n.uri === nsUri).map((n) => n.prefix);
  return msg.extensionHeaders.find((h) => prefixes.includes(h.prefix) && h.name === name)?.value;
}

export function emptyCpim(): CpimMessage {
  return {
    to: [],
    cc: [],
    subjects: [],
    namespaces: [],
    require: [],
    extensionHeaders: [],
    contentHeaders: [],
    body: Buffer.alloc(0),
  };
}
