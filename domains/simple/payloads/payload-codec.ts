// Shared plumbing of the payload codecs: parse → check the root → walk the tree, where the walk
// reports structural faults by throwing `Invalid` and the public entry point turns that (and
// anything else) into a PayloadError. Also the small value types several formats share.
import { parseXml, type XmlLimits } from '../../../common/xml/parse.ts';
import { attr, attribute, el, lang, text } from '../../../common/xml/query.ts';
import { XML_NS } from '../../../common/xml/serialize.ts';
import type { XmlElement } from '../../../common/xml/xml-node.ts';
import { fromXmlError, type PayloadErrorCode, type PayloadResult, payloadError } from './payload-error.ts';

export type PayloadLimits = XmlLimits;

/** Presence documents are small; RFC 3428 §8 caps a MESSAGE body at 1300 bytes unless congestion-controlled. */
export const DEFAULT_PAYLOAD_LIMITS: Required<XmlLimits> = {
  maxBytes: 256 * 1024,
  maxDepth: 32,
  maxNodes: 20_000,
  maxAttributes: 32,
};

export class Invalid extends Error {
  constructor(
    message: string,
    readonly code: PayloadErrorCode = 'PAYLOAD_ERR_INVALID',
  ) {
    super(message);
  }
}

export function invalid(message: string, code?: PayloadErrorCode): never {
  throw new Invalid(message, code);
}

/** Parse XML, check the root's namespace and local name, and run `walk`; never throws. */
export function decodeXml<T>(
  input: Buffer | string,
  limits: PayloadLimits | undefined,
  roots: ReadonlyArray<{ ns: string; local: string }>,
  walk: (root: XmlElement) => T,
): PayloadResult<T> {
  const parsed = parseXml(input, { ...DEFAULT_PAYLOAD_LIMITS, ...limits });
  if (!parsed.ok) return { ok: false, error: fromXmlError(parsed.error.code, parsed.error.message) };
  const root = parsed.root;
  if (!roots.some((r) => r.ns === root.ns && r.local === root.local)) {
    const want = roots.map((r) => `{${r.ns}}${r.local}`).join(' or ');
    return {
      ok: false,
      error: payloadError('PAYLOAD_ERR_WRONG_ROOT', `root is {${root.ns}}${root.local}, expected ${want}`),
    };
  }
  return guard(() => walk(root));
}

/** Run a walk and turn any throw into a PayloadError. */
export function guard<T>(walk: () => T): PayloadResult<T> {
  try {
    return { ok: true, value: walk() };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, error: payloadError(e.code, e.message) };
    return { ok: false, error: payloadError('PAYLOAD_ERR_INVALID', `unexpected: ${String(e)}`) };
  }
}

export function requireAttr(e: XmlElement, name: string): string {
  const v = attr(e, name);
  if (v === undefined) invalid(`<${e.name}> lacks the required attribute ${name}`);
  return v;
}

export function oneOf<T extends string>(value: string, allowed: readonly T[], what: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  return invalid(`${what} "${value}" is not one of ${allowed.join('|')}`);
}

/** xs:boolean lexical space. */
export function parseBoolean(value: string, what: string): boolean {
  const v = value.trim();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  return invalid(`${what} "${value}" is not an xs:boolean`);
}

const DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;

/** xs:dateTime (kept as the lexical string, so it re-serializes exactly). */
export function parseDateTime(value: string, what: string): string {
  const v = value.trim();
  if (!DATE_TIME.test(v) || Number.isNaN(Date.parse(v))) invalid(`${what} "${value}" is not an xs:dateTime`);
  return v;
}

export function parseUnsignedInt(value: string, what: string): number {
  const v = value.trim();
  if (!/^\+?\d{1,15}$/.test(v)) invalid(`${what} "${value}" is not a non-negative integer`);
  return Number(v);
}

/** A language-tagged string: PIDF/RPID/data-model Note_t, display-name, rlmi name, caps description. */
export interface Note {
  text: string;
  lang?: string;
}

export function readNote(e: XmlElement): Note {
  const l = lang(e);
  return l === undefined ? { text: text(e) } : { text: text(e), lang: l };
}

export function writeNote(ns: string, qname: string, n: Note): XmlElement {
  const attrs = n.lang === undefined ? [] : [attribute('xml:lang', n.lang)];
  return el(ns, qname, attrs, n.text === '' ? [] : [n.text]);
}

export { XML_NS };

/** A namespace declaration attribute, for putting the usual prefixes on a root element. */
export function xmlns(prefix: string, uri: string) {
  return attribute(prefix === '' ? 'xmlns' : `xmlns:${prefix}`, uri);
}

/** Prefixed qualified name, or the bare local name for the default namespace. */
export function q(prefix: string, local: string): string {
  return prefix === '' ? local : `${prefix}:${local}`;
}
