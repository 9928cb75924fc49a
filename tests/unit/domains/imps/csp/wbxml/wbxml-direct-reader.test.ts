// The WBXML fast path (typed primitive read straight into its model) against the tree path
// (decodeWbxml -> readCspMessage): the same message, or the same error, for every sample in
// every version, and for corrupted bytes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeCsp } from '../../../../../../domains/imps/csp/csp-codec.ts';
import {
  isTypedPrimitiveName,
  PRIMITIVE_SCHEMAS,
} from '../../../../../../domains/imps/csp/model/primitives.ts';
import { decodeWbxmlDirect } from '../../../../../../domains/imps/csp/wbxml/wbxml-decoder.ts';
import { treePath, wbxmlCorpus } from './tree-reference.ts';

const WBXML = 'application/vnd.wv.csp.wbxml';

const schemaFor = (name: string) => (isTypedPrimitiveName(name) ? PRIMITIVE_SCHEMAS[name] : undefined);

describe('WBXML fast path = tree path', () => {
  const all = wbxmlCorpus();
  test('most typed primitives take the fast path', () => {
    let direct = 0;
    let typed = 0;
    for (const { bytes } of all) {
      const r = decodeCsp(bytes, WBXML);
      if (!r.ok || 'generic' in r.message.primitive) continue;
      typed++;
      const d = decodeWbxmlDirect(bytes, undefined, schemaFor);
      if (d?.ok === true && d.document.primitive !== undefined) direct++;
    }
    assert.ok(typed >= 300, `${typed} typed`);
    assert.ok(direct >= typed * 0.8, `only ${direct} of ${typed} typed primitives read directly`);
  });
  for (const { id, bytes } of all) {
    test(id, () => {
      const fast = decodeCsp(bytes, WBXML);
      const tree = treePath(bytes);
      if (!tree.ok) {
        assert.equal(fast.ok, false);
        if (!fast.ok) assert.equal(fast.status.code, tree.status.code);
        return;
      }
      assert.deepEqual(fast, tree);
    });
  }
  test('corrupted bytes: both paths agree on every single-byte change of a presence message', () => {
    const sample = all.find((s) => s.id.includes('PresenceNotification') && s.id.endsWith('1.2'));
    assert.ok(sample !== undefined);
    let seed = 7;
    for (let i = 0; i < 3000; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const bytes: Buffer = Buffer.from(sample.bytes);
      const at = seed % bytes.length;
      bytes[at] = (seed >> 8) & 0xff;
      const fast = decodeCsp(bytes, WBXML);
      const tree = treePath(bytes);
      assert.equal(fast.ok, tree.ok, `byte ${at}`);
      if (fast.ok && tree.ok) assert.deepEqual(fast.message, tree.message, `byte ${at}`);
      else if (!fast.ok && !tree.ok) assert.equal(fast.status.code, tree.status.code, `byte ${at}`);
    }
  });
});
