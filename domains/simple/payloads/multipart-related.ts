// RFC 2387 multipart/related as RLS NOTIFYs use it (RFC 4662 §5.3-5.4): the RLMI document is the
// root part (named by `start`), and each resource's state is a further part whose Content-ID
// the RLMI <instance cid> references. Bodies are bytes; nested multipart parts stay opaque.
import { serializeXml } from '../../../common/xml/serialize.ts';
import {
  formatHeaderBlock,
  formatMediaType,
  type HeaderList,
  headerValue,
  parseHeaderBlock,
  parseMediaType,
} from './mime.ts';
import { type PayloadResult, payloadError } from './payload-error.ts';
import { parseRlmi, RLMI_CONTENT_TYPE, type RlmiList, rlmiToXml } from './rlmi.ts';

export interface MimePart {
  headers: HeaderList;
  body: Buffer;
}

export interface MultipartRelated {
  boundary: string;
  /** `type` parameter: the root part's media type (RFC 2387 §3.1). */
  type?: string;
  /** `start` parameter: the root part's Content-ID, with angle brackets. */
  start?: string;
  parts: MimePart[];
}

export interface MultipartLimits {
  maxBytes?: number;
  maxParts?: number;
}

const DEFAULTS: Required<MultipartLimits> = { maxBytes: 1024 * 1024, maxParts: 1000 };
// RFC 2046 §5.1.1 bchars, 1-70 characters, not ending in a space.
const BOUNDARY = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;
const CRLF = Buffer.from('\r\n');
const LF = Buffer.from('\n');

export function contentId(part: MimePart): string | undefined {
  return headerValue(part.headers, 'Content-ID');
}

/** Content-ID without angle brackets (the form RLMI `cid` attributes use). */
export function bareCid(cid: string): string {
  const t = cid.trim();
  return t.startsWith('<') && t.endsWith('>') ? t.slice(1, -1) : t;
}

export function buildMultipartRelated(
  m: MultipartRelated,
): PayloadResult<{ contentType: string; body: Buffer }> {
  if (!BOUNDARY.test(m.boundary)) {
    return { ok: false, error: payloadError('PAYLOAD_ERR_MALFORMED_MIME', `bad boundary "${m.boundary}"`) };
  }
  const delimiter = Buffer.from(`--${m.boundary}`);
  const chunks: Buffer[] = [];
  for (const p of m.parts) {
    // RFC 2046 §5.1.1: the boundary must not occur inside any encapsulated part.
    if (p.body.includes(delimiter)) {
      return {
        ok: false,
        error: payloadError('PAYLOAD_ERR_MALFORMED_MIME', 'boundary occurs inside a part'),
      };
    }
    chunks.push(delimiter, CRLF, Buffer.from(formatHeaderBlock(p.headers)), CRLF, p.body, CRLF);
  }
  chunks.push(Buffer.from(`--${m.boundary}--`), CRLF);
  const params: Record<string, string> = {};
  if (m.type !== undefined) params.type = m.type;
  if (m.start !== undefined) params.start = m.start;
  params.boundary = m.boundary;
  return {
    ok: true,
    value: {
      contentType: formatMediaType({ type: 'multipart/related', params }),
      body: Buffer.concat(chunks),
    },
  };
}

function mimeError(message: string) {
  return { ok: false as const, error: payloadError('PAYLOAD_ERR_MALFORMED_MIME', message) };
}

/**
 * Finds `--boundary` at offset 0 or at the start of a line (CRLF, or a bare LF from lenient
 * peers). Returns where the dashes start and where the previous part's content ends.
 */
function findDelimiter(
  body: Buffer,
  delimiter: Buffer,
  from: number,
): { dashes: number; end: number } | undefined {
  if (from === 0 && body.subarray(0, delimiter.length).equals(delimiter)) return { dashes: 0, end: 0 };
  const needle = Buffer.concat([LF, delimiter]);
  const i = body.indexOf(needle, Math.max(0, from - 1));
  if (i < 0) return undefined;
  return { dashes: i + 1, end: i > 0 && body[i - 1] === 0x0d ? i - 1 : i };
}

export function parseMultipartRelated(
  contentType: string,
  body: Buffer,
  limits: MultipartLimits = {},
): PayloadResult<MultipartRelated> {
  const lim = { ...DEFAULTS, ...limits };
  if (body.length > lim.maxBytes) {
    return {
      ok: false,
      error: payloadError('PAYLOAD_ERR_TOO_LARGE', `body of ${body.length} bytes > ${lim.maxBytes}`),
    };
  }
  const mt = parseMediaType(contentType);
  if (!mt?.type.startsWith('multipart/')) return mimeError(`not a multipart Content-Type: ${contentType}`);
  const boundary = mt.params.boundary;
  if (boundary === undefined || !BOUNDARY.test(boundary))
    return mimeError('missing or bad boundary parameter');
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: MimePart[] = [];
  let at = findDelimiter(body, delimiter, 0);
  if (!at) return mimeError('no boundary delimiter in the body');
  for (;;) {
    let p = at.dashes + delimiter.length;
    if (body[p] === 0x2d && body[p + 1] === 0x2d) break; // close-delimiter
    while (body[p] === 0x20 || body[p] === 0x09) p++; // transport padding
    if (body[p] === 0x0d && body[p + 1] === 0x0a) p += 2;
    else if (body[p] === 0x0a) p += 1;
    else return mimeError('garbage after a boundary delimiter');
    const next = findDelimiter(body, delimiter, p);
    if (!next) return mimeError('missing close delimiter');
    const raw = body.subarray(p, Math.max(p, next.end));
    let split = raw.indexOf('\r\n\r\n');
    let sepLen = 4;
    if (raw.subarray(0, 2).equals(CRLF)) {
      split = 0;
      sepLen = 2;
    } else if (raw[0] === 0x0a) {
      split = 0;
      sepLen = 1;
    } else if (split < 0) {
      split = raw.indexOf('\n\n');
      sepLen = 2;
    }
    if (split < 0) return mimeError('part without a blank line after its headers');
    const headers = parseHeaderBlock(raw.subarray(0, split).toString('utf8'));
    if (!headers) return mimeError('malformed part headers');
    parts.push({ headers, body: Buffer.from(raw.subarray(split + sepLen)) });
    if (parts.length > lim.maxParts) {
      return { ok: false, error: payloadError('PAYLOAD_ERR_TOO_LARGE', `more than ${lim.maxParts} parts`) };
    }
    at = next;
  }
  if (parts.length === 0) return mimeError('multipart body with no parts');
  const out: MultipartRelated = { boundary, parts };
  if (mt.params.type !== undefined) out.type = mt.params.type;
  if (mt.params.start !== undefined) out.start = mt.params.start;
  return { ok: true, value: out };
}

/** The root part: the one named by `start`, else the first (RFC 2387 §3.2). */
export function rootPart(m: MultipartRelated): MimePart | undefined {
  if (m.start === undefined) return m.parts[0];
  const want = bareCid(m.start);
  return m.parts.find((p) => {
    const id = contentId(p);
    return id !== undefined && bareCid(id) === want;
  });
}

export interface RlsNotifyPart {
  /** Content-ID without brackets; referenced by an RLMI <instance cid>. */
  cid: string;
  contentType: string;
  body: Buffer | string;
}

/** Builds the body of an RLS NOTIFY (RFC 4662 §5.3): RLMI root + one part per resource instance. */
export function buildRlsNotifyBody(args: {
  rlmi: RlmiList;
  rlmiCid: string;
  parts: RlsNotifyPart[];
  boundary: string;
}): PayloadResult<{ contentType: string; body: Buffer }> {
  const root: MimePart = {
    headers: [
      ['Content-Transfer-Encoding', 'binary'],
      ['Content-ID', `<${args.rlmiCid}>`],
      ['Content-Type', `${RLMI_CONTENT_TYPE};charset="UTF-8"`],
    ],
    body: Buffer.from(serializeXml(rlmiToXml(args.rlmi))),
  };
  const rest: MimePart[] = args.parts.map((p) => ({
    headers: [
      ['Content-Transfer-Encoding', 'binary'],
      ['Content-ID', `<${p.cid}>`],
      ['Content-Type', p.contentType],
    ],
    body: typeof p.body === 'string' ? Buffer.from(p.body) : p.body,
  }));
  return buildMultipartRelated({
    boundary: args.boundary,
    type: RLMI_CONTENT_TYPE,
    start: `<${args.rlmiCid}>`,
    parts: [root, ...rest],
  });
}

export interface RlsNotifyBody {
  rlmi: RlmiList;
  /** Parts other than the root, by bare Content-ID. */
  parts: Map<string, MimePart>;
}

/** Parses an RLS NOTIFY body: finds the RLMI root, decodes it, and indexes the other parts by cid. */
export function parseRlsNotifyBody(
  contentType: string,
  body: Buffer,
  limits: MultipartLimits = {},
): PayloadResult<RlsNotifyBody> {
  const m = parseMultipartRelated(contentType, body, limits);
  if (!m.ok) return m;
  const root = rootPart(m.value);
  if (!root) return mimeError(`no part has the start Content-ID ${m.value.start}`);
  const rootType = parseMediaType(headerValue(root.headers, 'Content-Type') ?? '')?.type;
  if (rootType !== RLMI_CONTENT_TYPE) return mimeError(`root part is ${rootType ?? 'untyped'}, not RLMI`);
  const rlmi = parseRlmi(root.body, { maxBytes: limits.maxBytes ?? DEFAULTS.maxBytes });
  if (!rlmi.ok) return rlmi;
  const parts = new Map<string, MimePart>();
  for (const p of m.value.parts) {
    if (p === root) continue;
    const id = contentId(p);
    if (id !== undefined) parts.set(bareCid(id), p);
  }
  return { ok: true, value: { rlmi: rlmi.value, parts } };
}
