// GeoLocation and Address ⇄ GEOPRIV location (simple.md §2.6): RFC 4119 <gp:geopriv> whose
// <gp:location-info> holds an RFC 5491 shape (gml:Point; gs:Circle / gs:Sphere when the IMPS
// Accuracy gives an uncertainty radius) and an RFC 5139 <cl:civicAddress>.
// Pure: attribute values in, an XmlElement out, and back; row ids name what decided.
import { attr, children, el, text } from '../../../common/xml/query.ts';
import type { XmlElement } from '../../../common/xml/xml-node.ts';
import type { PresenceSubList } from '../../../domains/imps/csp/model/presence-attributes.ts';
import { CRS_2D, CRS_3D, GEO_NS, UOM_METRE, WVP_NS } from './presence-namespaces.ts';

type GeoLocation = NonNullable<PresenceSubList['geoLocation']>;
type Address = NonNullable<PresenceSubList['address']>;

const DECIMAL = /^[+-]?\d+(\.\d+)?$/;
const DMS = /^(\d{1,3})\s+(\d{1,2})\s+(\d{1,2}(?:\.\d+)?)\s*([NSEW])$/i;

/**
 * imps.md §4.2: coordinates are free text, decimal degrees or "35 24 15.652W" (degrees,
 * minutes, seconds, hemisphere). GML wants decimal degrees (RFC 5491 §5.1).
 */
export function toDecimalDegrees(value: string): { value: string; converted: boolean } | undefined {
  const v = value.trim();
  if (DECIMAL.test(v)) return { value: v, converted: false };
  const m = DMS.exec(v);
  if (!m) return undefined;
  const deg = Number(m[1]) + Number(m[2]) / 60 + Number(m[3]) / 3600;
  const signed = /[SW]/i.test(m[4]!) ? -deg : deg;
  return { value: String(Number(signed.toFixed(6))), converted: true };
}

function shape(geo: GeoLocation, rows: string[]): XmlElement | undefined {
  if (geo.latitude === undefined || geo.longitude === undefined) return undefined;
  const lat = toDecimalDegrees(geo.latitude);
  const lon = toDecimalDegrees(geo.longitude);
  if (!lat || !lon) return undefined;
  if (lat.converted || lon.converted) rows.push('P19');
  const alt =
    geo.altitude !== undefined && DECIMAL.test(geo.altitude.trim()) ? geo.altitude.trim() : undefined;
  const pos = el(GEO_NS.gml, 'gml:pos', {}, [[lat.value, lon.value, ...(alt ? [alt] : [])].join(' ')]);
  const srsName = alt ? CRS_3D : CRS_2D;
  const accuracy = geo.accuracy?.trim();
  if (accuracy !== undefined && DECIMAL.test(accuracy)) {
    rows.push('P18');
    // RFC 5491 §5.2.3 Circle (2-D) and §5.2.5 Sphere (3-D): centre plus radius in metres.
    return el(GEO_NS.geoShape, alt ? 'gs:Sphere' : 'gs:Circle', { srsName }, [
      pos,
      el(GEO_NS.geoShape, 'gs:radius', { uom: UOM_METRE }, [accuracy]),
    ]);
  }
  rows.push('P17');
  return el(GEO_NS.gml, 'gml:Point', { srsName }, [pos]);
}

// RFC 5139 §3.1 civic address types: A3 city, A5 neighbourhood (IMPS NamedArea), RD road, BLD building.
const CIVIC: ReadonlyArray<[keyof Address, string]> = [
  ['country', 'country'],
  ['city', 'A3'],
  ['namedArea', 'A5'],
  ['street', 'RD'],
  ['building', 'BLD'],
];

function civic(addr: Address, rows: string[]): XmlElement | undefined {
  const kids: XmlElement[] = [];
  for (const [key, local] of CIVIC) {
    const v = addr[key];
    if (typeof v === 'string') kids.push(el(GEO_NS.civic, `cl:${local}`, {}, [v]));
  }
  // No civic type names a crossing (RFC 5139 §3.1); the lab namespace keeps both.
  for (const c of [addr.crossing1, addr.crossing2]) {
    if (c !== undefined) kids.push(el(WVP_NS, 'wvp:crossing', {}, [c]));
  }
  if (addr.accuracy !== undefined) rows.push('P21');
  if (kids.length === 0) return undefined;
  rows.push('P20');
  return el(GEO_NS.civic, 'cl:civicAddress', {}, kids);
}

/** RFC 4119 §2.2: <geopriv> = <location-info> + <usage-rules> (here: no retransmission, §2.2.2). */
export function writeGeopriv(
  geo: GeoLocation | undefined,
  addr: Address | undefined,
  rows: string[],
): XmlElement | undefined {
  const info = [geo && shape(geo, rows), addr && civic(addr, rows)].filter((x) => x !== undefined);
  if (info.length === 0) return undefined;
  return el(GEO_NS.geopriv, 'gp:geopriv', {}, [
    el(GEO_NS.geopriv, 'gp:location-info', {}, info),
    el(GEO_NS.geopriv, 'gp:usage-rules', {}, [
      el(GEO_NS.geopriv, 'gp:retransmission-allowed', {}, ['false']),
    ]),
  ]);
}

function readShape(e: XmlElement, rows: string[]): GeoLocation | undefined {
  const isPoint = e.ns === GEO_NS.gml && e.local === 'Point';
  const isRound = e.ns === GEO_NS.geoShape && (e.local === 'Circle' || e.local === 'Sphere');
  if (!isPoint && !isRound) {
    rows.push('D19');
    return undefined;
  }
  const pos = children(e, GEO_NS.gml, 'pos')[0];
  const parts = pos ? text(pos).trim().split(/\s+/) : [];
  if (parts.length < 2 || !parts.every((p) => DECIMAL.test(p))) return undefined;
  const out: GeoLocation = { qualifier: true, longitude: parts[1]!, latitude: parts[0]! };
  if (parts[2] !== undefined) out.altitude = parts[2];
  const radius = isRound ? children(e, GEO_NS.geoShape, 'radius')[0] : undefined;
  if (radius) {
    const r = text(radius).trim();
    if (DECIMAL.test(r) && (attr(radius, 'uom') ?? UOM_METRE) === UOM_METRE) out.accuracy = r;
  }
  rows.push('D18');
  return out;
}

const FROM_CIVIC = new Map(CIVIC.map(([k, l]) => [l, k]));

function readCivic(e: XmlElement, rows: string[]): Address {
  const out: Address = { qualifier: true };
  const crossings: string[] = [];
  let dropped = false;
  let hno: string | undefined;
  for (const c of children(e)) {
    const v = text(c).trim();
    const key = c.ns === GEO_NS.civic ? FROM_CIVIC.get(c.local) : undefined;
    if (key !== undefined) (out as Record<string, unknown>)[key] = v;
    else if (c.ns === WVP_NS && c.local === 'crossing') crossings.push(text(c));
    else if (c.ns === GEO_NS.civic && c.local === 'A6' && out.street === undefined) {
      out.street = v; // RFC 4119's street element, before RFC 5139 moved streets to RD
      dropped = true;
    } else if (c.ns === GEO_NS.civic && c.local === 'HNO') {
      hno = v;
      dropped = true;
    } else dropped = true;
  }
  if (hno !== undefined && out.street !== undefined) out.street = `${out.street} ${hno}`;
  if (crossings[0] !== undefined) out.crossing1 = crossings[0];
  if (crossings[1] !== undefined) out.crossing2 = crossings[1];
  rows.push(dropped ? 'D21' : 'D20');
  return out;
}

/** <gp:geopriv> → GeoLocation and Address (the first shape and the first civic address). */
export function readGeopriv(e: XmlElement, rows: string[]): { geoLocation?: GeoLocation; address?: Address } {
  const out: { geoLocation?: GeoLocation; address?: Address } = {};
  for (const info of children(e, GEO_NS.geopriv, 'location-info')) {
    for (const c of children(info)) {
      if (c.ns === GEO_NS.civic && c.local === 'civicAddress') out.address ??= readCivic(c, rows);
      else if (!out.geoLocation) {
        const geo = readShape(c, rows);
        if (geo) out.geoLocation = geo;
      }
    }
  }
  return out;
}
