// The XML namespaces the presence mapping writes beyond the payload codecs' own (RFC 3863/4479/
// 4480/4482/5196), and the one place that renders a mapped Pidf to text with every prefix
// declared on the root (so NOTIFY/PUBLISH bodies read like the RFC examples).
//
// GEOPRIV (simple.md §2.6): RFC 4119 <gp:geopriv> with <gp:location-info> holding GML shapes
// (RFC 5491: Point, Circle, Sphere) and an RFC 5139 civic address.
//
// The lab namespace `wvp` carries the IMPS values that no IETF element holds exactly (imps.md §12
// last table row: "Registration, PLMN, PreferredContacts, InfoLink: no standard equivalent —
// carry in an extension namespace"). PIDF allows such elements: every holder has a lax
// `##other` wildcard (pidf.xsd, data-model.xsd), and RFC 3863 §4.1.7 says receivers ignore what
// they don't understand; we never set mustUnderstand. docs/mapping.md documents the elements.
import { serializeXml } from '../../../common/xml/serialize.ts';
import { declareUsedPrefixes, type Pidf, pidfToXml } from '../../../domains/simple/payloads/pidf.ts';

export const GEO_NS = {
  geopriv: 'urn:ietf:params:xml:ns:pidf:geopriv10', // RFC 4119 §2.2.1
  gml: 'http://www.opengis.net/gml', // RFC 5491 §5 (GML 3.1.1 profile)
  geoShape: 'http://www.opengis.net/pidflo/1.0', // RFC 5491 §5.2 (Circle, Sphere)
  civic: 'urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr', // RFC 5139 §4
} as const;

/** The lab's own namespace (documented in docs/mapping.md, "Lab extension namespace"). */
export const WVP_NS = 'http://imps-simple.lab.invalid/ns/wv-presence';

export const EXTRA_PREFIXES: ReadonlyArray<[string, string]> = [
  ['gp', GEO_NS.geopriv],
  ['gml', GEO_NS.gml],
  ['gs', GEO_NS.geoShape],
  ['cl', GEO_NS.civic],
  ['wvp', WVP_NS],
];

/** EPSG coordinate reference systems of RFC 5491 §5.1: 2-D (4326) and 3-D (4979). */
export const CRS_2D = 'urn:ogc:def:crs:EPSG::4326';
export const CRS_3D = 'urn:ogc:def:crs:EPSG::4979';
/** RFC 5491 §5.2.3: radii are in metres. */
export const UOM_METRE = 'urn:ogc:def:uom:EPSG::9001';

/** Pidf → application/pidf+xml text, all prefixes (standard, GEOPRIV, lab) declared on the root. */
export function renderPidf(doc: Pidf, options: { indent?: string } = {}): string {
  return serializeXml(declareUsedPrefixes(pidfToXml(doc), EXTRA_PREFIXES), options);
}
