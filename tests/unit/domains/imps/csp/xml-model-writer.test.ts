// The XML fast path (envelope and typed primitive written straight from the model) against the
// tree path (writeCspMessage -> serializeXml): identical text for every sample in every version.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { serializeXml } from '../../../../../common/xml/serialize.ts';
import { encodeCsp } from '../../../../../domains/imps/csp/csp-codec.ts';
import { writeCspMessage } from '../../../../../domains/imps/csp/csp-message-tree.ts';
import type { CspVersion } from '../../../../../domains/imps/csp/csp-version.ts';
import type { CspMessage } from '../../../../../domains/imps/csp/model/envelope.ts';
import { writeCspXml } from '../../../../../domains/imps/csp/xml-model-writer.ts';
import { decodedSamples } from './samples.ts';

const VERSIONS: readonly CspVersion[] = ['1.1', '1.2', '1.3'];

describe('XML fast path = tree path', () => {
  const all = decodedSamples();
  test('most typed primitives take the fast path', () => {
    const typed = all.filter((m) => !('generic' in m.message.primitive));
    const direct = typed.filter((m) => writeCspXml(m.message, m.message.version) !== undefined);
    assert.ok(typed.length >= 100, `${typed.length} typed`);
    assert.ok(
      direct.length >= typed.length * 0.6,
      `only ${direct.length} of ${typed.length} written directly`,
    );
  });
  for (const { id, message } of all) {
    test(id, () => {
      for (const version of VERSIONS) {
        const fast = encodeCsp(message, { version, encoding: 'xml' }).body.toString('utf8');
        assert.equal(fast, serializeXml(writeCspMessage(message, version)), `CSP ${version}`);
      }
    });
  }
  test('values that need escaping, empty values and Poll placement', () => {
    const first = all.find(
      (m) =>
        m.message.primitive.name === 'PresenceNotification-Request' &&
        writeCspXml(m.message, '1.2') !== undefined,
    );
    assert.ok(first !== undefined);
    const copy = structuredClone(first.message);
    copy.envelope.poll = true;
    copy.envelope.cir = false;
    copy.envelope.transactions[0]!.transactionId = 'a<b>&"c"\r ü \u{1F600} \u0001';
    copy.envelope.sessionId = '';
    for (const version of VERSIONS) {
      const fast = writeCspXml(copy, version)?.toString('utf8');
      assert.ok(fast !== undefined);
      assert.equal(fast, serializeXml(writeCspMessage(copy, version)), `CSP ${version}`);
    }
  });
  test('models with their keys in another order than the schema give the tree text', () => {
    // The shared walk (model-walk.ts) takes back an element whose keys leave schema order and
    // writes it in schema order: reversing every struct's keys takes that path at every level.
    let direct = 0;
    for (const { id, message } of all) {
      if ('generic' in message.primitive) continue;
      const copy = reversedKeys(structuredClone(message)) as CspMessage;
      copy.primitive = copy.envelope.transactions[0]!.primitive;
      for (const version of VERSIONS) {
        const fast = writeCspXml(copy, version)?.toString('utf8');
        if (fast === undefined) continue;
        direct++;
        assert.equal(fast, serializeXml(writeCspMessage(copy, version)), `${id} CSP ${version}`);
      }
    }
    assert.ok(direct >= 180, `only ${direct} written directly`);
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
