// Which RFC 5025 transformations let a watcher see each IMPS presence attribute, given where the
// presence rows put it (person, service tuples by class, device). An IMPS grant of an attribute
// set (CreateAttributeList, PresenceAuth-User's PresenceSubList) becomes the transformations of a
// pres-rules rule, and the transformations a SIMPLE user's rule grants read back as attributes.
// Pure and table-driven: PERMISSION_ROWS is the table; docs/mapping.md renders it.
import { PRESENCE_ATTRIBUTE_NAMES } from '../../../domains/imps/csp/model/presence-attributes.ts';
import { NS } from '../../../domains/simple/payloads/namespaces.ts';
import {
  type BooleanPermission,
  emptyProvideSet,
  emptyTransformations,
  type PresTransformations,
} from '../../../domains/simple/payloads/pres-rules.ts';
import { TUPLE_CLASSES } from '../presence/imps-to-pidf.ts';
import { GEO_NS, WVP_NS } from '../presence/presence-namespaces.ts';

export interface PermissionRow {
  id: string;
  attribute: string;
  /** RFC 5025 §3.3.1 provide-services by class, §3.3.3 provide-devices, §3.3.2 provide-persons. */
  component: { services: string } | 'devices' | 'person';
  /** RFC 5025 §3.3.4 boolean attribute permissions. */
  booleans: BooleanPermission[];
  /** RFC 5025 §3.3.7 provide-unknown-attribute (ns, name) for elements pres-rules does not name. */
  unknown: Array<[ns: string, name: string]>;
  fidelity: 'lossless' | 'lossy';
  clause: string;
  note: string;
}

const person = 'person' as const;

export const PERMISSION_ROWS: readonly PermissionRow[] = [
  {
    id: 'AZ1',
    attribute: 'OnlineStatus',
    component: { services: TUPLE_CLASSES.online },
    booleans: [],
    unknown: [],
    fidelity: 'lossless',
    clause: 'RFC 5025 §3.3.1 (<class>); presence row P1',
    note: '<basic> of a provided tuple is always kept',
  },
  {
    id: 'AZ2',
    attribute: 'Registration',
    component: person,
    booleans: [],
    unknown: [[WVP_NS, 'network']],
    fidelity: 'lossy',
    clause: 'RFC 5025 §3.3.7; row P30',
    note: 'one <wvp:network> holds Registration and PLMN: granting one grants both',
  },
  {
    id: 'AZ3',
    attribute: 'ClientInfo',
    component: 'devices',
    booleans: ['provide-class'],
    unknown: [],
    fidelity: 'lossless',
    clause: 'RFC 5025 §3.3.3 provide-devices; row P14',
    note: '',
  },
  {
    id: 'AZ4',
    attribute: 'TimeZone',
    component: person,
    booleans: ['provide-time-offset'],
    unknown: [],
    fidelity: 'lossless',
    clause: 'RFC 5025 §3.3.4',
    note: '',
  },
  {
    id: 'AZ5',
    attribute: 'GeoLocation',
    component: person,
    booleans: [],
    unknown: [[GEO_NS.geopriv, 'geopriv']],
    fidelity: 'lossy',
    clause: 'RFC 5025 §3.3.7 (pres-rules has no location permission, simple.md §2.6); row P17',
    note: 'one <gp:geopriv> holds GeoLocation and Address: granting one grants both',
  },
  {
    id: 'AZ6',
    attribute: 'Address',
    component: person,
    booleans: [],
    unknown: [[GEO_NS.geopriv, 'geopriv']],
    fidelity: 'lossy',
    clause: 'as AZ5; row P20',
    note: 'as AZ5',
  },
  {
    id: 'AZ7',
    attribute: 'FreeTextLocation',
    component: person,
    booleans: ['provide-place-type'],
    unknown: [],
    fidelity: 'lossless',
    clause: 'RFC 5025 §3.3.4; row P22',
    note: '',
  },
  {
    id: 'AZ8',
    attribute: 'PLMN',
    component: person,
    booleans: [],
    unknown: [[WVP_NS, 'network']],
    fidelity: 'lossy',
    clause: 'as AZ2; row P31',
    note: 'as AZ2',
  },
  {
    id: 'AZ9',
    attribute: 'CommCap',
    component: { services: TUPLE_CLASSES.commCap },
    booleans: [],
    unknown: [],
    fidelity: 'lossless',
    clause: 'RFC 5025 §3.3.1; row P10',
    note: '',
  },
  {
    id: 'AZ10',
    attribute: 'UserAvailability',
    component: person,
    booleans: ['provide-activities'],
    unknown: [[WVP_NS, 'user-availability']],
    fidelity: 'lossless',
    clause: 'RFC 5025 §3.3.4; rows P3–P5',
    note: '',
  },
  {
    id: 'AZ11',
    attribute: 'PreferredContacts',
    component: person,
    booleans: [],
    unknown: [[WVP_NS, 'preferred-contacts']],
    fidelity: 'lossless',
    clause: 'RFC 5025 §3.3.7; row P28',
    note: '',
  },
  {
    id: 'AZ12',
    attribute: 'PreferredLanguage',
    component: person,
    booleans: [],
    unknown: [[WVP_NS, 'preferred-language']],
    fidelity: 'lossless',
    clause: 'RFC 5025 §3.3.7; row P27',
    note: '',
  },
  {
    id: 'AZ13',
    attribute: 'StatusText',
    component: person,
    booleans: ['provide-note'],
    unknown: [],
    fidelity: 'lossless',
    clause: 'pres-rules.xsd provide-note; row P6',
    note: '',
  },
  {
    id: 'AZ14',
    attribute: 'StatusMood',
    component: person,
    booleans: ['provide-mood'],
    unknown: [],
    fidelity: 'lossless',
    clause: 'RFC 5025 §3.3.4; rows P7/P8',
    note: '',
  },
  {
    id: 'AZ15',
    attribute: 'Alias',
    component: person,
    booleans: [],
    unknown: [[NS.cipid, 'display-name']],
    fidelity: 'lossless',
    clause: 'RFC 5025 §3.3.7 (CIPID has no pres-rules permission); row P9',
    note: '',
  },
  {
    id: 'AZ16',
    attribute: 'StatusContent',
    component: person,
    booleans: [],
    unknown: [[NS.cipid, 'icon']],
    fidelity: 'lossless',
    clause: 'RFC 5025 §3.3.7; rows P23/P24',
    note: 'a SIMPLE rule with provide-status-icon reads back as StatusContent too',
  },
  {
    id: 'AZ17',
    attribute: 'ContactInfo',
    component: person,
    booleans: [],
    unknown: [[NS.cipid, 'card']],
    fidelity: 'lossless',
    clause: 'RFC 5025 §3.3.7; rows P25/P26',
    note: '',
  },
  {
    id: 'AZ18',
    attribute: 'InfoLink',
    component: person,
    booleans: [],
    unknown: [
      [WVP_NS, 'info-links'],
      [NS.cipid, 'homepage'],
    ],
    fidelity: 'lossless',
    clause: 'RFC 5025 §3.3.7; row P29',
    note: '',
  },
];

/** IMPS attribute names → the transformations of one rule (RFC 5025 §3.3). All of them → provide-all-attributes. */
export function attributesToTransformations(names: readonly string[]): {
  value: PresTransformations;
  rows: string[];
} {
  const t = emptyTransformations();
  if (PRESENCE_ATTRIBUTE_NAMES.every((n) => names.includes(n))) {
    t.provideServices = emptyProvideSet(true);
    t.providePersons = emptyProvideSet(true);
    t.provideDevices = emptyProvideSet(true);
    t.provideAllAttributes = true;
    return { value: t, rows: ['AZ0'] };
  }
  const rows: string[] = [];
  for (const row of PERMISSION_ROWS) {
    if (!names.includes(row.attribute)) continue;
    rows.push(row.id);
    if (row.component === 'devices') t.provideDevices = emptyProvideSet(true);
    else if (row.component === 'person') t.providePersons = emptyProvideSet(true);
    else {
      t.provideServices ??= emptyProvideSet();
      t.provideServices.classes.push(row.component.services);
    }
    for (const b of row.booleans) t.booleans[b] = true;
    for (const [ns, name] of row.unknown) {
      if (!t.unknownAttributes.some((u) => u.ns === ns && u.name === name)) {
        t.unknownAttributes.push({ ns, name, value: true });
      }
    }
  }
  return { value: t, rows };
}

/** What a rule's (or a combined decision's) transformations let a watcher see, as IMPS attribute names. */
export function transformationsToAttributes(t: PresTransformations): { value: string[]; rows: string[] } {
  const services = t.provideServices;
  const persons = t.providePersons;
  const personOk = persons !== undefined && (persons.all || persons.occurrenceIds.includes('wv-person'));
  if (t.provideAllAttributes && services?.all && persons?.all && t.provideDevices?.all) {
    return { value: [...PRESENCE_ATTRIBUTE_NAMES], rows: ['AZ0'] };
  }
  const granted = (row: PermissionRow): boolean => {
    // <class> is cosmetic on the device; the device itself carries ClientInfo (rows D15/D16).
    if (row.component === 'devices') return t.provideDevices !== undefined;
    if (row.component !== 'person')
      return services !== undefined && (services.all || services.classes.includes(row.component.services));
    if (!personOk) return false;
    if (t.provideAllAttributes) return true;
    const unknownOk = (ns: string, name: string) =>
      t.unknownAttributes.some((u) => u.ns === ns && u.name === name && u.value);
    if (row.attribute === 'StatusContent' && t.booleans['provide-status-icon']) return true;
    return (
      row.booleans.every((b) => t.booleans[b] === true) && row.unknown.every(([ns, n]) => unknownOk(ns, n))
    );
  };
  const rows = PERMISSION_ROWS.filter(granted);
  return {
    value: PRESENCE_ATTRIBUTE_NAMES.filter((n) => rows.some((r) => r.attribute === n)),
    rows: rows.map((r) => r.id),
  };
}
