import { CANONICAL_HEADER_NAMES, canonicalHeaderName } from './header-names.ts';
import {
  type CSeq,
  parseCSeq,
  parseFirstVia,
  parseMaxForwards,
  parseNameAddr,
  parseNameAddrFieldAt,
  parseNameAddrIn,
  parseViaFieldAt,
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
  return fieldName === canonical || (fieldName.length === lower.length && equalsLower(fieldName, lower));
}

/** name.toLowerCase() === lower, without building the lower-case string for ASCII names. */
function equalsLower(name: string, lower: string): boolean {
  for (let i = 0; i < name.length; i++) {
    let c = name.charCodeAt(i);
    if (c >= 128) return name.toLowerCase() === lower; // Unicode case mapping: let the engine do it
    if (c >= 65 && c <= 90) c += 32;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
}

// Lower-case spellings of the canonical names, so lookups by a known name allocate nothing.
const LOWER = new Map<string, string>();
for (const name of CANONICAL_HEADER_NAMES) LOWER.set(name, name.toLowerCase());

function lowerName(canonical: string): string {
  return LOWER.get(canonical) ?? canonical.toLowerCase();
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
    const n = lowerName(canonical);
    const fields = this.fields;
    for (let i = 0; i < fields.length; i++)
      if (sameName(fields[i]!.name, canonical, n)) return fields[i]!.value;
    return undefined;
  }

  /** Every field's value, in order (each still possibly comma-combined). */
  getFields(name: string): string[] {
    const canonical = canonicalHeaderName(name);
    const n = lowerName(canonical);
    const fields = this.fields;
    const out: string[] = [];
    for (let i = 0; i < fields.length; i++)
      if (sameName(fields[i]!.name, canonical, n)) out.push(fields[i]!.value);
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
  /**
   * The decoded header section and where each field's value starts in it (-1: folded, its own
   * string), so the getters parse in place; dropped with the rest when the headers change.
   */
  text: string | undefined = undefined;
  starts: number[] | undefined = undefined;
}

/** The structured views decode may seed (the wire text and spans are handed over apart). */
export type ParsedViewKey = Exclude<keyof ParseCache, 'text' | 'starts'>;

/** Structured views of a message, parsed once per header version. */
abstract class SipMessageBase {
  headers: SipHeaders;
  body: Buffer;
  private cacheVersion = -1;
  /** The SipHeaders the cache was filled from: `headers` may be replaced by another object. */
  private cacheHeaders: SipHeaders;
  private cache = new ParseCache();

  constructor(headers: SipHeaders, body: Buffer) {
    this.headers = headers;
    this.body = body;
    this.cacheHeaders = headers;
    this.cacheVersion = headers.version; // the empty cache is fresh for these headers
  }

  private freshCache(): ParseCache {
    const headers = this.headers;
    if (this.cacheVersion !== headers.version || this.cacheHeaders !== headers) {
      this.cache = new ParseCache();
      this.cacheVersion = headers.version;
      this.cacheHeaders = headers;
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

  /**
   * @internal The decoder hands over its header section text and where each field's value
   * starts in it, so the getters parse values in place (one flat string) rather than the slices.
   */
  primeWire(text: string, starts: number[]): void {
    const cache = this.freshCache();
    cache.text = text;
    cache.starts = starts;
  }

  /** Where field i's value sits in the decoded text, or -1 (not decoded, folded, or changed). */
  private static wireAt(cache: ParseCache, i: number): number {
    return cache.starts === undefined ? -1 : (cache.starts[i] ?? -1);
  }

  /** The first field called `name` as a name-addr (From, To). */
  private firstNameAddr(cache: ParseCache, name: string): NameAddr {
    const fields = this.headers.all;
    const lower = lowerName(name);
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      if (!sameName(f.name, name, lower)) continue;
      const at = SipMessageBase.wireAt(cache, i);
      return at === -1 ? parseNameAddr(f.value) : parseNameAddrIn(cache.text!, at, at + f.value.length);
    }
    throw new Error(`missing ${name}`);
  }

  /** Every value of the name-addr list header `name` (Contact, Route, Record-Route). */
  private nameAddrList(cache: ParseCache, name: string): NameAddr[] {
    const fields = this.headers.all;
    const lower = lowerName(name);
    const out: NameAddr[] = [];
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      if (!sameName(f.name, name, lower)) continue;
      const at = SipMessageBase.wireAt(cache, i);
      if (at === -1) parseNameAddrFieldAt(f.value, f.value, 0, out);
      else parseNameAddrFieldAt(f.value, cache.text!, at, out);
    }
    return out;
  }

  /** Via values, topmost first. Throws SipSyntaxError if malformed (decode already checked). */
  get vias(): Via[] {
    const cache = this.freshCache();
    if (cache.via === UNSET) {
      const fields = this.headers.all;
      const top = cache.topVia;
      const out: Via[] = [];
      let first = true;
      for (let i = 0; i < fields.length; i++) {
        const f = fields[i]!;
        if (!sameName(f.name, 'Via', 'via')) continue;
        if (first && top !== UNSET && top !== undefined && f.value.indexOf(',') === -1) {
          out.push(top as Via); // the top Via (decode's or topVia's) is this field's only value
        } else {
          const at = SipMessageBase.wireAt(cache, i);
          if (at === -1) parseViaFieldAt(f.value, f.value, 0, out);
          else parseViaFieldAt(f.value, cache.text!, at, out);
        }
        first = false;
      }
      cache.via = out;
    }
    return cache.via as Via[];
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
    const cache = this.freshCache();
    if (cache.from === UNSET) cache.from = this.firstNameAddr(cache, 'From');
    return cache.from as NameAddr;
  }

  get to(): NameAddr {
    const cache = this.freshCache();
    if (cache.to === UNSET) cache.to = this.firstNameAddr(cache, 'To');
    return cache.to as NameAddr;
  }

  get callId(): string {
    return this.requireHeader('Call-ID');
  }

  get cseq(): CSeq {
    const cache = this.freshCache();
    if (cache.cseq === UNSET) cache.cseq = parseCSeq(this.requireHeader('CSeq'));
    return cache.cseq as CSeq;
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
    const cache = this.freshCache();
    if (cache.contact === UNSET) {
      cache.contact = this.headers.get('Contact')?.trim() === '*' ? [] : this.nameAddrList(cache, 'Contact');
    }
    return cache.contact as NameAddr[];
  }

  get recordRoutes(): NameAddr[] {
    const cache = this.freshCache();
    if (cache.rr === UNSET) cache.rr = this.nameAddrList(cache, 'Record-Route');
    return cache.rr as NameAddr[];
  }

  get routes(): NameAddr[] {
    const cache = this.freshCache();
    if (cache.route === UNSET) cache.route = this.nameAddrList(cache, 'Route');
    return cache.route as NameAddr[];
  }

  get contentType(): string | undefined {
    return this.headers.get('Content-Type');
  }

  /** Max-Forwards as a number (0-255), if present; decode has checked its syntax. */
  get maxForwards(): number | undefined {
    const cache = this.freshCache();
    if (cache.mf === UNSET) {
      const v = this.headers.get('Max-Forwards');
      cache.mf = v === undefined ? undefined : parseMaxForwards(v);
    }
    return cache.mf as number | undefined;
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
