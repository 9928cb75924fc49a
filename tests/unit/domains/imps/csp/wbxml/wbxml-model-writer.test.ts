// The WBXML fast path (typed primitive written straight from its model) against the tree path
// (model -> XmlElement tree -> encodeWbxml): identical bytes for every sample, every version.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeCsp, encodeCsp } from '../../../../../../domains/imps/csp/csp-codec.ts';
import { writeCspMessage } from '../../../../../../domains/imps/csp/csp-message-tree.ts';
import type { CspVersion } from '../../../../../../domains/imps/csp/csp-version.ts';
import type { CspMessage } from '../../../../../../domains/imps/csp/model/envelope.ts';
import { encodeWbxml } from '../../../../../../domains/imps/csp/wbxml/wbxml-encoder.ts';
import { wbxmlVectors, xmlSamples } from '../samples.ts';

const VERSIONS: readonly CspVersion[] = ['1.1', '1.2', '1.3'];

function messages(): Array<{ id: string; message: CspMessage }> {
  const out: Array<{ id: string; message: CspMessage }> = [];
  for (const s of xmlSamples()) {
    const r = decodeCsp(s.bytes, 'application/vnd.wv.csp.xml');
    if (r.ok) out.push({ id: s.id, message: r.message });
  }
  for (const v of wbxmlVectors()) {
    const r = decodeCsp(v.bytes, 'application/vnd.wv.csp.wbxml');
    if (r.ok) out.push({ id: `${v.name}.wbxml`, message: r.message });
  }
  return out;
}

describe('WBXML fast path = tree path', () => {
  const all = messages();
  test('the corpus decodes (typed primitives included)', () => {
    assert.ok(all.length >= 150, `only ${all.length} samples decoded`);
    const typed = all.filter((m) => !('generic' in m.message.primitive));
    assert.ok(typed.length >= 100, `only ${typed.length} typed primitives`);
  });
  for (const { id, message } of all) {
    test(id, () => {
      for (const version of VERSIONS) {
        const fast = encodeCsp(message, { version, encoding: 'wbxml' }).body;
        const tree = encodeWbxml(writeCspMessage(message, version), { version });
        assert.equal(fast.toString('hex'), tree.toString('hex'), `CSP ${version}`);
      }
    });
  }
  test('a model changed after decoding (no $layout) still gives the tree bytes', () => {
    const first = all.find((m) => m.message.primitive.name === 'PresenceNotification-Request');
    assert.ok(first !== undefined);
    const copy = structuredClone(first.message);
    const fast = encodeCsp(copy, { version: '1.3', encoding: 'wbxml' }).body;
    assert.deepEqual(fast, encodeWbxml(writeCspMessage(copy, '1.3'), { version: '1.3' }));
    const back = decodeCsp(fast, 'application/vnd.wv.csp.wbxml');
    assert.ok(back.ok);
    assert.equal(back.message.primitive.name, 'PresenceNotification-Request');
  });
});
