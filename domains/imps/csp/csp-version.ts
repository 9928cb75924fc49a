// CSP versions, their namespaces, WBXML public ids and content types (imps.md §1.2).
import type { CspVersionName } from './wbxml/wbxml-token-data.ts';

export type CspVersion = CspVersionName;
export type CspEncoding = 'xml' | 'wbxml';

export const CSP_VERSIONS: readonly CspVersion[] = ['1.1', '1.2', '1.3'];

export interface CspNamespaces {
  /** on WV-CSP-Message */
  csp: string;
  /** on TransactionContent */
  trc: string;
  /** on every PresenceSubList */
  pa: string;
}

// imps.md §1.2 table, row "CSP ns / TRC ns / PA ns".
export const CSP_NAMESPACES: Readonly<Record<CspVersion, CspNamespaces>> = {
  '1.1': {
    csp: 'http://www.wireless-village.org/CSP1.1',
    trc: 'http://www.wireless-village.org/TRC1.1',
    pa: 'http://www.wireless-village.org/PA1.1',
  },
  '1.2': {
    csp: 'http://www.openmobilealliance.org/DTD/WV-CSP1.2',
    trc: 'http://www.openmobilealliance.org/DTD/WV-TRC1.2',
    pa: 'http://www.openmobilealliance.org/DTD/WV-PA1.2',
  },
  '1.3': {
    csp: 'http://www.openmobilealliance.org/DTD/IMPS-CSP1.3',
    trc: 'http://www.openmobilealliance.org/DTD/IMPS-TRC1.3',
    pa: 'http://www.openmobilealliance.org/DTD/IMPS-PA1.3',
  },
};

// imps.md §1.2: WBXML public id 0x10 / 0x11 / 0x12 (some 1.2 encoders send 0x10: decode by xmlns).
export const WBXML_PUBLIC_IDS: Readonly<Record<CspVersion, number>> = {
  '1.1': 0x10,
  '1.2': 0x11,
  '1.3': 0x12,
};

export function versionFromPublicId(publicId: number): CspVersion | undefined {
  if (publicId === 0x10) return '1.1';
  if (publicId === 0x11) return '1.2';
  if (publicId === 0x12) return '1.3';
  return undefined;
}

export type NamespaceKind = 'csp' | 'trc' | 'pa';

export interface ParsedNamespace {
  kind: NamespaceKind;
  /** "major.minor" as written after the prefix, e.g. "1.2" or "1.4". */
  versionText: string;
  version: CspVersion | undefined;
}

const PREFIXES: ReadonlyArray<readonly [string, NamespaceKind]> = [
  ['http://www.wireless-village.org/CSP', 'csp'],
  ['http://www.wireless-village.org/TRC', 'trc'],
  ['http://www.wireless-village.org/PA', 'pa'],
  ['http://www.openmobilealliance.org/DTD/WV-CSP', 'csp'],
  ['http://www.openmobilealliance.org/DTD/WV-TRC', 'trc'],
  ['http://www.openmobilealliance.org/DTD/WV-PA', 'pa'],
  ['http://www.openmobilealliance.org/DTD/IMPS-CSP', 'csp'],
  ['http://www.openmobilealliance.org/DTD/IMPS-TRC', 'trc'],
  ['http://www.openmobilealliance.org/DTD/IMPS-PA', 'pa'],
];

/**
 * Splits a WV/OMA namespace into kind and version, the way baraza's csp_version() does: find the
 * prefix, parse the `major.minor` after it (imps.md §1.2 "Version detection on a server").
 */
export function parseCspNamespace(ns: string): ParsedNamespace | undefined {
  // A message names its three or four namespaces over and over, often as the same string
  // (decoder tables): compare with the last ones seen before hashing into the cache.
  for (let i = 0; i < RECENT; i++) if (recentNs[i] === ns) return recentParsed[i];
  // A peer uses three or four namespaces: cache them (bounded, the key is peer-controlled).
  let parsed = parsedCache.get(ns);
  if (parsed === undefined && !parsedCache.has(ns)) {
    parsed = parseUncached(ns);
    if (parsedCache.size < 256) parsedCache.set(ns, parsed);
  }
  recentNs[recentNext] = ns;
  recentParsed[recentNext] = parsed;
  recentNext = (recentNext + 1) % RECENT;
  return parsed;
}

const RECENT = 4;
const recentNs: Array<string | undefined> = [undefined, undefined, undefined, undefined];
const recentParsed: Array<ParsedNamespace | undefined> = [undefined, undefined, undefined, undefined];
let recentNext = 0;

const parsedCache = new Map<string, ParsedNamespace | undefined>();

function parseUncached(ns: string): ParsedNamespace | undefined {
  for (const [prefix, kind] of PREFIXES) {
    if (!ns.startsWith(prefix)) continue;
    const versionText = ns.slice(prefix.length);
    if (!/^\d+\.\d+$/.test(versionText)) return undefined;
    const version = (CSP_VERSIONS as readonly string[]).includes(versionText)
      ? (versionText as CspVersion)
      : undefined;
    return { kind, versionText, version };
  }
  return undefined;
}

// imps.md §1.2 rows "HTTP Content-Type": 1.3 uses the +xml/+wbxml suffix form.
export function contentTypeFor(version: CspVersion, encoding: CspEncoding): string {
  if (version === '1.3')
    return encoding === 'xml' ? 'application/vnd.wv.csp+xml' : 'application/vnd.wv.csp+wbxml';
  return encoding === 'xml' ? 'application/vnd.wv.csp.xml' : 'application/vnd.wv.csp.wbxml';
}

/**
 * Chooses the decoder from an HTTP Content-Type. imps.md §1.2: be lenient, dispatch on the
 * "wbxml" substring first, else XML (interVillage accepted application/xml and text/xml).
 */
export function encodingFromContentType(contentType: string | undefined): CspEncoding | undefined {
  if (contentType === undefined || contentType === '') return undefined;
  const lower = contentType.toLowerCase();
  if (lower.includes('wbxml')) return 'wbxml';
  if (lower.includes('xml')) return 'xml';
  return undefined;
}

export function versionAtLeast(version: CspVersion, min: CspVersion): boolean {
  return CSP_VERSIONS.indexOf(version) >= CSP_VERSIONS.indexOf(min);
}
