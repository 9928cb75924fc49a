// Edge cases of the hand-written scanner, each beside its XML 1.0 / Namespaces clause. Every row is
// also run through the former saxes parser: the answer must be the one the lab gave before.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseXmlSaxes } from '../../../../bench/xml/saxes-parse.ts';
import { parseXml } from '../../../../common/xml/parse.ts';
import { attr, text } from '../../../../common/xml/query.ts';
import type { XmlElement } from '../../../../common/xml/xml-node.ts';

function root(input: string | Buffer | Uint8Array): XmlElement {
  const r = parseXml(input as Buffer);
  assert.ok(r.ok, r.ok ? '' : `${r.error.code}: ${r.error.message}`);
  const before = parseXmlSaxes(input as Buffer);
  assert.ok(before.ok, 'saxes accepted it too');
  assert.deepEqual(r.root, before.root);
  return r.root;
}

const accepted: Array<[string, string, (r: XmlElement) => void]> = [
  ['§2.11 CR LF and lone CR become LF in text', '<a>x\r\ny\rz</a>', (r) => assert.equal(text(r), 'x\ny\nz')],
  [
    '§3.3.3 literal TAB/LF/CR in attribute values become spaces',
    '<a v="x\r\ny\tz\nw"/>',
    (r) => assert.equal(attr(r, 'v'), 'x y z w'),
  ],
  [
    '§3.3.3 character references in attribute values are kept',
    '<a v="&#xD;&#xA;&#x9;&#65;"/>',
    (r) => assert.equal(attr(r, 'v'), '\r\n\tA'),
  ],
  [
    '§2.7 CDATA content is line-end normalized',
    '<a><![CDATA[x\r\ny]]></a>',
    (r) => assert.equal(text(r), 'x\ny'),
  ],
  ['§2.4 `]]` and `]>` alone are character data', '<a>]] ]> ]</a>', (r) => assert.equal(text(r), ']] ]> ]')],
  [
    'supplementary characters in text, attributes and names',
    '<x\u{1F600} v="\u{1F600}">\u{1F600}</x\u{1F600}>',
    (r) => {
      assert.equal(r.name, 'x\u{1F600}');
      assert.equal(attr(r, 'v'), '\u{1F600}');
    },
  ],
  [
    'text around comments and PIs is one text node',
    '<a>x<!--c-->y<?p q?>z<![CDATA[w]]></a>',
    (r) => assert.deepEqual(r.children, ['xyzw']),
  ],
  ['§3.1 Eq allows spaces; single quotes', "<a x = 'v' ></a >", (r) => assert.equal(attr(r, 'x'), 'v')],
  [
    '§2.8 a full XML declaration, single-quoted',
    "<?xml version='1.0' encoding='utf-8' standalone='yes' ?><a/>",
    (r) => assert.equal(r.name, 'a'),
  ],
  ['§2.8 a later 1.x version is read as 1.0', '<?xml version="1.1"?><a/>', (r) => assert.equal(r.name, 'a')],
  [
    'Namespaces §6.1: a prefix may be rebound in a child, the default undeclared',
    '<p:a xmlns:p="urn:1" xmlns="urn:d"><p:b xmlns:p="urn:2"><c xmlns=""/></p:b><p:d/></p:a>',
    (r) => {
      const b = r.children[0] as XmlElement;
      assert.equal(b.ns, 'urn:2');
      assert.equal((b.children[0] as XmlElement).ns, '');
      assert.equal((r.children[1] as XmlElement).ns, 'urn:1');
    },
  ],
  [
    'Namespaces §3: xml: needs no declaration, xmlns:xml may restate it',
    '<xml:a xmlns:xml="http://www.w3.org/XML/1998/namespace" xml:lang="en"/>',
    (r) => assert.equal(r.ns, 'http://www.w3.org/XML/1998/namespace'),
  ],
  [
    'comments and PIs before and after the root',
    '<!--a--><?p?>\n<a/>\n<!--b--><?q r?>\n',
    (r) => assert.equal(r.name, 'a'),
  ],
];

const refused: Array<[string, string, string]> = [
  ['§2.4 `]]>` in text', '<a>x]]>y</a>', 'XML_ERR_MALFORMED'],
  ['§2.2 a C0 control in text', '<a>\u0001</a>', 'XML_ERR_MALFORMED'],
  ['§2.2 NUL in an attribute value', '<a v="\u0000"/>', 'XML_ERR_MALFORMED'],
  ['§2.2 U+FFFE', '<a>\uFFFE</a>', 'XML_ERR_MALFORMED'],
  ['§2.2 a C0 control in a comment', '<a><!--\u0002--></a>', 'XML_ERR_MALFORMED'],
  ['§2.5 `--` inside a comment', '<a><!-- x -- y --></a>', 'XML_ERR_MALFORMED'],
  ['§2.5 a comment ending in `--->`', '<a><!-- x ---></a>', 'XML_ERR_MALFORMED'],
  ['§2.6 a PI named xml inside the document', '<a><?xml x?></a>', 'XML_ERR_MALFORMED'],
  ['§2.6 a PI named XML', '<?XML x?><a/>', 'XML_ERR_MALFORMED'],
  ['§2.8 XML declaration after white space', ' <?xml version="1.0"?><a/>', 'XML_ERR_MALFORMED'],
  ['§2.8 version 2.0', '<?xml version="2.0"?><a/>', 'XML_ERR_MALFORMED'],
  ['§2.8 encoding before version', '<?xml encoding="UTF-8" version="1.0"?><a/>', 'XML_ERR_MALFORMED'],
  ['§2.8 standalone maybe', '<?xml version="1.0" standalone="maybe"?><a/>', 'XML_ERR_MALFORMED'],
  ['§2.8 UTF-16 declared', '<?xml version="1.0" encoding="UTF-16"?><a/>', 'XML_ERR_ENCODING'],
  ['Namespaces §5 undeclaring a prefix', '<a xmlns:p=""/>', 'XML_ERR_NAMESPACE'],
  ['Namespaces §3 xml bound elsewhere', '<a xmlns:xml="urn:x"/>', 'XML_ERR_MALFORMED'],
  [
    'Namespaces §3 the XML namespace under another prefix',
    '<a xmlns:p="http://www.w3.org/XML/1998/namespace"/>',
    'XML_ERR_MALFORMED',
  ],
  [
    'Namespaces §3 the xmlns namespace as default',
    '<a xmlns="http://www.w3.org/2000/xmlns/"/>',
    'XML_ERR_MALFORMED',
  ],
  ['Namespaces §3 declaring xmlns', '<a xmlns:xmlns="urn:x"/>', 'XML_ERR_MALFORMED'],
  ['Namespaces §3 an element prefixed xmlns', '<xmlns:a/>', 'XML_ERR_NAMESPACE'],
  [
    'Namespaces §6.3 two attributes with one expanded name',
    '<a xmlns:p="urn:x" xmlns:q="urn:x" p:v="1" q:v="2"/>',
    'XML_ERR_MALFORMED',
  ],
  ['Namespaces §3 two colons in a name', '<a:b:c xmlns:a="urn:a"/>', 'XML_ERR_MALFORMED'],
  ['Namespaces §3 an empty prefix', '<a :b="1"/>', 'XML_ERR_MALFORMED'],
  ['§3.1 no space between attributes', '<a x="1"y="2"/>', 'XML_ERR_MALFORMED'],
  ['§3.1 `/` not followed by `>`', '<a / >', 'XML_ERR_MALFORMED'],
  ['§2.1 CDATA before the root', '<![CDATA[x]]><a/>', 'XML_ERR_MALFORMED'],
  ['§2.1 text after the root', '<a/>x', 'XML_ERR_MALFORMED'],
  ['§2.1 text before the root', 'x<a/>', 'XML_ERR_MALFORMED'],
  ['§2.1 an end tag with no start tag', '</a>', 'XML_ERR_MALFORMED'],
  ['§2.1 an end tag after the root', '<a/></a>', 'XML_ERR_MALFORMED'],
  ['a DOCTYPE after the root', '<a/><!DOCTYPE a>', 'XML_ERR_DTD'],
  ['§4.1 a reference past U+10FFFF', '<a>&#x110000;</a>', 'XML_ERR_ENTITY'],
  ['§4.1 a reference to a surrogate', '<a>&#xD800;</a>', 'XML_ERR_ENTITY'],
  ['§4.1 `&#X` is not a hex reference', '<a>&#X41;</a>', 'XML_ERR_ENTITY'],
  ['§4.1 an empty reference', '<a>&;</a>', 'XML_ERR_ENTITY'],
  ['no entity named after an Object property', '<a>&constructor;</a>', 'XML_ERR_ENTITY'],
  ['no entity named after an Object property, in an attribute', '<a v="&toString;"/>', 'XML_ERR_ENTITY'],
  ['§4.1 an unterminated reference', '<a>&lt</a>', 'XML_ERR_MALFORMED'],
  ['an unterminated comment', '<a><!-- x</a>', 'XML_ERR_MALFORMED'],
  ['an unterminated CDATA section', '<a><![CDATA[x</a>', 'XML_ERR_MALFORMED'],
  ['an unterminated PI', '<a><?p x</a>', 'XML_ERR_MALFORMED'],
  ['a lone `<` at the end', '<a/><', 'XML_ERR_MALFORMED'],
  ['`<!` that is none of comment, CDATA, DOCTYPE', '<a><!ELEMENT a ANY></a>', 'XML_ERR_MALFORMED'],
];

describe('xml-scanner — accepted edge cases (same tree as before)', () => {
  for (const [name, input, check] of accepted) {
    it(name, () => check(root(input)));
  }

  it('accepts a plain Uint8Array as a Buffer', () => {
    const bytes = new TextEncoder().encode('<a v="é">ü</a>');
    const r = root(bytes);
    assert.equal(text(r), 'ü');
  });

  it('a BOM is removed from strings and Buffers, once', () => {
    assert.equal(root('\uFEFF<a/>').name, 'a');
    assert.equal(parseXml('\uFEFF\uFEFF<a/>').ok, false);
  });
});

describe('xml-scanner — refused edge cases (same code as before)', () => {
  for (const [name, input, code] of refused) {
    it(`${name} → ${code}`, () => {
      const r = parseXml(input);
      assert.equal(r.ok ? 'ok' : r.error.code, code, r.ok ? '' : r.error.message);
      const before = parseXmlSaxes(input);
      assert.equal(before.ok ? 'ok' : before.error.code, code, 'the saxes parser gave the same answer');
    });
  }

  it('reports line and column of the fault', () => {
    const r = parseXml('<a>\n  <b>\n</a>');
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.error.message, /^3:\d+: /);
  });
});

describe('xml-scanner — stricter than the saxes parser, on purpose', () => {
  const stricter: Array<[string, string, string, string]> = [
    // saxes pairs a high surrogate with whatever follows; a string from a JS caller can hold one.
    ['§2.2 a lone surrogate in a string', '<a>\uD800x</a>', 'XML_ERR_MALFORMED', 'ok'],
    // §2.6 [16]: after the target comes white space or `?>`.
    ['§2.6 a PI target followed by `?` and more', '<?p? x?><a/>', 'XML_ERR_MALFORMED', 'ok'],
    // The DOCTYPE is refused where it starts; saxes first reads it and trips on its content.
    ['a DOCTYPE with a fault inside', '<!DOCTYPE a [\u0001]><a/>', 'XML_ERR_DTD', 'XML_ERR_MALFORMED'],
  ];
  for (const [name, input, ours, before] of stricter) {
    it(`${name} → ${ours} (saxes: ${before})`, () => {
      const r = parseXml(input);
      assert.equal(r.ok ? 'ok' : r.error.code, ours);
      const b = parseXmlSaxes(input);
      assert.equal(b.ok ? 'ok' : b.error.code, before);
    });
  }
});

describe('xml-scanner — namespace scopes and large start tags', () => {
  it('restores each shadowed binding when the element that shadowed it ends', () => {
    const r = root(
      '<p:a xmlns:p="urn:1"><p:b xmlns:p="urn:2"><p:c xmlns:p="urn:3"/><p:d/></p:b><p:e/><f xmlns="urn:4"/><g/></p:a>',
    );
    const [b, e, f, g] = r.children as XmlElement[];
    const [c, d] = b!.children as XmlElement[];
    assert.deepEqual(
      [r, b, c, d, e, f, g].map((x) => x!.ns),
      ['urn:1', 'urn:2', 'urn:3', 'urn:2', 'urn:1', 'urn:4', ''],
    );
  });

  it('checks duplicates among thousands of attributes when maxAttributes allows them', () => {
    const attrs = Array.from({ length: 5000 }, (_, k) => `a${k}="${k}"`).join(' ');
    const ok = parseXml(`<x ${attrs}/>`, { maxAttributes: 10_000 });
    assert.ok(ok.ok);
    assert.equal(ok.root.attributes.length, 5000);
    const dup = parseXml(`<x xmlns:p="urn:p" xmlns:q="urn:p" ${attrs} p:z="1" q:z="2"/>`, {
      maxAttributes: 10_000,
    });
    assert.equal(dup.ok ? 'ok' : dup.error.code, 'XML_ERR_MALFORMED');
    assert.equal(errorOf(`<x ${attrs} a4999="again"/>`, { maxAttributes: 10_000 }), 'XML_ERR_MALFORMED');
  });
});

function errorOf(input: string, limits: Parameters<typeof parseXml>[1]): string {
  const r = parseXml(input, limits);
  return r.ok ? 'ok' : r.error.code;
}

describe('xml-scanner — refusals are its own', () => {
  it('on 20000 mutated strings and Buffers every refusal is a located scanner error, never a caught exception', () => {
    let s = 7;
    const rnd = (n: number): number => {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      return (s >>> 0) % n;
    };
    const seed =
      '<?xml version="1.0" encoding="UTF-8"?><p:a xmlns:p="urn:p" xmlns="urn:d" x="1&amp;&#x41;">' +
      '<b p:y="2">t\r\n<![CDATA[c]]><!--c--><?pi x?>&lt;\u00e9\u{1F600}</b></p:a>';
    const alphabet = [...'<>/&;:="\'![]?#x \n\r\t\u0000abc-\uFFFE', '\uD800', '\uDC00'];
    let refused = 0;
    for (let k = 0; k < 20_000; k++) {
      const chars = [...seed];
      for (let e = 0, m = 1 + rnd(4); e < m; e++) chars[rnd(chars.length)] = alphabet[rnd(alphabet.length)]!;
      let doc = chars.join('');
      if (rnd(8) === 0) doc = doc.slice(0, rnd(doc.length));
      const r = rnd(2) === 0 ? parseXml(doc) : parseXml(Buffer.from(doc));
      if (r.ok || r.error.code === 'XML_ERR_ENCODING') continue;
      refused++;
      assert.match(
        r.error.message,
        /^\d+:\d+: /,
        `${JSON.stringify(doc)} → ${r.error.code} ${r.error.message}`,
      );
    }
    assert.ok(refused > 10_000, `most mutations are refused (${refused})`);
  });
});
