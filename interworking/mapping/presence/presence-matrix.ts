// The presence rows as sections of docs/mapping.md (rendered by ../render-matrix.ts): one table
// per direction, and the lab extension namespace the rows refer to.
import type { MatrixSection } from '../render-matrix.ts';
import { GEO_NS, WVP_NS } from './presence-namespaces.ts';
import { PRESENCE_ROWS, type PresenceRow } from './presence-rows.ts';

/** Markdown would take `<dm:note>` for HTML; show the angle brackets. */
export const md = (s: string) => s.replace(/</g, '&lt;');

function rowsOf(direction: PresenceRow['direction']): Array<Array<string>> {
  return PRESENCE_ROWS.filter((r) => r.direction === direction).map((r) => [
    r.id,
    r.attribute,
    md(r.imps),
    md(r.simple),
    r.fidelity,
    md(r.clause),
    md(r.note),
  ]);
}

const HEADERS = ['row', 'attribute', 'IMPS', 'SIMPLE', 'fidelity', 'clause', 'note'];

export const PRESENCE_SECTIONS: readonly MatrixSection[] = [
  {
    title: 'Presence attributes, IMPS → SIMPLE (PresenceSubList → PIDF)',
    intro: [
      '`interworking/mapping/presence/imps-to-pidf.ts`: a PresenceSubList (imps.md §4) becomes one PIDF',
      'document: a `<dm:person id="wv-person">` for the user, a `<tuple id="wv-online">` for the IMPS',
      'session, a `<tuple id="wv-cap-n">` per CommC and a `<dm:device id="wv-device">` for ClientInfo.',
      "`renderPidf` writes it; each row's example output is validated against the pidf/data-model/rpid/cipid/caps",
      'XSDs. Lossless rows round-trip exactly (seeded property test); lossy ones are stable after one round.',
    ].join('\n'),
    headers: HEADERS,
    rows: rowsOf('imps→simple'),
  },
  {
    title: 'Presence attributes, SIMPLE → IMPS (PIDF → PresenceSubList)',
    intro: [
      '`interworking/mapping/presence/pidf-to-imps.ts`: the inverse for documents the IWF wrote, and a',
      "best reading of any SIMPLE client's document (bare RFC 3856 tuples, RPID activities, tuple notes).",
      'The first `<dm:person>` speaks for the user; every present attribute comes back with Qualifier T.',
    ].join('\n'),
    headers: HEADERS,
    rows: rowsOf('simple→imps'),
  },
  {
    title: 'Lab extension namespace and GEOPRIV namespaces',
    intro: [
      `Values with no exact IETF element ride in the lab namespace \`${WVP_NS}\` (prefix \`wvp\`).`,
      'PIDF and the data model accept them through their lax `##other` wildcards, receivers ignore',
      'what they do not understand (RFC 3863 §4.1.7), and `mustUnderstand` is never set. Location uses',
      'the GEOPRIV namespaces below; no XSD for them is in the fixtures, so lax validation passes them.',
    ].join('\n'),
    headers: ['element', 'namespace', 'where', 'carries'],
    rows: [
      ['wvp:user-availability', 'wvp', 'dm:person', 'UserAvailability AVAILABLE (RPID has no "available")'],
      ['wvp:network / wvp:registration, wvp:plmn', 'wvp', 'dm:person', 'network-provided Registration, PLMN'],
      ['wvp:preferred-language', 'wvp', 'dm:person', 'PreferredLanguage'],
      [
        'wvp:preferred-contacts / wvp:addr-pref @prefc @caddr @cstatus @cname @cpriority',
        'wvp',
        'dm:person',
        'PreferredContacts',
      ],
      ['wvp:info-links / wvp:link @href @content-type', 'wvp', 'dm:person', 'InfoLink'],
      [
        'wvp:client-info @client-type @manufacturer @producer @model @version @language',
        'wvp',
        'dm:device',
        'ClientInfo fields',
      ],
      ['wvp:crossing', 'wvp', 'cl:civicAddress', 'Address Crossing1, Crossing2'],
      ['gp:geopriv', GEO_NS.geopriv, 'dm:person', 'RFC 4119 location object'],
      ['gml:Point, gml:pos', GEO_NS.gml, 'gp:location-info', 'GeoLocation (RFC 5491)'],
      ['gs:Circle, gs:Sphere, gs:radius', GEO_NS.geoShape, 'gp:location-info', 'GeoLocation with Accuracy'],
      ['cl:civicAddress', GEO_NS.civic, 'gp:location-info', 'Address (RFC 5139)'],
    ].map((r) => r.map(md)),
  },
];
