import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  PRESENCE_ATTRIBUTE_NAMES,
  type PresenceSubList,
  PresenceSubListSchema,
} from '../../../../../domains/imps/csp/model/presence-attributes.ts';
import { applyFilterToPidf } from '../../../../../domains/simple/payloads/apply-filter.ts';
import { parseFilterSet, serializeFilterSet } from '../../../../../domains/simple/payloads/simple-filter.ts';
import { impsToPidf } from '../../../../../interworking/mapping/presence/imps-to-pidf.ts';
import { pidfToImps } from '../../../../../interworking/mapping/presence/pidf-to-imps.ts';
import {
  attributesToFilter,
  attributesToSubList,
  filterToAttributes,
  requestedAttributes,
} from '../../../../../interworking/mapping/subscription/attribute-filter.ts';
import {
  ATTRIBUTE_FILTER_ROWS,
  FILTER_REQUEST_ROWS,
} from '../../../../../interworking/mapping/subscription/attribute-filter-rows.ts';

// One test per attribute row: the filter for that attribute parses with the payloads' codec,
// reads back to (at least) that attribute, and applied to a full presence document keeps exactly
// the PIDF parts the attribute is mapped from.

const T = true;
const FULL: PresenceSubList = {
  onlineStatus: { qualifier: T, presenceValue: 'T' },
  registration: { qualifier: T, presenceValue: 'T' },
  clientInfo: { qualifier: T, clientType: 'MOBILE_PHONE', model: 'N95' },
  timeZone: { qualifier: T, zone: '+02' },
  geoLocation: { qualifier: T, latitude: '60.17', longitude: '24.94' },
  address: { qualifier: T, country: 'FI', city: 'Helsinki' },
  freeTextLocation: { qualifier: T, presenceValue: 'Office' },
  plmn: { qualifier: T, presenceValue: 'Elisa' },
  commCap: { qualifier: T, commC: [{ cap: 'IM', status: 'OPEN', contact: 'wv:harry@domain1.lab' }] },
  userAvailability: { qualifier: T, presenceValue: 'AVAILABLE' },
  preferredContacts: {
    qualifier: T,
    addrPrefs: [{ prefC: 'IM', caddr: 'wv:harry@domain1.lab', cstatus: 'OPEN' }],
  },
  preferredLanguage: { qualifier: T, presenceValue: 'fin' },
  statusText: { qualifier: T, presenceValue: 'Working' },
  statusMood: { qualifier: T, presenceValue: 'HAPPY' },
  alias: { qualifier: T, presenceValue: 'Harry' },
  statusContent: { qualifier: T, referredContent: 'http://p/h.png' },
  contactInfo: { qualifier: T, referredvCard: 'http://c/h.vcf' },
  infoLink: { qualifier: T, infLinks: [{ link: 'http://b/' }] },
};
const KEY_OF = new Map(Object.entries(PresenceSubListSchema).map(([k, f]) => [f.el, k]));

describe('attribute subset → simple-filter rows', () => {
  for (const row of ATTRIBUTE_FILTER_ROWS) {
    it(`${row.id}: ${row.attribute} ⇄ ${row.paths.join(' | ')}`, () => {
      const built = attributesToFilter([row.attribute]);
      assert.deepEqual(built.rows, [row.id]);
      assert.ok(built.value);
      const xml = serializeFilterSet(built.value);
      const parsed = parseFilterSet(xml);
      assert.ok(parsed.ok, parsed.ok ? '' : parsed.error.message);
      const back = filterToAttributes(parsed.value);
      assert.ok(back.value.includes(row.attribute), `got ${back.value.join(',')}`);
      assert.ok(back.rows.includes(row.id));
      if (row.fidelity === 'lossless') assert.deepEqual(back.value, [row.attribute]);

      const doc = impsToPidf(FULL, 'pres:harry@domain1.lab');
      assert.ok(doc.ok);
      const filtered = applyFilterToPidf(doc.value, parsed.value);
      assert.ok(filtered.ok, filtered.ok ? '' : filtered.error.message);
      const seen = pidfToImps(filtered.value).value as Record<string, unknown>;
      const key = KEY_OF.get(row.attribute)!;
      assert.deepEqual(
        seen[key],
        (FULL as Record<string, unknown>)[key],
        `${row.attribute} lost by the filter`,
      );
      // Nothing the filter did not ask for leaks in beyond the attributes sharing its parts.
      const all = (r: typeof row) => [...r.paths, ...(r.reads ?? [])];
      const sharing = new Set(
        ATTRIBUTE_FILTER_ROWS.filter((r) =>
          all(r).some((p) => all(row).some((q) => p.startsWith(q) || q.startsWith(p))),
        ).map((r) => KEY_OF.get(r.attribute)),
      );
      for (const k of Object.keys(seen))
        assert.ok(sharing.has(k), `${k} leaked through the ${row.attribute} filter`);
    });
  }
});

describe('filter request rows', () => {
  const rowIds = new Set(FILTER_REQUEST_ROWS.map((r) => r.id));
  const fs = (what: string, excludes: string[] = [], extra = '') =>
    parseFilterSet(
      `<filter-set xmlns="urn:ietf:params:xml:ns:simple-filter" package="presence"><ns-bindings>` +
        `<ns-binding prefix="p" urn="urn:ietf:params:xml:ns:pidf"/><ns-binding prefix="d" urn="urn:ietf:params:xml:ns:pidf:data-model"/>` +
        `<ns-binding prefix="r" urn="urn:ietf:params:xml:ns:pidf:rpid"/></ns-bindings><filter id="f1"><what>${what}` +
        `${excludes.map((e) => `<exclude>${e}</exclude>`).join('')}</what>${extra}</filter></filter-set>`,
    );

  it('F0: no attributes or all of them → no filter; a filter without <what> → all attributes', () => {
    assert.deepEqual(attributesToFilter([]), { value: undefined, rows: ['F0'] });
    assert.deepEqual(attributesToFilter(PRESENCE_ATTRIBUTE_NAMES).rows, ['F0']);
    const none = parseFilterSet(
      '<filter-set xmlns="urn:ietf:params:xml:ns:simple-filter"><filter id="a"><trigger><added>/presence/tuple</added></trigger></filter></filter-set>',
    );
    assert.ok(none.ok);
    const r = filterToAttributes(none.value);
    assert.deepEqual(r.value, [...PRESENCE_ATTRIBUTE_NAMES]);
    assert.ok(r.rows.includes('F0') && r.rows.includes('F23') && rowIds.has('F23'));
  });

  it('F19: a broader include (the whole person, or a namespace) asks for every attribute under it', () => {
    const f = fs('<include>/p:presence/d:person</include>');
    assert.ok(f.ok);
    const r = filterToAttributes(f.value);
    assert.ok(r.rows.includes('F19'));
    assert.ok(r.value.includes('StatusMood') && r.value.includes('Alias') && !r.value.includes('ClientInfo'));
    const ns = fs('<include type="namespace">urn:ietf:params:xml:ns:pidf:rpid</include>');
    assert.ok(ns.ok);
    assert.deepEqual(filterToAttributes(ns.value).value, [
      'TimeZone',
      'FreeTextLocation',
      'UserAvailability',
      'StatusMood',
      'StatusContent',
    ]);
  });

  it('F20: an include inside an attribute asks for that attribute; F21: an unknown one for nothing', () => {
    const f = fs(
      '<include>/p:presence/d:person/r:activities/r:away</include><include>/p:presence/d:person/r:sphere</include>',
    );
    assert.ok(f.ok);
    const r = filterToAttributes(f.value);
    assert.deepEqual(r.value, ['UserAvailability']);
    assert.ok(r.rows.includes('F20') && r.rows.includes('F21'));
  });

  it('F22: an exclude removes the attributes it covers', () => {
    const f = fs('<include>/p:presence/d:person</include>', ['/p:presence/d:person/r:mood']);
    assert.ok(f.ok);
    const r = filterToAttributes(f.value);
    assert.ok(!r.value.includes('StatusMood') && r.value.includes('Alias'));
    assert.ok(r.rows.includes('F22'));
  });

  it('request PresenceSubList ⇄ attribute names', () => {
    const names = ['OnlineStatus', 'StatusText', 'InfoLink'];
    assert.deepEqual(requestedAttributes(attributesToSubList(names)), names);
    assert.deepEqual(requestedAttributes(undefined), []);
  });
});
