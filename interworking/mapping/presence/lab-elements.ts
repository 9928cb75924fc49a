// The lab extension elements (namespace WVP_NS, docs/mapping.md "Lab extension namespace"): the
// IMPS values without an exact IETF slot (imps.md §12: Registration, PLMN, PreferredContacts,
// InfoLink; also PreferredLanguage, the exact ClientInfo fields, AVAILABLE). Each writer has its
// reader beside it, so the pair is lossless between two IWFs; other receivers ignore them
// (RFC 3863 §4.1.7: unknown extensions are ignored; pidf.xsd / data-model.xsd wildcards are lax).
import { attr, children, el, text } from '../../../common/xml/query.ts';
import type { XmlElement } from '../../../common/xml/xml-node.ts';
import type { PresenceSubList } from '../../../domains/imps/csp/model/presence-attributes.ts';
import { WVP_NS } from './presence-namespaces.ts';

type Sub = PresenceSubList;
const w = (local: string, attrs: Record<string, string | number | undefined> = {}, kids: string[] = []) =>
  el(WVP_NS, `wvp:${local}`, attrs, kids);

export function isLab(e: XmlElement, local: string): boolean {
  return e.ns === WVP_NS && e.local === local;
}

/** <wvp:user-availability>: only AVAILABLE needs it — RPID has no "available" activity (RFC 4480 §3.2). */
export const writeUserAvailability = (value: string) => w('user-availability', {}, [value]);

/** Network-provided attributes (imps.md §4.2 Registration, PLMN; simple.md §8): the network asserts them. */
export function writeNetwork(registration: string | undefined, plmn: string | undefined): XmlElement {
  return el(WVP_NS, 'wvp:network', {}, [
    registration !== undefined && w('registration', {}, [registration]),
    plmn !== undefined && w('plmn', {}, [plmn]),
  ]);
}

export function readNetwork(e: XmlElement): { registration?: string; plmn?: string } {
  const out: { registration?: string; plmn?: string } = {};
  for (const c of children(e, WVP_NS)) {
    if (c.local === 'registration') out.registration = text(c).trim();
    else if (c.local === 'plmn') out.plmn = text(c);
  }
  return out;
}

export const writePreferredLanguage = (value: string) => w('preferred-language', {}, [value]);

type AddrPref = NonNullable<NonNullable<Sub['preferredContacts']>['addrPrefs']>[number];

export function writePreferredContacts(prefs: AddrPref[]): XmlElement {
  return el(
    WVP_NS,
    'wvp:preferred-contacts',
    {},
    prefs.map((p) =>
      w('addr-pref', {
        prefc: p.prefC,
        caddr: p.caddr,
        cstatus: p.cstatus,
        cname: p.cname,
        cpriority: p.cpriority,
      }),
    ),
  );
}

export function readPreferredContacts(e: XmlElement): AddrPref[] {
  return children(e, WVP_NS, 'addr-pref').map((c) => {
    const p: AddrPref = {};
    const set = (k: 'prefC' | 'caddr' | 'cstatus' | 'cname', a: string) => {
      const v = attr(c, a);
      if (v !== undefined) p[k] = v;
    };
    set('prefC', 'prefc');
    set('caddr', 'caddr');
    set('cstatus', 'cstatus');
    set('cname', 'cname');
    const prio = attr(c, 'cpriority');
    if (prio !== undefined && /^-?\d+$/.test(prio)) p.cpriority = Number(prio);
    return p;
  });
}

type InfLink = NonNullable<NonNullable<Sub['infoLink']>['infLinks']>[number];

export function writeInfoLinks(links: InfLink[]): XmlElement {
  return el(
    WVP_NS,
    'wvp:info-links',
    {},
    links.map((l) =>
      w('link', { href: l.link, 'content-type': l.contentType }, l.text === undefined ? [] : [l.text]),
    ),
  );
}

export function readInfoLinks(e: XmlElement): InfLink[] {
  return children(e, WVP_NS, 'link').map((c) => {
    const l: InfLink = {};
    const href = attr(c, 'href');
    const ct = attr(c, 'content-type');
    if (href !== undefined) l.link = href;
    if (c.children.length > 0) l.text = text(c);
    if (ct !== undefined) l.contentType = ct;
    return l;
  });
}

type ClientInfo = NonNullable<Sub['clientInfo']>;
const CLIENT_FIELDS: ReadonlyArray<[keyof ClientInfo, string]> = [
  ['clientType', 'client-type'],
  ['devManufacturer', 'manufacturer'],
  ['clientProducer', 'producer'],
  ['model', 'model'],
  ['clientVersion', 'version'],
  ['language', 'language'],
];

export function writeClientInfo(ci: ClientInfo): XmlElement {
  const attrs: Record<string, string | undefined> = {};
  for (const [k, a] of CLIENT_FIELDS) {
    const v = ci[k];
    if (typeof v === 'string') attrs[a] = v;
  }
  return w('client-info', attrs);
}

export function readClientInfo(e: XmlElement): ClientInfo {
  const out: ClientInfo = { qualifier: true };
  for (const [k, a] of CLIENT_FIELDS) {
    const v = attr(e, a);
    if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}
