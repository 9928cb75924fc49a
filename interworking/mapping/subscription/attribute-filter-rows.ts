// Which parts of a PIDF document each IMPS presence attribute is read from (the inverse of the
// presence rows P1–P31 / D1–D31), as RFC 4661 XPath selections. An IMPS SubscribePresence or
// GetPresence that names some attributes (imps.md §3.1: PresenceSubList of empty elements)
// becomes a simple-filter <what> with these includes (simple.md §5.1, §9.2), and a SIMPLE
// watcher's filter is read back into the attribute names to ask PS1 for.
import { NS } from '../../../domains/simple/payloads/namespaces.ts';
import { GEO_NS, WVP_NS } from '../presence/presence-namespaces.ts';

/** Prefixes the paths below use, bound in the filter's <ns-bindings> (RFC 4661 §3.1). */
export const FILTER_BINDINGS: Record<string, string> = {
  pidf: NS.pidf,
  dm: NS.dm,
  rpid: NS.rpid,
  c: NS.cipid,
  gp: GEO_NS.geopriv,
  wvp: WVP_NS,
};

export interface AttributeFilterRow {
  id: string;
  /** IMPS attribute element name (imps.md §4.1). */
  attribute: string;
  /** XPath includes (RFC 4661 §3.3) selecting what the attribute is read from; they name it. */
  paths: string[];
  /** Further parts the reading needs, shared with other attributes (they do not name this one). */
  reads?: string[];
  fidelity: 'lossless' | 'lossy';
  note: string;
}

const P = '/pidf:presence';
const PERSON = `${P}/dm:person`;
const BASIC = `${P}/pidf:tuple/pidf:status/pidf:basic`;

export const ATTRIBUTE_FILTER_ROWS: readonly AttributeFilterRow[] = [
  {
    id: 'F1',
    attribute: 'OnlineStatus',
    paths: [BASIC],
    fidelity: 'lossless',
    note: 'rows D1/D2 read every <basic>',
  },
  {
    id: 'F2',
    attribute: 'Registration',
    paths: [`${PERSON}/wvp:network`],
    fidelity: 'lossy',
    note: 'shares <wvp:network> with PLMN: asking for one delivers both, the IWF drops the other',
  },
  { id: 'F3', attribute: 'ClientInfo', paths: [`${P}/dm:device`], fidelity: 'lossless', note: '' },
  { id: 'F4', attribute: 'TimeZone', paths: [`${PERSON}/rpid:time-offset`], fidelity: 'lossless', note: '' },
  {
    id: 'F5',
    attribute: 'GeoLocation',
    paths: [`${PERSON}/gp:geopriv`],
    fidelity: 'lossy',
    note: 'one <gp:geopriv> holds GeoLocation and Address; the IWF drops the one not asked for',
  },
  { id: 'F6', attribute: 'Address', paths: [`${PERSON}/gp:geopriv`], fidelity: 'lossy', note: 'as F5' },
  {
    id: 'F7',
    attribute: 'FreeTextLocation',
    paths: [`${PERSON}/rpid:place-type`],
    fidelity: 'lossless',
    note: '',
  },
  { id: 'F8', attribute: 'PLMN', paths: [`${PERSON}/wvp:network`], fidelity: 'lossy', note: 'as F2' },
  {
    id: 'F9',
    attribute: 'CommCap',
    paths: [`${P}/pidf:tuple`],
    fidelity: 'lossless',
    note: 'whole service tuples',
  },
  {
    id: 'F10',
    attribute: 'UserAvailability',
    paths: [`${PERSON}/rpid:activities`, `${PERSON}/wvp:user-availability`],
    reads: [BASIC],
    fidelity: 'lossy',
    note: "row D6 needs the services' <basic> to tell AVAILABLE; read back, that also asks for OnlineStatus",
  },
  {
    id: 'F11',
    attribute: 'PreferredContacts',
    paths: [`${PERSON}/wvp:preferred-contacts`],
    fidelity: 'lossless',
    note: '',
  },
  {
    id: 'F12',
    attribute: 'PreferredLanguage',
    paths: [`${PERSON}/wvp:preferred-language`],
    fidelity: 'lossless',
    note: '',
  },
  {
    id: 'F13',
    attribute: 'StatusText',
    paths: [`${PERSON}/dm:note`, `${P}/pidf:note`, `${P}/pidf:tuple/pidf:note`],
    fidelity: 'lossless',
    note: 'rows D7/D8',
  },
  { id: 'F14', attribute: 'StatusMood', paths: [`${PERSON}/rpid:mood`], fidelity: 'lossless', note: '' },
  { id: 'F15', attribute: 'Alias', paths: [`${PERSON}/c:display-name`], fidelity: 'lossless', note: '' },
  {
    id: 'F16',
    attribute: 'StatusContent',
    paths: [`${PERSON}/c:icon`, `${PERSON}/rpid:status-icon`],
    fidelity: 'lossless',
    note: '',
  },
  { id: 'F17', attribute: 'ContactInfo', paths: [`${PERSON}/c:card`], fidelity: 'lossless', note: '' },
  {
    id: 'F18',
    attribute: 'InfoLink',
    paths: [`${PERSON}/wvp:info-links`, `${PERSON}/c:homepage`],
    fidelity: 'lossless',
    note: '',
  },
];

/** Whole-request rows: what happens around the per-attribute selections. */
export const FILTER_REQUEST_ROWS = [
  {
    id: 'F0',
    direction: 'imps→simple',
    imps: 'no PresenceSubList, or all attributes',
    simple: 'no filter body (the whole document)',
    fidelity: 'lossless',
    note: 'imps.md §3.1: absent or empty list = all attributes; RFC 4661 §3.2: no filter = full state',
  },
  {
    id: 'F19',
    direction: 'simple→imps',
    imps: 'the attributes read from under the selected node',
    simple: 'an include above an attribute\'s part (e.g. /pidf:presence/dm:person) or type="namespace"',
    fidelity: 'lossy',
    note: 'a broader selection asks PS1 for every attribute it covers',
  },
  {
    id: 'F20',
    direction: 'simple→imps',
    imps: 'the attribute whose part contains it',
    simple: "an include below an attribute's part (e.g. …/rpid:activities/rpid:away)",
    fidelity: 'lossy',
    note: 'PS1 cannot select inside an attribute; the IWF applies the filter to the PIDF it renders',
  },
  {
    id: 'F21',
    direction: 'simple→imps',
    imps: '— ignored',
    simple: 'an include that selects nothing the IWF writes',
    fidelity: 'none',
    note: 'the watcher gets nothing for it, as from any notifier (RFC 4661 §3.3)',
  },
  {
    id: 'F22',
    direction: 'simple→imps',
    imps: 'attribute removed from the request',
    simple: "<exclude> covering an attribute's parts",
    fidelity: 'lossless',
    note: '',
  },
  {
    id: 'F23',
    direction: 'simple→imps',
    imps: '— (IMPS notifies on any change of a subscribed attribute)',
    simple: '<trigger> (changed/added/removed)',
    fidelity: 'lossy',
    note: 'the IWF is the notifier toward SIMPLE and evaluates triggers itself (apply-filter triggerFires)',
  },
] as const;
