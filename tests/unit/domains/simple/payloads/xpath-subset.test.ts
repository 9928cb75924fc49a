import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseXml } from '../../../../../common/xml/parse.ts';
import { compilePath, select, selectedValue } from '../../../../../domains/simple/payloads/xpath-subset.ts';

const doc =
  parseXml(`<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model" entity="pres:a@b">
<tuple id="t1"><status><basic>open</basic></status><note>one</note><note>two</note></tuple>
<tuple id="t2"><status><basic>closed</basic></status></tuple>
<dm:person id="p"><dm:note>hi</dm:note></dm:person></presence>`);
assert.ok(doc.ok);
const root = doc.root;
const bindings: Record<string, string> = {
  pidf: 'urn:ietf:params:xml:ns:pidf',
  dm: 'urn:ietf:params:xml:ns:pidf:data-model',
};
const resolve = (p: string) => bindings[p];

function values(expr: string, defaultNs = ''): string[] {
  const c = compilePath(expr, resolve, defaultNs);
  assert.ok(c.ok, c.ok ? '' : c.message);
  return select(root, c.path).map(selectedValue);
}

describe('xpath subset', () => {
  it('absolute and relative paths with prefixes', () => {
    assert.deepEqual(values('/pidf:presence/pidf:tuple/pidf:status/pidf:basic'), ['open', 'closed']);
    assert.deepEqual(values('pidf:presence/pidf:tuple/pidf:status/pidf:basic'), ['open', 'closed']);
    assert.deepEqual(values('/pidf:presence/dm:person/dm:note'), ['hi']);
  });
  it('unprefixed names use the default namespace given (RFC 5261 style) or none (XPath 1.0)', () => {
    assert.deepEqual(values('/presence/tuple/@id', 'urn:ietf:params:xml:ns:pidf'), ['t1', 't2']);
    assert.deepEqual(values('/presence/tuple/@id'), []);
  });
  it('predicates: attribute, position, child value, self value; wildcards; descendants; text()', () => {
    assert.deepEqual(values("/pidf:presence/pidf:tuple[@id='t2']/pidf:status/pidf:basic"), ['closed']);
    assert.deepEqual(values('/pidf:presence/pidf:tuple[2]/@id'), ['t2']);
    assert.deepEqual(values('/pidf:presence/pidf:tuple[pidf:status/pidf:basic="open"]/@id'), ['t1']);
    assert.deepEqual(values("//pidf:note[.='two']"), ['two']);
    assert.deepEqual(values('/*/pidf:tuple[1]/pidf:note[2]/text()'), ['two']);
    assert.deepEqual(values('/pidf:presence/dm:*/@id'), ['p']);
    assert.deepEqual(values('//pidf:basic'), ['open', 'closed']);
    assert.deepEqual(values('/pidf:presence/pidf:tuple[@id]/@id'), ['t1', 't2']);
  });
  it('refuses what it does not support', () => {
    for (const bad of [
      '',
      '/x:presence',
      '/pidf:presence/@id/pidf:x',
      'count(//x)',
      '/pidf:tuple[0]',
      "/a[@b='c",
    ]) {
      assert.equal(compilePath(bad, resolve).ok, false, bad);
    }
  });
});
