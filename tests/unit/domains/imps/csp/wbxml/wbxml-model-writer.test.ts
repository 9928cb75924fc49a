// The WBXML fast path (typed primitive written straight from its model) against the tree path
// (model -> XmlElement tree -> encodeWbxml): identical bytes for every sample, every version.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeCsp, encodeCsp } from '../../../../../../domains/imps/csp/csp-codec.ts';
import { writeCspMessage } from '../../../../../../domains/imps/csp/csp-message-tree.ts';
import type { CspVersion } from '../../../../../../domains/imps/csp/csp-version.ts';
import type { CspMessage } from '../../../../../../domains/imps/csp/model/envelope.ts';
import { primitive } from '../../../../../../domains/imps/csp/model/primitives.ts';
import { encodeWbxml } from '../../../../../../domains/imps/csp/wbxml/wbxml-encoder.ts';
import { decodedSamples } from '../samples.ts';

const VERSIONS: readonly CspVersion[] = ['1.1', '1.2', '1.3'];

describe('WBXML fast path = tree path', () => {
  const all = decodedSamples();
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

  test('models with their keys in another order than the schema (built in code) give the tree bytes', () => {
    // The writer walks the model's own keys and, meeting a key out of schema order, takes back
    // what it wrote of that element and walks the schema instead: reversing every struct's keys
    // takes that path at every level.
    let typed = 0;
    for (const { id, message } of all) {
      if ('generic' in message.primitive) continue;
      typed++;
      const copy = reversedKeys(structuredClone(message)) as CspMessage;
      copy.primitive = copy.envelope.transactions[0]!.primitive;
      for (const version of VERSIONS) {
        const fast = encodeCsp(copy, { version, encoding: 'wbxml' }).body;
        const tree = encodeWbxml(writeCspMessage(copy, version), { version });
        assert.equal(fast.toString('hex'), tree.toString('hex'), `${id} CSP ${version}`);
      }
    }
    assert.ok(typed >= 100);
  });
  test('taking back an element also takes back its string-table entries; unknown keys are skipped', () => {
    const vendor = (name: string) => ({
      name: `v:${name}`,
      local: name,
      ns: 'urn:vendor',
      attributes: [],
      children: ['x'],
    });
    const body = {
      presences: [
        {
          // presenceSubLists (rank 2) before userId (rank 0): written, then taken back.
          presenceSubLists: [
            {
              // StatusText (with a LITERAL extension) before OnlineStatus: the second one's
              // string-table offset depends on the first being taken back.
              statusText: { qualifier: true, presenceValue: 'away', $extensions: [vendor('Later')] },
              onlineStatus: { qualifier: true, presenceValue: 'T', $extensions: [vendor('First')] },
              $attributes: [
                { name: 'xmlns:v', local: 'v', ns: 'http://www.w3.org/2000/xmlns/', value: 'urn:vendor' },
              ],
            },
          ],
          userId: 'wv:jane@x',
          comment: 'not a field',
        },
      ],
    };
    const p = primitive('PresenceNotification-Request', body as never);
    const message: CspMessage = {
      version: '1.2',
      encoding: 'wbxml',
      envelope: { sessionType: 'Inband', sessionId: 's', transactions: [{ mode: 'Request', primitive: p }] },
      primitive: p,
    };
    for (const version of VERSIONS) {
      const fast = encodeCsp(message, { version, encoding: 'wbxml' }).body;
      const tree = encodeWbxml(writeCspMessage(message, version), { version });
      assert.equal(fast.toString('hex'), tree.toString('hex'), `CSP ${version}`);
      const first = fast.indexOf(Buffer.from('v:First\0', 'latin1'));
      assert.ok(
        first > 0 && first < fast.indexOf(Buffer.from('v:Later\0', 'latin1')),
        'string table in DTD order',
      );
    }
  });
});

/** A copy of every model object with its keys in reverse order (kept elements and $ values untouched). */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value === null || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  if ('children' in o && 'local' in o) return o; // an XmlElement kept as it is
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(o).reverse()) out[key] = key.startsWith('$') ? o[key] : reversedKeys(o[key]);
  return out;
}
