import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseXml } from '../../../../common/xml/parse.ts';
import { attr, child, text } from '../../../../common/xml/query.ts';
import { XML_NS, XMLNS_NS } from '../../../../common/xml/serialize.ts';
import type { XmlElement } from '../../../../common/xml/xml-node.ts';

function root(input: string | Buffer): XmlElement {
  const r = parseXml(input);
  assert.ok(r.ok, r.ok ? '' : `${r.error.code}: ${r.error.message}`);
  return r.root;
}

function errorCode(input: string | Buffer, limits?: Parameters<typeof parseXml>[1]): string {
  const r = parseXml(input, limits);
  assert.equal(r.ok, false, 'expected a parse error');
  return r.ok ? '' : r.error.code;
}

describe('parseXml — namespaces', () => {
  it('resolves default and prefixed namespaces on elements and attributes', () => {
    const r = root(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model"' +
        ' xmlns:x="urn:x" entity="pres:a@b"><dm:person id="p1" x:flag="1"/><note xml:lang="en">hi</note></presence>',
    );
    assert.equal(r.ns, 'urn:ietf:params:xml:ns:pidf');
    assert.equal(r.local, 'presence');
    const person = child(r, 'urn:ietf:params:xml:ns:pidf:data-model', 'person');
    assert.ok(person);
    assert.equal(person.name, 'dm:person');
    assert.equal(attr(person, 'id'), 'p1');
    assert.equal(attr(person, 'flag', 'urn:x'), '1');
    assert.equal(attr(person, 'flag'), undefined, 'a prefixed attribute is not matched by bare name');
    const note = child(r, 'urn:ietf:params:xml:ns:pidf', 'note');
    assert.ok(note);
    assert.equal(attr(note, 'lang', XML_NS), 'en');
    assert.equal(text(note), 'hi');
    const decls = r.attributes.filter((a) => a.ns === XMLNS_NS).map((a) => a.name);
    assert.deepEqual(decls, ['xmlns', 'xmlns:dm', 'xmlns:x'], 'xmlns attributes are kept in document order');
  });

  it('puts unprefixed elements with no default namespace in no namespace, and xmlns="" undeclares', () => {
    const r = root('<a><b xmlns="urn:b"><c xmlns=""/></b></a>');
    assert.equal(r.ns, '');
    const b = child(r, 'urn:b', 'b');
    assert.ok(b);
    assert.ok(child(b, '', 'c'));
  });

  it('refuses an unbound prefix', () => {
    assert.equal(errorCode('<p:a/>'), 'XML_ERR_NAMESPACE');
    assert.equal(errorCode('<a p:x="1"/>'), 'XML_ERR_NAMESPACE');
  });
});

describe('parseXml — content', () => {
  it('decodes predefined entities, character references and CDATA into text', () => {
    const r = root(
      '<a t="&lt;&amp;&#x41;&#66;&quot;">x &lt; y &gt; z &amp; &apos;&#233;<![CDATA[<raw&>]]></a>',
    );
    assert.equal(attr(r, 't'), '<&AB"');
    assert.equal(text(r), "x < y > z & 'é<raw&>");
    assert.equal(r.children.length, 1, 'adjacent text and CDATA merge into one text node');
  });

  it('accepts a UTF-8 Buffer with BOM and refuses invalid UTF-8', () => {
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('<a>ü</a>', 'utf8')]);
    assert.equal(text(root(bom)), 'ü');
    assert.equal(
      errorCode(Buffer.from([0x3c, 0x61, 0x3e, 0xff, 0x3c, 0x2f, 0x61, 0x3e])),
      'XML_ERR_ENCODING',
    );
  });

  it('refuses a declared non-UTF-8 encoding', () => {
    assert.equal(errorCode('<?xml version="1.0" encoding="ISO-8859-1"?><a/>'), 'XML_ERR_ENCODING');
  });

  it('keeps whitespace text nodes and skips comments and processing instructions', () => {
    const r = root('<a>\n  <!-- c --><?pi x?><b/>\n</a>');
    assert.deepEqual(
      r.children.map((c) => (typeof c === 'string' ? c : c.name)),
      ['\n  ', 'b', '\n'],
    );
  });
});

describe('parseXml — DTD and entities', () => {
  it('refuses an external entity (XXE) instead of reading the file', () => {
    const xxe = '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>';
    assert.equal(errorCode(xxe), 'XML_ERR_DTD');
  });

  it('refuses billion laughs without expanding it', () => {
    let dtd = '<!ENTITY lol "lol">';
    for (let i = 1; i <= 9; i++) {
      const prev = i === 1 ? 'lol' : `lol${i - 1}`;
      dtd += `<!ENTITY lol${i} "${`&${prev};`.repeat(10)}">`;
    }
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [${dtd}]><lolz>&lol9;</lolz>`;
    const before = process.memoryUsage().heapUsed;
    assert.equal(errorCode(bomb), 'XML_ERR_DTD');
    assert.ok(process.memoryUsage().heapUsed - before < 50 * 1024 * 1024);
  });

  it('refuses a bare DOCTYPE with no internal subset', () => {
    assert.equal(errorCode('<!DOCTYPE a SYSTEM "http://example.invalid/a.dtd"><a/>'), 'XML_ERR_DTD');
  });

  it('refuses an entity reference that is not one of the five predefined', () => {
    assert.equal(errorCode('<a>&nbsp;</a>'), 'XML_ERR_ENTITY');
    assert.equal(errorCode('<a b="&x;"/>'), 'XML_ERR_ENTITY');
    assert.equal(errorCode('<a>&#0;</a>'), 'XML_ERR_ENTITY');
  });
});

describe('parseXml — limits', () => {
  it('maxBytes counts UTF-8 bytes for strings and Buffers', () => {
    const doc = `<a>${'é'.repeat(10)}</a>`; // 27 bytes, 17 UTF-16 units
    assert.equal(errorCode(doc, { maxBytes: 26 }), 'XML_ERR_TOO_LARGE');
    assert.equal(errorCode(Buffer.from(doc), { maxBytes: 26 }), 'XML_ERR_TOO_LARGE');
    assert.ok(parseXml(doc, { maxBytes: 27 }).ok);
  });

  it('maxDepth', () => {
    const deep = (n: number) => '<a>'.repeat(n) + '</a>'.repeat(n);
    assert.ok(parseXml(deep(5), { maxDepth: 5 }).ok);
    assert.equal(errorCode(deep(6), { maxDepth: 5 }), 'XML_ERR_TOO_DEEP');
    assert.equal(errorCode(deep(10_000)), 'XML_ERR_TOO_DEEP');
  });

  it('maxNodes counts elements and text nodes', () => {
    assert.ok(parseXml('<a><b/>t<c/></a>', { maxNodes: 4 }).ok);
    assert.equal(errorCode('<a><b/>t<c/></a>', { maxNodes: 3 }), 'XML_ERR_TOO_MANY_NODES');
  });

  it('maxAttributes applies per element, namespace declarations included', () => {
    assert.ok(parseXml('<a x="1" xmlns="urn:a"><b y="1" z="2"/></a>', { maxAttributes: 2 }).ok);
    assert.equal(
      errorCode('<a x="1" y="2" xmlns="urn:a"/>', { maxAttributes: 2 }),
      'XML_ERR_TOO_MANY_ATTRIBUTES',
    );
  });
});

describe('parseXml — malformed input', () => {
  const cases: Array<[string, string]> = [
    ['empty', ''],
    ['text only', 'hello'],
    ['unclosed', '<a><b></a>'],
    ['mismatched', '<a></b>'],
    ['two roots', '<a/><b/>'],
    ['duplicate attribute', '<a x="1" x="2"/>'],
    ['unquoted attribute', '<a x=1/>'],
    ['truncated', '<a x="1'],
    ['lt in attribute', '<a x="<"/>'],
    ['late xml decl', '<a/><?xml version="1.0"?>'],
  ];
  for (const [name, input] of cases) {
    it(`refuses ${name}`, () => {
      assert.equal(errorCode(input), 'XML_ERR_MALFORMED');
    });
  }
});

describe('parseXml — fuzz', () => {
  it('never throws on random mutations of a valid document', () => {
    const seed = Buffer.from(
      '<?xml version="1.0" encoding="UTF-8"?><presence xmlns="urn:ietf:params:xml:ns:pidf" entity="pres:a@b">' +
        '<tuple id="t1"><status><basic>open</basic></status><note xml:lang="en">a &amp; b</note></tuple></presence>',
    );
    // Deterministic xorshift so a failure reproduces.
    let s = 0x2545f491;
    const rnd = (n: number) => {
      s ^= s << 13;
      s ^= s >>> 17;
      s ^= s << 5;
      return (s >>> 0) % n;
    };
    const alphabet = Buffer.from('<>/&;:="\'![]?#x \n\u0000abc');
    let ok = 0;
    for (let i = 0; i < 3000; i++) {
      const buf = Buffer.from(seed);
      const edits = 1 + rnd(4);
      for (let e = 0; e < edits; e++) {
        const at = rnd(buf.length);
        buf[at] = rnd(4) === 0 ? rnd(256) : alphabet[rnd(alphabet.length)]!;
      }
      const cut = rnd(8) === 0 ? buf.subarray(0, rnd(buf.length)) : buf;
      const r = parseXml(cut);
      assert.equal(typeof r.ok, 'boolean');
      if (r.ok) ok++;
      else assert.match(r.error.code, /^XML_ERR_/);
    }
    assert.ok(ok > 0 && ok < 3000, `some mutations stay valid, most do not (valid: ${ok})`);
  });
});
