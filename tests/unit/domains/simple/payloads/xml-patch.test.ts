import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseXml } from '../../../../../common/xml/parse.ts';
import { serializeXml } from '../../../../../common/xml/serialize.ts';
import type { XmlElement } from '../../../../../common/xml/xml-node.ts';
import { applyPatch, type PatchOp, readPatchOp } from '../../../../../domains/simple/payloads/xml-patch.ts';

const DOC = '<doc xmlns="urn:d"><a id="1">one</a>\n  <b/>\n  <c x="y">text</c></doc>';

function tree(s: string): XmlElement {
  const r = parseXml(s);
  assert.ok(r.ok);
  return r.root;
}

/** Ops written as RFC 5261 elements in a patch document whose default namespace is urn:d. */
function ops(xml: string): PatchOp[] {
  const root = tree(`<diff xmlns="urn:d" xmlns:p="urn:p">${xml}</diff>`);
  return root.children.flatMap((c) =>
    typeof c === 'string' ? [] : [readPatchOp(c, { '': 'urn:d', p: 'urn:p' })],
  );
}

function run(xml: string): string {
  const r = applyPatch(tree(DOC), ops(xml));
  assert.ok(r.ok, r.ok ? '' : r.error.message);
  return serializeXml(r.value, { declaration: false });
}

describe('RFC 5261 patch operations', () => {
  it('add: append, prepend, before, after, attribute, namespace', () => {
    assert.match(run('<add sel="doc"><z/></add>'), /<c x="y">text<\/c><z\/><\/doc>$/);
    assert.match(run('<add sel="doc" pos="prepend"><z/></add>'), /^<doc xmlns="urn:d"><z\/><a/);
    assert.match(run('<add sel="doc/b" pos="before"><z/></add>'), /<z\/><b\/>/);
    assert.match(run('<add sel="doc/b" pos="after"><z/></add>'), /<b\/><z\/>/);
    assert.match(run('<add sel="doc/b" type="@role">main</add>'), /<b role="main"\/>/);
    assert.match(
      run('<add sel="doc/b" type="@p:flag">1</add>'),
      /<b p:flag="1" xmlns:p="urn:p"\/>|<b xmlns:p="urn:p" p:flag="1"\/>/,
    );
    assert.match(run('<add sel="doc/b" type="namespace::q">urn:q</add>'), /<b xmlns:q="urn:q"\/>/);
  });

  it('replace: element, attribute, text; remove: element with whitespace, attribute, text', () => {
    assert.match(run('<replace sel="doc/a[@id=\'1\']"><a id="2">two</a></replace>'), /<a id="2">two<\/a>/);
    assert.match(run('<replace sel="doc/c/@x">z</replace>'), /<c x="z">/);
    assert.match(run('<replace sel="doc/c/text()">new</replace>'), /<c x="y">new<\/c>/);
    assert.equal(
      run('<remove sel="doc/b" ws="before"/>'),
      '<doc xmlns="urn:d"><a id="1">one</a>\n  <c x="y">text</c></doc>',
    );
    assert.match(run('<remove sel="doc/c/@x"/>'), /<c>text<\/c>/);
    assert.match(run('<remove sel="doc/a/text()"/>'), /<a id="1"\/>/);
    assert.equal(run('<replace sel="doc"><new/></replace>'), '<new xmlns="urn:d"/>');
  });

  it('errors carry the RFC 5261 §5 tags and leave the input unchanged', () => {
    const input = tree(DOC);
    const before = serializeXml(input);
    const cases: Array<[string, RegExp]> = [
      ['<remove sel="doc/nothing"/>', /^unlocated-node/],
      ['<remove sel="doc"/>', /^invalid-root-element-operation/],
      ['<add sel="doc" pos="after"><z/></add>', /^invalid-root-element-operation/],
      ['<add sel="doc/a" type="@id">dup</add>', /^invalid-attribute-value/],
      ['<replace sel="doc/a"><x/><y/></replace>', /^invalid-node-types/],
      ['<remove sel="doc/c" ws="after"/>', /^invalid-whitespace-directive/],
      ['<remove sel="q:doc"/>', /^invalid-namespace-prefix/],
    ];
    for (const [xml, tag] of cases) {
      const r = applyPatch(input, ops(xml));
      assert.equal(r.ok, false, xml);
      if (!r.ok) assert.match(r.error.message, tag);
    }
    assert.equal(serializeXml(input), before);
    assert.throws(() => ops('<add sel="doc" pos="middle"/>'), /invalid-patch-directive/);
  });
});
