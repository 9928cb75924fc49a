// Codec for the four authentication headers of RFC 3261 §20.7, §20.27, §20.28, §20.44:
// WWW-Authenticate / Proxy-Authenticate (challenges) and Authorization / Proxy-Authorization
// (credentials). Grammar: RFC 3261 §25.1 `challenge` / `credentials`, RFC 2617 §1.2
// `auth-scheme 1*SP auth-param *(COMMA auth-param)`, values are token or quoted-string.
//
// One header field may carry several challenges (HTTP style, RFC 7235 §4.1) and one response may
// carry several fields; both are flattened into one list. Schemes other than Digest are parsed
// and returned with their scheme name so callers can skip them (RFC 4475 regaut01: an unknown
// scheme is not an error). Nothing here throws: malformed input yields `undefined` entries.

/** Limits on untrusted header values. */
export const AUTH_HEADER_LIMITS = {
  /** Longest header value we look at, in characters. */
  maxValueLength: 8192,
  /** Most auth-params in one challenge or credentials. */
  maxParams: 32,
  /** Most challenges taken from one response. */
  maxChallenges: 16,
} as const;

/** One challenge or credentials: a scheme and its parameters (names lower-cased, values unquoted). */
export interface AuthField {
  /** As written, e.g. `Digest`; compare case-insensitively (RFC 2617 §1.2). */
  scheme: string;
  params: Map<string, string>;
  /** Parameters in wire order with their original name spelling, for round trips. */
  order: Array<[string, string]>;
}

const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;

/** Splits at commas outside quoted strings. Returns undefined on an unterminated quote. */
function splitTopLevel(value: string): string[] | undefined {
  const parts: string[] = [];
  let start = 0;
  let inQuotes = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (inQuotes) {
      if (c === '\\') i++;
      else if (c === '"') inQuotes = false;
    } else if (c === '"') inQuotes = true;
    else if (c === ',') {
      parts.push(value.slice(start, i));
      start = i + 1;
    }
  }
  if (inQuotes) return undefined;
  parts.push(value.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

/** `name=value` or `name="quoted"`; undefined when it is not an auth-param. */
function parseParam(text: string): [string, string] | undefined {
  const eq = text.indexOf('=');
  if (eq <= 0) return undefined;
  const name = text.slice(0, eq).trim();
  const raw = text.slice(eq + 1).trim();
  if (!TOKEN.test(name)) return undefined;
  if (raw.startsWith('"')) {
    if (raw.length < 2 || !raw.endsWith('"')) return undefined;
    let out = '';
    for (let i = 1; i < raw.length - 1; i++) {
      const c = raw[i]!;
      if (c === '\\') {
        i++;
        if (i >= raw.length - 1) return undefined;
        out += raw[i];
      } else if (c === '"') return undefined;
      else out += c;
    }
    return [name, out];
  }
  // RFC 2617 §3.2.1: some values (algorithm, stale, nc, qop in credentials) are bare tokens;
  // base64 nonces from lenient peers may carry '/' or '=' unquoted, which we tolerate.
  if (raw.length === 0 || /[\s";,]/.test(raw)) return undefined;
  return [name, raw];
}

/**
 * Parses every challenge (or credentials) in the given header field values. Entries that do not
 * parse are reported as `undefined` in place so callers can count them; the scheme of a
 * syntactically broken entry is lost.
 */
export function parseAuthFields(values: readonly string[]): Array<AuthField | undefined> {
  const out: Array<AuthField | undefined> = [];
  for (const value of values) {
    if (out.length >= AUTH_HEADER_LIMITS.maxChallenges) break;
    if (value.length > AUTH_HEADER_LIMITS.maxValueLength) {
      out.push(undefined);
      continue;
    }
    const parts = splitTopLevel(value);
    if (parts === undefined) {
      out.push(undefined);
      continue;
    }
    let current: AuthField | undefined;
    let broken = false;
    const flush = () => {
      if (current || broken) out.push(broken ? undefined : current);
      current = undefined;
      broken = false;
    };
    for (const part of parts) {
      // A new challenge starts with `scheme` followed by whitespace (and its first auth-param) or
      // by nothing; `name = value` with LWS around EQUAL is a parameter, not a scheme.
      const m = /^([A-Za-z0-9\-.!%*_+`'~]+)(?:\s+([\s\S]*))?$/.exec(part);
      if (m && !(m[2] ?? '').startsWith('=')) {
        flush();
        current = { scheme: m[1]!, params: new Map(), order: [] };
        if (m[2] !== undefined && m[2].length > 0) {
          const p = parseParam(m[2]);
          // Another scheme may carry token68 data (RFC 7235 §2.1) that is no auth-param: keep the
          // scheme so callers can skip it. For Digest a broken first parameter breaks the field.
          if (p) addParam(current, p);
          else if (m[1]!.toLowerCase() === 'digest') broken = true;
        }
        continue;
      }
      const p = parseParam(part);
      if (!current || !p) {
        broken = true;
        if (!current) current = { scheme: '', params: new Map(), order: [] };
        continue;
      }
      if (!addParam(current, p)) broken = true;
    }
    flush();
  }
  return out.slice(0, AUTH_HEADER_LIMITS.maxChallenges);
}

function addParam(field: AuthField, [name, value]: [string, string]): boolean {
  if (field.order.length >= AUTH_HEADER_LIMITS.maxParams) return false;
  const lower = name.toLowerCase();
  // RFC 7616 §3.3: each directive at most once; a duplicate makes the field ambiguous.
  if (field.params.has(lower)) return false;
  field.params.set(lower, value);
  field.order.push([name, value]);
  return true;
}

/** Parameters RFC 2617/7616 define as quoted-string; the rest are written as tokens. */
const QUOTED = new Set(['realm', 'nonce', 'opaque', 'domain', 'uri', 'response', 'cnonce', 'username']);

function quote(value: string): string {
  return `"${value.replace(/(["\\])/g, '\\$1')}"`;
}

/**
 * Formats a challenge or credentials. `qop` is quoted in challenges (a list, RFC 2617 §3.2.1)
 * and bare in credentials (§3.2.2), so the caller says which it writes.
 */
export function formatAuthField(
  scheme: string,
  params: ReadonlyArray<readonly [string, string | undefined]>,
  kind: 'challenge' | 'credentials',
): string {
  const parts: string[] = [];
  for (const [name, value] of params) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    const quoted = QUOTED.has(lower) || (lower === 'qop' && kind === 'challenge') || !TOKEN.test(value);
    parts.push(`${name}=${quoted ? quote(value) : value}`);
  }
  return parts.length === 0 ? scheme : `${scheme} ${parts.join(', ')}`;
}
