// Lookup tables for the CSP WBXML codec, built once at module load from the generated token
// data: flat arrays indexed by (page, token) for decoding and Maps for encoding, one set per
// version because a few tokens are reused across versions (imps.md §9 "Pick the table by version").
import type { CspVersion } from '../csp-version.ts';
import { ATTR_START_TOKENS, EXT_VALUE_TOKENS, TAG_TOKENS } from './wbxml-token-data.ts';

export const VERSION_INDEX: Readonly<Record<CspVersion, number>> = { '1.1': 0, '1.2': 1, '1.3': 2 };
const VERSION_COUNT = 3;
export const PAGE_COUNT = 16;
const EXT_COUNT = 256;

export interface WbxmlTables {
  /** page * 64 + token -> element name (tokens 0x05..0x3F). */
  tagNames: ReadonlyArray<string | undefined>;
  /** element name -> (page << 8) | token */
  tagTokens: ReadonlyMap<string, number>;
  /** EXT_T_0 index -> value */
  extValues: ReadonlyArray<string | undefined>;
  /** value -> EXT_T_0 index, outside presence attributes */
  extTokens: ReadonlyMap<string, number>;
  /** value -> EXT_T_0 index inside presence attributes (code page 5): prefers the Presence group */
  extTokensPresence: ReadonlyMap<string, number>;
  /** Elements whose text is an integer sent as OPAQUE (imps.md §9 "Data typing"). */
  integerTags: ReadonlySet<string>;
  /**
   * 1 at length * 128 + first character for every value token (lengths 1-32, ASCII): most text
   * is no token, and this tells so without hashing it.
   */
  extTokenShapes: Uint8Array;
  /** EXT_T_0 of F, T, then F, T inside presence attributes (the hot value tokens: every boolean). */
  booleanTokens: ReadonlyArray<number | undefined>;
}

function inRange(vi: number, first: CspVersion, last: CspVersion): boolean {
  return vi >= VERSION_INDEX[first] && vi <= VERSION_INDEX[last];
}

// imps.md §9: libwbxml's 1.1/1.2 integer list.
const INTEGER_TAGS_12 = [
  'Code',
  'ContentSize',
  'MessageCount',
  'Validity',
  'KeepAliveTime',
  'TimeToLive',
  'SearchFindings',
  'SearchID',
  'SearchIndex',
  'SearchLimit',
  'AcceptedCharset',
  'AcceptedContentLength',
  'MultiTrans',
  'ParserSize',
  'ServerPollMin',
  'TCPPort',
  'UDPPort',
  'HistoryPeriod',
  'MaxWatcherList',
];

// imps.md §9: Android csp13inttags.gperf.
const INTEGER_TAGS_13 = [
  'AcceptedPullLength',
  'AcceptedPushLength',
  'AcceptedRichContentLength',
  'AcceptedTextContentLength',
  'AnswerOptionID',
  'ChosenOptionID',
  'Code',
  'ContentPolicyLimit',
  'ContentSize',
  'GroupContentLimit',
  'HistoryPeriod',
  'KeepAliveTime',
  'MaxWatcherList',
  'MessageCount',
  'MessageTotalCount',
  'MultiTrans',
  'MultiTransPerMessage',
  'PairID',
  'ParserSize',
  'PlainTextCharset',
  'SearchFindings',
  'SearchIndex',
  'SearchLimit',
  'SegmentCount',
  'SegmentReference',
  'ServerPollMin',
  'SessionPriority',
  'TCPPort',
  'TimeToLive',
  'TryAgainTimeout',
  'UDPPort',
  'UserSessionLimit',
  'Validity',
  'WatcherCount',
];

/** DateTime/DeliveryTime go as 6-byte OPAQUE (imps.md §9; Android isDatetimeElement). */
export const DATETIME_TAGS: ReadonlySet<string> = new Set(['DateTime', 'DeliveryTime']);

/** Free text that is never replaced by a value token, so any WBXML reader gets it verbatim. */
export const UNTOKENISED_TAGS: ReadonlySet<string> = new Set(['ContentData']);

function buildTables(vi: number): WbxmlTables {
  const tagNames: Array<string | undefined> = new Array(PAGE_COUNT * 64).fill(undefined);
  const tagTokens = new Map<string, number>();
  // Rows of this version first, then any other version's rows fill the gaps (lenient decoding of
  // mixed-version senders; a tag unknown to the version is still better than a LITERAL).
  for (const pass of [true, false]) {
    for (const [name, page, token, first, last] of TAG_TOKENS) {
      if (inRange(vi, first, last) !== pass) continue;
      const slot = page * 64 + token;
      if (tagNames[slot] === undefined) tagNames[slot] = name;
      if (!tagTokens.has(name)) tagTokens.set(name, (page << 8) | token);
    }
  }
  const extValues: Array<string | undefined> = new Array(EXT_COUNT).fill(undefined);
  const extTokens = new Map<string, number>();
  const extTokensPresence = new Map<string, number>();
  const own = new Set<number>();
  for (const [value, group, token, first, last] of EXT_VALUE_TOKENS) {
    if (!inRange(vi, first, last)) continue;
    own.add(token);
    // 0x3D is GROUP_ID (Access) and History (1.3): the first row (GROUP_ID) wins for decoding.
    if (extValues[token] === undefined) extValues[token] = value;
    if (!extTokens.has(value)) extTokens.set(value, token);
    if (group === 'Presence' || !extTokensPresence.has(value)) extTokensPresence.set(value, token);
  }
  // Tokens of other versions fill only slots this version leaves free: the Android encoder uses
  // its 1.3 table for 1.2 too (e.g. SSMS = 0xA4 in a 1.2 ClientCapability-Request vector).
  for (const [value, , token] of EXT_VALUE_TOKENS) {
    if (own.has(token)) continue;
    if (extValues[token] === undefined) extValues[token] = value;
    if (!extTokens.has(value)) extTokens.set(value, token);
    if (!extTokensPresence.has(value)) extTokensPresence.set(value, token);
  }
  const integerTags = new Set(vi === VERSION_INDEX['1.3'] ? INTEGER_TAGS_13 : INTEGER_TAGS_12);
  const extTokenShapes = new Uint8Array(33 * 128);
  for (const value of extTokens.keys()) {
    const c = value.charCodeAt(0);
    if (value.length > 32 || c >= 128) throw new Error(`value token ${value} outside the shape table`);
    extTokenShapes[value.length * 128 + c] = 1;
  }
  const booleanTokens = [
    extTokens.get('F'),
    extTokens.get('T'),
    extTokensPresence.get('F'),
    extTokensPresence.get('T'),
  ];
  return {
    tagNames,
    tagTokens,
    extValues,
    extTokens,
    extTokensPresence,
    integerTags,
    extTokenShapes,
    booleanTokens,
  };
}

export const TABLES: readonly WbxmlTables[] = Array.from({ length: VERSION_COUNT }, (_, vi) =>
  buildTables(vi),
);

export function tablesFor(version: CspVersion): WbxmlTables {
  return TABLES[VERSION_INDEX[version]]!;
}

/** Attribute-start token -> xmlns value prefix (attribute code page 0). */
export const ATTR_START_PREFIXES: ReadonlyArray<string | undefined> = (() => {
  const out: Array<string | undefined> = new Array(64).fill(undefined);
  for (const [prefix, token] of ATTR_START_TOKENS) out[token] = prefix;
  return out;
})();

/** xmlns prefixes in table order, for the encoder's prefix match (Android imps_encoder). */
export const XMLNS_PREFIXES: ReadonlyArray<readonly [string, number]> = ATTR_START_TOKENS.map(
  ([prefix, token]) => [prefix, token] as const,
);

export const PRESENCE_ATTRIBUTE_PAGE = 0x05;
