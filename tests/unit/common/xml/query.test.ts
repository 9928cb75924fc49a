import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseXml } from '../../../../common/xml/parse.ts';
import {
  attr,
  child,
  children,
  clark,
  cloneElement,
  el,
  lang,
  text,
  trimmedText,
} from '../../../../common/xml/query.ts';
import { XML_NS } from '../../../../common/xml/serialize.ts';

const doc = parseXml(
  '<l xmlns="urn:l" xmlns:o="urn:o"><e uri="a" o:x="1"> one </e><o:e/><e uri="b" xml:lang="de">two<i/>!</e></l>',
);

describe('query helpers', () => {
  assert.ok(doc.ok);
  const root = doc.root;

  it('child and children match namespace and local name', () => {
    assert.equal(child(root, 'urn:l', 'e')?.attributes[0]?.value, 'a');
    assert.equal(child(root, 'urn:o', 'e')?.name, 'o:e');
    assert.equal(child(root, 'urn:l', 'missing'), undefined);
    assert.equal(children(root).length, 3);
    assert.equal(children(root, 'urn:l').length, 2);
    assert.equal(children(root, 'urn:l', 'e').length, 2);
    assert.equal(children(root, 'urn:o', 'e').length, 1);
  });

  it('text, trimmedText, attr, lang', () => {
    const [first, second] = children(root, 'urn:l', 'e');
    assert.ok(first && second);
    assert.equal(text(first), ' one ');
    assert.equal(trimmedText(first), 'one');
    assert.equal(text(second), 'two!');
    assert.equal(attr(first, 'uri'), 'a');
    assert.equal(attr(first, 'x', 'urn:o'), '1');
    assert.equal(attr(second, 'lang', XML_NS), 'de');
    assert.equal(lang(second), 'de');
    assert.equal(lang(first), undefined);
  });

  it('el builds names, skips undefined attributes and falsy children; clone is deep', () => {
    const e = el('urn:p', 'p:x', { a: 'v', b: undefined, n: 3 }, [
      't',
      undefined,
      false,
      null,
      el('urn:p', 'p:y'),
    ]);
    assert.equal(e.local, 'x');
    assert.deepEqual(
      e.attributes.map((a) => [a.name, a.value]),
      [
        ['a', 'v'],
        ['n', '3'],
      ],
    );
    assert.equal(e.children.length, 2);
    const c = cloneElement(e);
    assert.deepEqual(c, e);
    c.attributes[0]!.value = 'changed';
    assert.equal(e.attributes[0]?.value, 'v');
    assert.equal(clark(e), '{urn:p}x');
  });
});
