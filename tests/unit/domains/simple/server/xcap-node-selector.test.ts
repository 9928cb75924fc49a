import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseXml } from '../../../../../common/xml/parse.ts';
import {
  locate,
  parseNodeSelector,
  parseXmlnsQuery,
} from '../../../../../domains/simple/server/xcap-node-selector.ts';

const RL = 'urn:ietf:params:xml:ns:resource-lists';
const DOC = `<resource-lists xmlns="${RL}">
<list name="friends"><entry uri="sip:a@x"/><entry uri="sip:b@x"/></list>
<list name="work"><entry uri="sip:c@x"/></list>
<list name="work"><entry uri="sip:d@x"/></list>
</resource-lists>`;

function tree() {
  const r = parseXml(DOC);
  assert.ok(r.ok);
  return r.root;
}

describe('XCAP node selectors (RFC 4825 §6.3)', () => {
  it('selects by name, position and attribute in the default namespace', () => {
    const sel = parseNodeSelector('resource-lists/list[@name="friends"]/entry[2]', RL, new Map());
    assert.ok(sel);
    const found = locate(tree(), sel);
    assert.ok(typeof found !== 'string');
    assert.equal(found.element.attributes.find((a) => a.local === 'uri')?.value, 'sip:b@x');
  });

  it('parses a final attribute selector and prefixed names from xmlns()', () => {
    const ns = parseXmlnsQuery('xmlns(rl=urn:ietf:params:xml:ns:resource-lists)');
    assert.ok(ns);
    const sel = parseNodeSelector('rl:resource-lists/rl:list[1]/@name', 'urn:other', ns);
    assert.ok(sel);
    assert.equal(sel.attribute, 'name');
    const found = locate(tree(), sel);
    assert.ok(typeof found !== 'string');
    assert.equal(found.element.attributes.find((a) => a.local === 'name')?.value, 'friends');
  });

  it('reports no-match and ambiguous selections', () => {
    const none = parseNodeSelector('resource-lists/list[@name="family"]', RL, new Map());
    assert.ok(none);
    assert.equal(locate(tree(), none), 'no-match');
    const two = parseNodeSelector('resource-lists/list[@name="work"]', RL, new Map());
    assert.ok(two);
    assert.equal(locate(tree(), two), 'ambiguous');
    const wrongNs = parseNodeSelector('resource-lists/list', 'urn:nope', new Map());
    assert.ok(wrongNs);
    assert.equal(locate(tree(), wrongNs), 'no-match');
  });

  it('refuses malformed selectors and queries', () => {
    assert.equal(parseNodeSelector('', RL, new Map()), undefined);
    assert.equal(parseNodeSelector('a//b', RL, new Map()), undefined);
    assert.equal(parseNodeSelector('a[@x="1"', RL, new Map()), undefined);
    assert.equal(parseNodeSelector('a/@x/b', RL, new Map()), undefined);
    assert.equal(parseNodeSelector('p:a', RL, new Map()), undefined);
    assert.equal(parseNodeSelector('a[last()]', RL, new Map()), undefined);
    assert.equal(parseXmlnsQuery('foo=bar'), undefined);
  });
});
