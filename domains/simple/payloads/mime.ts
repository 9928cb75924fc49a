// The bits of MIME (RFC 2045/2046/2387) the SIMPLE bodies need: Content-Type with parameters,
// header blocks, and quoting. Pure string work; bodies stay Buffers.

export interface MediaType {
  /** type/subtype, lower-cased. */
  type: string;
  /** Parameter names lower-cased; values unquoted. */
  params: Record<string, string>;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Parses `type/subtype *(; name=value)` with quoted-string values; undefined if malformed. */
export function parseMediaType(value: string): MediaType | undefined {
  let i = 0;
  const s = value;
  const skipWs = () => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  };
  const readToken = () => {
    const start = i;
    while (i < s.length && /[!#$%&'*+.^_`|~0-9A-Za-z/-]/.test(s[i]!)) i++;
    return s.slice(start, i);
  };
  skipWs();
  const type = readToken().toLowerCase();
  if (!/^[^/]+\/[^/]+$/.test(type)) return undefined;
  const params: Record<string, string> = {};
  for (;;) {
    skipWs();
    if (i >= s.length) break;
    if (s[i] !== ';') return undefined;
    i++;
    skipWs();
    if (i >= s.length) break; // a trailing ';' is tolerated
    const name = readToken().toLowerCase();
    if (name === '' || name.includes('/') || s[i] !== '=') return undefined;
    i++;
    let v = '';
    if (s[i] === '"') {
      i++;
      for (;;) {
        if (i >= s.length) return undefined;
        const ch = s[i++]!;
        if (ch === '"') break;
        if (ch === '\\' && i < s.length) v += s[i++];
        else v += ch;
      }
    } else {
      v = readToken();
      if (v === '') return undefined;
    }
    params[name] = v;
  }
  return { type, params };
}

/** A parameter value as a token when possible, else a quoted-string. */
export function quoteParam(v: string): string {
  return TOKEN.test(v) ? v : `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

export function formatMediaType(m: MediaType): string {
  return [m.type, ...Object.entries(m.params).map(([k, v]) => `${k}=${quoteParam(v)}`)].join(';');
}

export type HeaderList = Array<[name: string, value: string]>;

/**
 * Parses a CRLF (or LF) separated header block with folding (RFC 5322 §2.2.3). Returns
 * undefined on a line without a colon. Names keep their case (CPIM names are case-sensitive).
 */
export function parseHeaderBlock(block: string, maxHeaders = 100): HeaderList | undefined {
  const out: HeaderList = [];
  const lines = block.split(/\r?\n/);
  for (const line of lines) {
    if (line === '') continue;
    if ((line[0] === ' ' || line[0] === '\t') && out.length > 0) {
      const last = out[out.length - 1]!;
      last[1] = `${last[1]} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) return undefined;
    const name = line.slice(0, colon).trim();
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) return undefined;
    out.push([name, line.slice(colon + 1).trim()]);
    if (out.length > maxHeaders) return undefined;
  }
  return out;
}

export function headerValue(headers: HeaderList, name: string): string | undefined {
  const lower = name.toLowerCase();
  return headers.find(([n]) => n.toLowerCase() === lower)?.[1];
}

export function formatHeaderBlock(headers: HeaderList): string {
  return headers.map(([n, v]) => `${n}: ${v}\r\n`).join('');
}
