import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type FilterSet,
  mergeFilterSets,
  parseFilterSet,
  serializeFilterSet,
} from '../../../../../domains/simple/payloads/simple-filter.ts';

// Shaped on RFC 4661 §4 examples.
const FS = `<?xml version="1.0" encoding="UTF-8"?>
<filter-set xmlns="urn:ietf:params:xml:ns:simple-filter" package="presence">
  <ns-bindings>
    <ns-binding prefix="pidf" urn="urn:ietf:params:xml:ns:pidf"/>
    <ns-binding prefix="rpid" urn="urn:ietf:params:xml:ns:pidf:rpid"/>
  </ns-bindings>
  <filter id="123" uri="sip:presentity@example.com">
    <what>
      <include type="xpath">/pidf:presence/pidf:tuple[rpid:class="work"]</include>
      <exclude>/pidf:presence/pidf:tuple/pidf:note</exclude>
    </what>
    <trigger><changed from="open" to="closed">/pidf:presence/pidf:tuple/pidf:status/pidf:basic</changed></trigger>
    <trigger><added>/pidf:presence/pidf:tuple</added></trigger>
  </filter>
  <filter id="567" domain="example.org" enabled="false">
    <what><include type="namespace">urn:ietf:params:xml:ns:pidf:rpid</include></what>
    <trigger><changed by="10">/pidf:presence/pidf:tuple/pidf:status/pidf:basic</changed><removed>/pidf:presence/pidf:tuple</removed></trigger>
  </filter>
  <filter id="gone" remove="true"/>
</filter-set>`;

function ok(input: string): FilterSet {
  const r = parseFilterSet(input);
  assert.ok(r.ok, r.ok ? '' : `${r.error.code}: ${r.error.message}`);
  return r.value;
}

describe('simple-filter codec', () => {
  it('reads bindings, filters, what and triggers', () => {
    const fs = ok(FS);
    assert.equal(fs.package, 'presence');
    assert.deepEqual(fs.nsBindings[1], { prefix: 'rpid', urn: 'urn:ietf:params:xml:ns:pidf:rpid' });
    const [f1, f2, f3] = fs.filters;
    assert.equal(f1?.uri, 'sip:presentity@example.com');
    assert.deepEqual(f1?.what?.includes, [
      { type: 'xpath', value: '/pidf:presence/pidf:tuple[rpid:class="work"]' },
    ]);
    assert.deepEqual(f1?.what?.excludes, [{ type: 'xpath', value: '/pidf:presence/pidf:tuple/pidf:note' }]);
    assert.deepEqual(f1?.triggers[0]?.changed, [
      { path: '/pidf:presence/pidf:tuple/pidf:status/pidf:basic', from: 'open', to: 'closed' },
    ]);
    assert.deepEqual(f1?.triggers[1]?.added, ['/pidf:presence/pidf:tuple']);
    assert.equal(f2?.domain, 'example.org');
    assert.equal(f2?.enabled, false);
    assert.equal(f2?.triggers[0]?.changed[0]?.by, 10);
    assert.equal(f3?.remove, true);
  });

  it('round-trips', () => {
    const fs = ok(FS);
    assert.deepEqual(ok(serializeFilterSet(fs)), fs);
  });

  it('refuses unsupported XPath and filter types with 415, structural faults with 400', () => {
    const unsupported = [
      FS.replace('/pidf:presence/pidf:tuple/pidf:note', 'count(/pidf:presence)'),
      FS.replace('type="xpath"', 'type="xquery"'),
      FS.replace('/pidf:presence/pidf:tuple</added>', '/nope:presence</added>'),
    ];
    for (const bad of unsupported) {
      const r = parseFilterSet(bad);
      assert.equal(r.ok ? 'ok' : `${r.error.code} ${r.error.sipStatus}`, 'PAYLOAD_ERR_UNSUPPORTED 415');
    }
    const invalid = [
      FS.replace(
        '<filter id="123" uri="sip:presentity@example.com">',
        '<filter uri="sip:presentity@example.com">',
      ),
      FS.replace('id="567"', 'id="123"'),
      FS.replace('domain="example.org"', 'domain="example.org" uri="sip:x@example.org"'),
      FS.replace('<filter id="gone" remove="true"/>', '<filter id="gone" remove="true"><what/></filter>'),
      FS.replace('by="10"', 'by="lots"'),
    ];
    for (const bad of invalid) {
      const r = parseFilterSet(bad);
      assert.equal(r.ok ? 'ok' : r.error.code, 'PAYLOAD_ERR_INVALID');
    }
  });

  it('a new filter-set updates filters by id (RFC 4661 §3.2)', () => {
    const fs = ok(FS);
    const update = ok(`<filter-set xmlns="urn:ietf:params:xml:ns:simple-filter">
      <filter id="123" remove="true"/><filter id="567" enabled="true"/><filter id="new"/></filter-set>`);
    const merged = mergeFilterSets(fs, update);
    assert.deepEqual(
      merged.filters.map((f) => [f.id, f.enabled]),
      [
        ['567', true],
        ['gone', undefined],
        ['new', undefined],
      ],
    );
    assert.equal(merged.package, 'presence');
    assert.equal(merged.nsBindings.length, 2);
  });
});
