import { canonicalHeaderName } from './header-names.ts';
import {
  type CSeq,
  parseCSeq,
  parseFirstVia,
  parseMaxForwards,
  parseNameAddr,
  parseNameAddrList,
  parseViaList,
  splitHeaderList,
} from './header-values.ts';
import type { NameAddr } from './name-addr.ts';
import type { Uri } from './uri.ts';
import type { Via } from './via.ts';

export interface HeaderField {
  /** Canonical name (compact forms expanded, see header-names.ts). */
  name: string;
  /** The value with line folding replaced by single spaces and outer whitespace trimmed. */
  value: string;
}

/** Field names are stored canonical, so the exact compare hits first; unknown names fold case. */
function sameName(fieldName: string, canonical: string, lower: string): boolean {
  return fieldName === canonical || (fieldName.length === lower.length && fieldName.toLowerCase() === lower);
}

/**
 * The header section, in wire order. Values are strings; structured views (Via, From, CSeq …)
 * are parsed on demand by SipMessage and cached until the headers change.
 */
export class SipHeaders {
  private readonly fields: HeaderField[];
  /** Bumped on every change so SipMessage can drop its cached parses. */
  version = 0;

  constructor(fields: HeaderField[] = []) {
    this.fields = fields;
  }

  /** All fields in order (do not mutate; use the methods). */
  get all(): readonly HeaderField[] {
    return this.fields;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** The first field's value. */
  get(name: string): string | undefined {
    const canonical = canonicalHeaderName(name);
    const n = canonical.toLowerCase();
    for (const f of this.fields) if (sameName(f.name, canonical, n)) return f.value;
    return undefined;
  }

  /** Every field's value, in order (each still possibly comma-combined). */
  getFields(name: string): string[] {
    const canonical = canonicalHeaderName(name);
    const n = canonical.toLowerCase();
    const out: string[] = [];
    for (const f of this.fields) if (sameName(f.name, canonical, n)) out.push(f.value);
    return out;
  }

  /** Every value of a list header: fields in order, each split at top-level commas. */
  getList(name: string): string[] {
    return this.getFields(name).flatMap(splitHeaderList);
  }

  /** Replaces all fields of `name` by one field (at the first one's position). */
  set(name: string, value: string): this {
    const canonical = canonicalHeaderName(name);
    const n = canonical.toLowerCase();
    const at = this.fields.findIndex((f) => f.name.toLowerCase() === n);
    this.delete(canonical);
    if (at === -1) this.fields.push({ name: canonical, value });
    else this.fields.splice(at, 0, { name: canonical, value });
    this.version++;
    return this;
  }

  append(name: string, value: string): this {
    this.fields.push({ name: canonicalHeaderName(name), value });
    this.version++;
    return this;
  }

  /** Inserts a field before every other field of the same name (Via, Record-Route). */
  prepend(name: string, value: string): this {
    const canonical = canonicalHeaderName(name);
    const n = canonical.toLowerCase();
    const at = this.fields.findIndex((f) => f.name.toLowerCase() === n);
    this.fields.splice(at === -1 ? this.fields.length : at, 0, { name: canonical, value });
    this.version++;
    return this;
  }

  delete(name: string): boolean {
    const n = canonicalHeaderName(name).toLowerCase();
    let removed = false;
    for (let i = this.fields.length - 1; i >= 0; i--) {
      if (this.fields[i]!.name.toLowerCase() === n) {
        this.fields.splice(i, 1);
        removed = true;
      }
    }
    if (removed) this.version++;
    return removed;
  }

  clone(): SipHeaders {
    return new SipHeaders(this.fields.map((f) => ({ name: f.name, value: f.value })));
  }
}

const UNSET: unique symbol = Symbol('unset');

/** One slot per structured view; a fixed shape so the getters stay monomorphic. */
class ParseCache {
  via: unknown = UNSET;
  topVia: unknown = UNSET;
  from: unknown = UNSET;
  to: unknown = UNSET;
  cseq: unknown = UNSET;
  fromTag: unknown = UNSET;
  toTag: unknown = UNSET;
  contact: unknown = UNSET;
  route: unknown = UNSET;
  rr: unknown = UNSET;
  mf: unknown = UNSET;
}

export type ParsedViewKey = keyof ParseCache;

/** Structured views of a message, parsed once per header version. */
abstract class SipMessageBase {
  headers: SipHeaders;
  body: Buffer;
  private cacheVersion = -1;
  private cache = new ParseCache();

  constructor(headers: SipHeaders, body: Buffer) {
    this.headers = headers;
    this.body = body;
  }

  private freshCache(): ParseCache {
    if (this.cacheVersion !== this.headers.version) {
      this.cache = new ParseCache();
      this.cacheVersion = this.headers.version;
    }
    return this.cache;
  }

  /**
   * @internal The decoder validated these headers already; it hands its parses over so the
   * getters below do not parse twice.
   */
  primeParsed(key: ParsedViewKey, value: unknown): void {
    this.freshCache()[key] = value;
  }

  private cached<T>(key: ParsedViewKey, compute: () => T): T {
    const cache = this.freshCache();
    const hit = cache[key];
    if (hit !== UNSET) return hit as T;
    const value = compute();
    cache[key] = value;
    return value;
  }

  /** Via values, topmost first. Throws SipSyntaxError if malformed (decode already checked). */
  get vias(): Via[] {
    return this.cached('via', () => parseViaList(this.headers.getFields('Via')));
  }

  /**
   * The topmost Via (the transaction key, RFC 3261 §17.2.3): only the first value is parsed
   * unless the whole list already was.
   */
  get topVia(): Via | undefined {
    const cache = this.freshCache();
    if (cache.via !== UNSET) return (cache.via as Via[])[0];
    if (cache.topVia !== UNSET) return cache.topVia as Via | undefined;
    const first = this.headers.get('Via');
    const top = first === undefined ? undefined : parseFirstVia(first);
    cache.topVia = top;
    return top;
  }

  get from(): NameAddr {
    return this.cached('from', () => parseNameAddr(this.requireHeader('From')));
  }

  get to(): NameAddr {
    return this.cached('to', () => parseNameAddr(this.requireHeader('To')));
  }

  get callId(): string {
    return this.requireHeader('Call-ID');
  }

  get cseq(): CSeq {
    return this.cached('cseq', () => parseCSeq(this.requireHeader('CSeq')));
  }

  /** From's tag; decode seeds it, so the transaction layer's keys need no From parse. */
  get fromTag(): string | undefined {
    const cache = this.freshCache();
    if (cache.fromTag !== UNSET) return cache.fromTag as string | undefined;
    const tag = this.from.params.get('tag') ?? undefined;
    cache.fromTag = tag;
    return tag;
  }

  /** To's tag; decode seeds it, so the transaction layer's keys need no To parse. */
  get toTag(): string | undefined {
    const cache = this.freshCache();
    if (cache.toTag !== UNSET) return cache.toTag as string | undefined;
    const tag = this.to.params.get('tag') ?? undefined;
    cache.toTag = tag;
    return tag;
  }

  /** Contact values ('*' is returned as an empty list; see isWildcardContact). */
  get contacts(): NameAddr[] {
    return this.cached('contact', () =>
      this.headers.get('Contact')?.trim() === '*' ? [] : parseNameAddrList(this.headers.getFields('Contact')),
    );
  }

  get recordRoutes(): NameAddr[] {
    return this.cached('rr', () => parseNameAddrList(this.headers.getFields('Record-Route')));
  }

  get routes(): NameAddr[] {
    return this.cached('route', () => parseNameAddrList(this.headers.getFields('Route')));
  }

  get contentType(): string | undefined {
    return this.headers.get('Content-Type');
  }

  /** Max-Forwards as a number (0-255), if present; decode has checked its syntax. */
  get maxForwards(): number | undefined {
    return this.cached('mf', () => {
      const v = this.headers.get('Max-Forwards');
      return v === undefined ? undefined : parseMaxForwards(v);
    });
  }

  /** The Expires header as a number, if present and valid. */
  get expires(): number | undefined {
    const v = this.headers.get('Expires');
    if (v === undefined || !/^\d+$/.test(v)) return undefined;
    return Math.min(Number(v), 2 ** 32 - 1);
  }

  private requireHeader(name: string): string {
    const v = this.headers.get(name);
    if (v === undefined) throw new Error(`missing ${name}`);
    return v;
  }
}

export class SipRequest extends SipMessageBase {
  readonly kind = 'request' as const;
  method: string;
  uri: Uri;
  version: string;

  constructor(
    method: string,
    uri: Uri,
    headers: SipHeaders = new SipHeaders(),
    body: Buffer = EMPTY,
    version = 'SIP/2.0',
  ) {
    super(headers, body);
    this.method = method;
    this.uri = uri;
    this.version = version;
  }
}

export class SipResponse extends SipMessageBase {
  readonly kind = 'response' as const;
  status: number;
  reason: string;
  version: string;

  constructor(
    status: number,
    reason: string,
    headers: SipHeaders = new SipHeaders(),
    body: Buffer = EMPTY,
    version = 'SIP/2.0',
  ) {
    super(headers, body);
    this.status = status;
    this.reason = reason;
    this.version = version;
  }
}

export type SipMessage = SipRequest | SipResponse;

const EMPTY = Buffer.alloc(0);
