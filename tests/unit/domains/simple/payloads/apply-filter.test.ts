import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseXml } from '../../../../../common/xml/parse.ts';
import { serializeXml } from '../../../../../common/xml/serialize.ts';
import type { XmlElement } from '../../../../../common/xml/xml-node.ts';
import {
  applicableFilters,
  applyFilter,
  applyFilterToPidf,
  triggerFires,
} from '../../../../../domains/simple/payloads/apply-filter.ts';
import { parsePidf } from '../../../../../domains/simple/payloads/pidf.ts';
import { type FilterSet, parseFilterSet } from '../../../../../domains/simple/payloads/simple-filter.ts';
import { assertSchemaValid } from '../../../../support/xmllint.ts';

const PIDF = `<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model"
 xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" entity="pres:alice@example.com">
<tuple id="work"><status><basic>open</basic></status><rpid:class>work</rpid:class><contact>sip:alice@office</contact><note>at desk</note></tuple>
<tuple id="home"><status><basic>closed</basic></status><rpid:class>home</rpid:class><contact>sip:alice@home</contact></tuple>
<dm:person id="p"><rpid:activities><rpid:busy/></rpid:activities><dm:note>secret</dm:note></dm:person>
<dm:device id="d"><rpid:user-input>idle</rpid:user-input><dm:deviceID>urn:uuid:1</dm:deviceID><dm:note>phone</dm:note></dm:device>
</presence>`;

function tree(xml: string): XmlElement {
  const r = parseXml(xml);
  assert.ok(r.ok);
  return r.root;
}

function filters(body: string): FilterSet {
  const r = parseFilterSet(`<filter-set xmlns="urn:ietf:params:xml:ns:simple-filter">
  <ns-bindings><ns-binding prefix="pidf" urn="urn:ietf:params:xml:ns:pidf"/>
  <ns-binding prefix="rpid" urn="urn:ietf:params:xml:ns:pidf:rpid"/>
  <ns-binding prefix="dm" urn="urn:ietf:params:xml:ns:pidf:data-model"/></ns-bindings>${body}</filter-set>`);
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  return r.value;
}

const compact = (e: XmlElement) =>
  serializeXml(e, { declaration: false })
    .replace(/>\s+</g, '><')
    .replace(/ xmlns(:\w+)?="[^"]*"/g, '');

describe('applyFilter (RFC 4661 what)', () => {
  it('keeps an included tuple whole, minus excluded parts, and the root', () => {
    const fs = filters(`<filter id="f"><what>
      <include>/pidf:presence/pidf:tuple[rpid:class="work"]</include>
      <exclude>/pidf:presence/pidf:tuple/pidf:note</exclude></what></filter>`);
    const out = applyFilter(tree(PIDF), fs);
    assert.equal(
      compact(out),
      '<presence entity="pres:alice@example.com"><tuple id="work"><status><basic>open</basic></status>' +
        '<rpid:class>work</rpid:class><contact>sip:alice@office</contact></tuple></presence>',
    );
    assertSchemaValid(serializeXml(out), 'lab-presence.xsd');
  });

  it('keeps ancestors as bare tags plus what the schema requires (status, deviceID)', () => {
    const fs = filters(`<filter id="f"><what>
      <include>//pidf:contact</include><include>/pidf:presence/dm:device/rpid:user-input</include></what></filter>`);
    const out = applyFilter(tree(PIDF), fs);
    assert.equal(
      compact(out),
      '<presence entity="pres:alice@example.com">' +
        '<tuple id="work"><status/><contact>sip:alice@office</contact></tuple>' +
        '<tuple id="home"><status/><contact>sip:alice@home</contact></tuple>' +
        '<dm:device id="d"><rpid:user-input>idle</rpid:user-input><dm:deviceID>urn:uuid:1</dm:deviceID></dm:device>' +
        '</presence>',
    );
    assertSchemaValid(serializeXml(out), 'lab-presence.xsd');
  });

  it('namespace selection, exclude-only filters, union of filters, disabled and foreign filters', () => {
    const byNs = applyFilter(
      tree(PIDF),
      filters('<filter id="f"><what><include type="namespace">rpid</include></what></filter>'),
    );
    assert.match(
      compact(byNs),
      /<dm:person id="p"><rpid:activities><rpid:busy\/><\/rpid:activities><\/dm:person>/,
    );
    assert.doesNotMatch(compact(byNs), /secret|sip:alice/);

    const noNotes = applyFilter(
      tree(PIDF),
      filters('<filter id="f"><what><exclude>//dm:note</exclude></what></filter>'),
    );
    assert.doesNotMatch(compact(noNotes), /secret|phone/);
    assert.match(compact(noNotes), /at desk/);

    const union = applyFilter(
      tree(PIDF),
      filters(`<filter id="a"><what><include>/pidf:presence/pidf:tuple[@id='home']</include></what></filter>
        <filter id="b"><what><include>/pidf:presence/dm:person</include></what></filter>
        <filter id="c" enabled="false"><what><include>/pidf:presence/dm:device</include></what></filter>
        <filter id="d" uri="sip:someone-else@example.com"><what><include>//pidf:note</include></what></filter>`),
      { resource: 'sip:alice@example.com' },
    );
    assert.match(compact(union), /<tuple id="home">/);
    assert.match(compact(union), /secret/);
    assert.doesNotMatch(compact(union), /tuple id="work"|dm:device|at desk/);
  });

  it('no filter with <what> leaves the document untouched; scoping by uri/domain', () => {
    const doc = tree(PIDF);
    assert.equal(
      applyFilter(doc, filters('<filter id="t"><trigger><added>//pidf:tuple</added></trigger></filter>')),
      doc,
    );
    const fs = filters(
      '<filter id="u" uri="sip:a@x"/><filter id="d" domain="Example.com"/><filter id="any"/>',
    );
    assert.deepEqual(
      applicableFilters(fs, 'sip:alice@example.com').map((f) => f.id),
      ['d', 'any'],
    );
  });

  it('applyFilterToPidf returns a valid model', () => {
    const p = parsePidf(PIDF);
    assert.ok(p.ok);
    const r = applyFilterToPidf(
      p.value,
      filters('<filter id="f"><what><include>//pidf:basic</include></what></filter>'),
    );
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    assert.deepEqual(
      r.value.tuples.map((t) => [t.id, t.status.basic, t.contact]),
      [
        ['work', 'open', undefined],
        ['home', 'closed', undefined],
      ],
    );
    assert.equal(r.value.persons.length, 0);
  });
});

describe('triggerFires (RFC 4661 trigger)', () => {
  const closedWork = PIDF.replace('<basic>open</basic>', '<basic>closed</basic>');
  const withThird = PIDF.replace('</presence>', '<tuple id="x"><status/></tuple></presence>');
  const fs = filters(`<filter id="f">
    <trigger><changed from="open" to="closed">/pidf:presence/pidf:tuple/pidf:status/pidf:basic</changed></trigger>
    <trigger><added>/pidf:presence/pidf:tuple</added></trigger></filter>`);

  it('changed from/to, added; ORed triggers', () => {
    assert.equal(triggerFires(undefined, tree(PIDF), fs), true, 'the first document always goes out');
    assert.equal(triggerFires(tree(PIDF), tree(closedWork), fs), true);
    assert.equal(triggerFires(tree(closedWork), tree(PIDF), fs), false, 'closed → open is not asked for');
    assert.equal(triggerFires(tree(PIDF), tree(withThird), fs), true);
    assert.equal(triggerFires(tree(PIDF), tree(PIDF.replace('at desk', 'away')), fs), false);
  });

  it('removed, and the conditions of one trigger are ANDed; `by` thresholds', () => {
    const both = filters(`<filter id="f"><trigger><removed>/pidf:presence/pidf:tuple</removed>
      <changed>//dm:note</changed></trigger></filter>`);
    const noHome = PIDF.replace(/<tuple id="home">.*?<\/tuple>/, '');
    assert.equal(triggerFires(tree(PIDF), tree(noHome), both), false, 'removed alone is not enough');
    assert.equal(triggerFires(tree(PIDF), tree(noHome.replace('secret', 'public')), both), true);
    const num = (v: number) =>
      `<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="pres:a@b"><note>${v}</note></presence>`;
    const by = filters(
      '<filter id="f"><trigger><changed by="10">/pidf:presence/pidf:note</changed></trigger></filter>',
    );
    assert.equal(triggerFires(tree(num(50)), tree(num(55)), by), false);
    assert.equal(triggerFires(tree(num(50)), tree(num(60)), by), true);
  });
});
