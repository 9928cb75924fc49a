import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseXml } from '../../../../common/xml/parse.ts';
import { attribute, el, leaf } from '../../../../common/xml/query.ts';
import { escapeAttribute, escapeText, serializeXml } from '../../../../common/xml/serialize.ts';
import type { XmlElement } from '../../../../common/xml/xml-node.ts';

function parse(s: string): XmlElement {
  const r = parseXml(s);
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  return r.root;
}

describe('serializeXml — round trip', () => {
  const docs = [
    '<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model" entity="pres:a@b">\n' +
      '  <tuple id="t1"><status><basic>open</basic></status></tuple>\n' +
      '  <dm:person id="p"><note xml:lang="fr">ça &amp; là &lt;x&gt;</note></dm:person>\n</presence>',
    '<a x="tab&#x9;nl&#xA;cr&#xD;q&quot;lt&lt;amp&amp;"><b/><c xmlns="urn:c"><d/></c></a>',
    '<r:rules xmlns:r="urn:ietf:params:xml:ns:common-policy"><r:rule id="a"/></r:rules>',
    '<a>line1&#xD;\nline2 (a CR survives only as a reference)</a>',
  ];
  for (const [i, doc] of docs.entries()) {
    it(`re-serializes document ${i} exactly as written`, () => {
      assert.equal(serializeXml(parse(doc), { declaration: false }), doc.replace('<b></b>', '<b/>'));
    });
    it(`parse(serialize(parse(doc ${i}))) is the same tree`, () => {
      const t = parse(doc);
      assert.deepEqual(parse(serializeXml(t)), t);
    });
  }

  it('writes the XML declaration by default', () => {
    assert.equal(serializeXml(el('', 'a')), '<?xml version="1.0" encoding="UTF-8"?><a/>');
  });
});

describe('serializeXml — built trees', () => {
  it('declares namespaces that built elements and attributes need, once', () => {
    const NS = 'urn:ietf:params:xml:ns:pidf';
    const DM = 'urn:ietf:params:xml:ns:pidf:data-model';
    const tree = el(NS, 'presence', { entity: 'pres:a@b' }, [
      el(DM, 'dm:person', { id: 'p1' }, [leaf(DM, 'dm:timestamp', '2026-01-01T00:00:00Z')]),
      el('urn:x', 'x:ext', [attribute('x:flag', '1', 'urn:x'), attribute('xml:lang', 'en')]),
      el('', 'plain'),
    ]);
    const xml = serializeXml(tree, { declaration: false });
    assert.equal(
      xml,
      '<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="pres:a@b">' +
        '<dm:person xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model" id="p1"><dm:timestamp>2026-01-01T00:00:00Z</dm:timestamp></dm:person>' +
        '<x:ext xmlns:x="urn:x" x:flag="1" xml:lang="en"/>' +
        '<plain xmlns=""/></presence>',
    );
    assert.deepEqual(parse(xml), parse(xml));
    const back = parse(xml);
    const ext = back.children[1];
    assert.ok(ext && typeof ext !== 'string');
    assert.equal(ext.ns, 'urn:x');
    assert.equal(ext.attributes.find((a) => a.local === 'flag')?.ns, 'urn:x');
  });

  it('pretty-prints element-only content and keeps mixed content intact', () => {
    const tree = el('', 'a', {}, [el('', 'b', {}, ['t ', el('', 'i', {}, ['x'])]), el('', 'c')]);
    assert.equal(
      serializeXml(tree, { declaration: false, indent: '  ' }),
      '<a>\n  <b>t <i>x</i></b>\n  <c/>\n</a>',
    );
  });

  it('escapes text and attribute values and drops characters XML cannot carry', () => {
    assert.equal(escapeText('a<b>&c\u0000\uFFFE'), 'a&lt;b&gt;&amp;c');
    assert.equal(escapeAttribute('"\'<&\t\n'), "&quot;'&lt;&amp;&#x9;&#xA;");
    const tricky = el('', 'a', { v: '"]]><x y="&amp;\n' }, [']]><!-- &lt; \u0001 ok']);
    const back = parse(serializeXml(tricky));
    assert.equal(back.attributes[0]?.value, '"]]><x y="&amp;\n');
    assert.deepEqual(back.children, [']]><!-- &lt;  ok']);
  });
});
