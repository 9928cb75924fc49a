// Byte-exact re-encoding of the Android IM engine's WBXML vectors (imps-samples/wbxml-vectors).
// Vectors that record an encoding choice the tree cannot carry are reproduced with the matching
// encoder option, and the option is named here with the reason.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeWbxml } from '../../../../../../domains/imps/csp/wbxml/wbxml-decoder.ts';
import {
  encodeWbxml,
  type WbxmlEncodeOptions,
} from '../../../../../../domains/imps/csp/wbxml/wbxml-encoder.ts';
import { wbxmlVectors } from '../samples.ts';

type Choice = Omit<WbxmlEncodeOptions, 'version'>;

// Vectors whose bytes follow the Android encoder's defaults: reproduced with no option at all.
const DEFAULT_EXACT = new Set([
  'encoder__cap_request',
  'encoder__simple2_csp11',
  'encoder__simple_content',
  'encoder__simple_csp12',
  'encoder__simple_datetime',
  'encoder__simple_integer',
  'encoder__simple_switch_page',
  'encoder__statusprim',
  'parser__cap_request',
  'parser__simple',
  'parser__simple2',
  'parser__simple3',
  'parser__statusprim',
]);

// Vectors written with another choice; the tree does not record it, so the test states it.
const WITH_CHOICE: Record<string, Choice> = {
  // U+10FFFF written as ENTITY (02 C3 FF 7F) rather than inline UTF-8.
  encoder__big_entity: { nonAscii: 'entity' },
  parser__big_entity: { nonAscii: 'entity' },
  // A 1.2 message under public id 0x10, DateTime as a string, U+00A0 as ENTITY (02 81 20).
  encoder__sendmsgreq1: { publicId: 0x10, dateTimes: 'string', nonAscii: 'entity' },
  parser__sendmsgreq1: { publicId: 0x10, dateTimes: 'string', nonAscii: 'entity' },
  // Code 401 as STR_I (an untyped encoder) instead of OPAQUE.
  parser__loginresponse: { integers: 'string' },
  // Empty elements without the content bit (0x89 root, LITERAL 04 / 84), string table reuse (STR_T).
  parser__literal: { emptyElements: 'compact' },
  parser__simple_nocontent: { emptyElements: 'compact' },
};

// Vectors that are malformed on purpose: the decoder must refuse them (see wbxml-decoder.test.ts).
const MALFORMED = new Set(['encoder__invalid_entity', 'parser__invalid_entity', 'parser__incomplete_str_i']);

describe('WBXML vectors re-encode byte for byte', () => {
  const vectors = wbxmlVectors();
  test('every vector is classified', () => {
    assert.equal(vectors.length, 23);
    for (const v of vectors) {
      const classes = [DEFAULT_EXACT.has(v.name), v.name in WITH_CHOICE, MALFORMED.has(v.name)].filter(
        Boolean,
      );
      assert.equal(classes.length, 1, v.name);
    }
  });
  for (const v of vectors) {
    if (MALFORMED.has(v.name)) continue;
    test(v.name, () => {
      const doc = decodeWbxml(v.bytes);
      assert.ok(doc.ok, doc.ok ? '' : doc.error.message);
      const choice = WITH_CHOICE[v.name];
      const out = encodeWbxml(doc.document.root, { version: doc.document.version, ...choice });
      assert.equal(out.toString('hex'), v.bytes.toString('hex'));
      if (choice !== undefined) {
        // The default choice gives other bytes for the same tree: the option is really needed.
        const plain = encodeWbxml(doc.document.root, { version: doc.document.version });
        assert.notEqual(plain.toString('hex'), v.bytes.toString('hex'));
        const again = decodeWbxml(plain);
        assert.ok(again.ok);
        assert.deepEqual(again.document.root, doc.document.root);
      }
    });
  }
});

describe('encoder choices', () => {
  const root = (text: string) => ({
    name: 'WV-CSP-Message',
    local: 'WV-CSP-Message',
    ns: 'http://www.openmobilealliance.org/DTD/WV-CSP1.2',
    attributes: [
      {
        name: 'xmlns',
        local: 'xmlns',
        ns: 'http://www.w3.org/2000/xmlns/',
        value: 'http://www.openmobilealliance.org/DTD/WV-CSP1.2',
      },
    ],
    children: [
      {
        name: 'Session',
        local: 'Session',
        ns: 'http://www.openmobilealliance.org/DTD/WV-CSP1.2',
        attributes: [],
        children: [
          {
            name: 'ContentSize',
            local: 'ContentSize',
            ns: 'http://www.openmobilealliance.org/DTD/WV-CSP1.2',
            attributes: [],
            children: [text],
          },
        ],
      },
    ],
  });
  test('integers: 0 is one OPAQUE byte (Android), not an empty OPAQUE (libwbxml)', () => {
    assert.equal(
      encodeWbxml(root('0'), { version: '1.2' }).toString('hex'),
      '03116a00c90803312e3200016d4fc30100010101',
    );
  });
  test('integers with leading zeros or beyond 32 bits stay strings (their text would change)', () => {
    const a = encodeWbxml(root('007'), { version: '1.2' });
    assert.ok(a.includes(Buffer.from('03303037', 'hex')));
    const b = encodeWbxml(root('4294967296'), { version: '1.2' });
    assert.ok(b.includes(Buffer.from('4294967296', 'latin1')));
  });
  test('public id as a string-table reference (libwbxml CSP 1.2 style)', () => {
    const out = encodeWbxml(root('5'), { version: '1.2', publicIdText: '-//OMA//DTD WV-CSP 1.2//EN' });
    assert.equal(out.subarray(0, 5).toString('hex'), '0300006a1b');
    const doc = decodeWbxml(out);
    assert.ok(doc.ok);
    assert.equal(doc.document.publicIdText, '-//OMA//DTD WV-CSP 1.2//EN');
    assert.equal(doc.document.version, '1.2');
  });
  test('characters XML cannot carry are dropped, so the output always decodes', () => {
    const out = encodeWbxml(root('a\u0000b\u0007c\uFFFEd é'), { version: '1.2' });
    const doc = decodeWbxml(out);
    assert.ok(doc.ok, doc.ok ? '' : doc.error.message);
    assert.match(JSON.stringify(doc.document.root), /"abcd é"/);
  });
  test('large outputs grow the buffer', () => {
    const big = 'x'.repeat(200_000);
    const out = encodeWbxml(root(big), { version: '1.2' });
    const doc = decodeWbxml(out, { maxBytes: 1_000_000 });
    assert.ok(doc.ok);
  });
});
