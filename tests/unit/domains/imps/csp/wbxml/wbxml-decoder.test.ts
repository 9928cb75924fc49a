// WBXML decoding: every vector against its XML twin, the malformed vectors, limits, and a seeded
// fuzz over truncated and bit-flipped samples (errors must come back as values, never throws).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseXml } from '../../../../../../common/xml/parse.ts';
import { decodeCsp, encodeCsp } from '../../../../../../domains/imps/csp/csp-codec.ts';
import { decodeWbxml } from '../../../../../../domains/imps/csp/wbxml/wbxml-decoder.ts';
import { diffXmlTrees } from '../../../../../../domains/imps/csp/xml-tree-diff.ts';
import { wbxmlVectors, xmlSamples } from '../samples.ts';

const vectors = wbxmlVectors();

describe('WBXML vectors decode to their XML twin', () => {
  for (const v of vectors) {
    if (v.xml === undefined) continue;
    const parsed = parseXml(v.xml);
    if (!parsed.ok) continue;
    test(v.name, () => {
      const doc = decodeWbxml(v.bytes);
      assert.ok(doc.ok, doc.ok ? '' : doc.error.message);
      assert.equal(diffXmlTrees(parsed.root, doc.document.root), undefined);
    });
  }
  test('twins that are not XML: &#1114111 / &#1114112 lack the ";" (WBXML side decides)', () => {
    for (const name of ['encoder__big_entity', 'parser__big_entity']) {
      const v = vectors.find((x) => x.name === name)!;
      assert.equal(parseXml(v.xml!).ok, false);
      const doc = decodeWbxml(v.bytes);
      assert.ok(doc.ok);
      assert.match(JSON.stringify(doc.document.root), /\u{10FFFF}/u);
    }
  });
  test('version comes from the root xmlns over the public id (1.2 message under 0x10)', () => {
    const doc = decodeWbxml(vectors.find((x) => x.name === 'parser__sendmsgreq1')!.bytes);
    assert.ok(doc.ok);
    assert.equal(doc.document.publicId, 0x10);
    assert.equal(doc.document.version, '1.2');
  });
  test('string table: LITERAL tags and attributes, STR_T values', () => {
    const doc = decodeWbxml(vectors.find((x) => x.name === 'parser__literal')!.bytes);
    assert.ok(doc.ok);
    const names = JSON.stringify(doc.document.root);
    for (const n of ['sometag', 'someMoreTag', 'metag', 'movie', 'transformer'])
      assert.ok(names.includes(n), n);
  });
});

describe('malformed WBXML is refused with a reason', () => {
  const cases: Array<[string, string]> = [
    ['encoder__invalid_entity', 'ENTITY U+110000'],
    ['parser__invalid_entity', 'ENTITY U+110000'],
    ['parser__incomplete_str_i', 'STR_I without terminator'],
  ];
  for (const [name, reason] of cases) {
    test(name, () => {
      const doc = decodeWbxml(vectors.find((x) => x.name === name)!.bytes);
      assert.equal(doc.ok, false);
      assert.ok(!doc.ok && doc.error.message.includes(reason), !doc.ok ? doc.error.message : '');
      const csp = decodeCsp(vectors.find((x) => x.name === name)!.bytes, 'application/vnd.wv.csp.wbxml');
      assert.ok(!csp.ok && csp.status.code === 400);
    });
  }
  const bad: Array<[string, string, string]> = [
    ['empty', '', 'WBXML_ERR_MALFORMED'],
    ['WBXML version 4', '04106a00', 'WBXML_ERR_UNSUPPORTED'],
    ['UTF-16 charset', '0310816f0049', 'WBXML_ERR_UNSUPPORTED'],
    ['string table past the end', '03106a0a00', 'WBXML_ERR_MALFORMED'],
    ['no root', '03106a00', 'WBXML_ERR_MALFORMED'],
    ['unknown tag token', '03106a00000b7f01', 'WBXML_ERR_UNSUPPORTED'],
    ['unknown code page', '03106a00001f0501', 'WBXML_ERR_UNSUPPORTED'],
    ['unclosed root', '03106a00496d', 'WBXML_ERR_MALFORMED'],
    ['bytes after the root', '03106a00090505', 'WBXML_ERR_MALFORMED'],
    ['STR_T out of range', '03106a00496d8305010101', 'WBXML_ERR_MALFORMED'],
    ['mb_u_int32 too long', '0310ffffffffff7f', 'WBXML_ERR_MALFORMED'],
    ['EXT_I_0 has no CSP meaning', '03106a0049400001', 'WBXML_ERR_UNSUPPORTED'],
    ['unknown EXT_T_0 value', '03106a00498081ff7f01', 'WBXML_ERR_UNSUPPORTED'],
    ['control character in STR_I', '03106a0049030100010101', 'WBXML_ERR_MALFORMED'],
    ['bad date-time OPAQUE', '03106a00496d51c306ffffffffffff0101', 'WBXML_ERR_MALFORMED'],
    ['END before the root', '03106a0001', 'WBXML_ERR_MALFORMED'],
  ];
  for (const [label, hex, code] of bad) {
    test(label, () => {
      const doc = decodeWbxml(Buffer.from(hex, 'hex'));
      assert.equal(doc.ok, false);
      assert.equal(!doc.ok && doc.error.code, code);
    });
  }
  test('depth and size limits', () => {
    const deep = Buffer.concat([
      Buffer.from('03106a00', 'hex'),
      Buffer.alloc(100, 0x6d),
      Buffer.alloc(100, 0x01),
    ]);
    const d = decodeWbxml(deep, { maxDepth: 64 });
    assert.ok(!d.ok && d.error.code === 'WBXML_ERR_TOO_DEEP');
    const s = decodeWbxml(Buffer.alloc(2000, 0x03), { maxBytes: 1000 });
    assert.ok(!s.ok && s.error.code === 'WBXML_ERR_TOO_LARGE');
  });
});

// mulberry32: a small seeded PRNG so the fuzz corpus is the same on every run.
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('fuzz: truncated and flipped WBXML never throws', () => {
  // The vectors plus our own WBXML for a spread of samples (bigger, more token kinds).
  const corpus: Buffer[] = vectors.map((v) => v.bytes);
  for (const s of xmlSamples(['csp11-spec-examples', 'real-client-csp12-colibria']).filter(
    (_, i) => i % 6 === 0,
  )) {
    const d = decodeCsp(s.bytes, 'application/vnd.wv.csp.xml');
    if (d.ok) corpus.push(encodeCsp(d.message, { version: d.message.version, encoding: 'wbxml' }).body);
  }
  test(`${corpus.length} seeds × (every truncation + 150 mutations)`, () => {
    const rand = prng(0xc5b);
    let runs = 0;
    let accepted = 0;
    const check = (bytes: Buffer) => {
      runs++;
      const r = decodeCsp(bytes, 'application/vnd.wv.csp.wbxml');
      if (r.ok) {
        accepted++;
        // Whatever decodes must re-encode and decode again.
        const again = decodeCsp(
          encodeCsp(r.message, { version: r.message.version, encoding: 'wbxml' }).body,
          'wbxml',
        );
        assert.ok(again.ok, again.ok ? '' : again.status.description);
      } else {
        assert.ok([400, 402, 405, 505].includes(r.status.code), `${r.status.code} ${r.status.description}`);
        assert.ok(r.status.description.length > 0);
      }
    };
    for (const seed of corpus) {
      for (let n = 0; n < seed.length; n++) check(seed.subarray(0, n));
      for (let i = 0; i < 150; i++) {
        const m = Buffer.from(seed);
        const flips = 1 + Math.floor(rand() * 3);
        for (let f = 0; f < flips; f++) {
          const at = Math.floor(rand() * m.length);
          m[at] = rand() < 0.5 ? m[at]! ^ (1 << Math.floor(rand() * 8)) : Math.floor(rand() * 256);
        }
        check(m);
      }
    }
    assert.ok(runs > 5000);
    assert.ok(accepted > 0 && accepted < runs);
  });
});
