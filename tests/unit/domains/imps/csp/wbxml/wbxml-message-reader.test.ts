// The WBXML message reader (envelope and typed primitive read straight into the model) against
// the tree path (decodeWbxml -> readCspMessage): whenever it answers, it answers the tree's
// message; whatever it leaves (undefined), the tree path decides. Corpus, hand-made envelopes
// and corrupted bytes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeCsp, encodeCsp } from '../../../../../../domains/imps/csp/csp-codec.ts';
import type { CspVersion } from '../../../../../../domains/imps/csp/csp-version.ts';
import type { CspMessage } from '../../../../../../domains/imps/csp/model/envelope.ts';
import { primitive } from '../../../../../../domains/imps/csp/model/primitives.ts';
import { readCspWbxml } from '../../../../../../domains/imps/csp/wbxml/wbxml-message-reader.ts';
import { LIMITS, treePath, VERSIONS, wbxmlCorpus } from './tree-reference.ts';

/** The reader's answer must be the tree's message; returns whether it answered. */
function agrees(bytes: Buffer, label: string, limits = LIMITS): boolean {
  const direct = readCspWbxml(bytes, limits);
  if (direct === undefined) return false;
  const tree = treePath(bytes, limits);
  assert.ok(tree.ok, `${label}: the reader accepted what the tree refuses (${tree.ok || tree.status.name})`);
  assert.deepEqual(direct, tree.message, label);
  return true;
}

function message(version: CspVersion, extra: Partial<CspMessage['envelope']> = {}): CspMessage {
  const p = primitive('GetPresence-Request', { users: [{ userId: 'wv:bob@x' }] });
  return {
    version,
    encoding: 'wbxml',
    envelope: {
      sessionType: 'Inband',
      sessionId: 's1',
      transactions: [{ mode: 'Request', transactionId: 't1', primitive: p }],
      poll: false,
      cir: true,
      ...extra,
    },
    primitive: p,
  };
}

const wbxml = (m: CspMessage) => encodeCsp(m, { version: m.version, encoding: 'wbxml' }).body;

describe('WBXML message reader = tree path', () => {
  const all = wbxmlCorpus();
  test('every sample: the tree message or undefined; most typed messages read directly', () => {
    let typed = 0;
    let direct = 0;
    for (const { id, bytes } of all) {
      const tree = treePath(bytes);
      if (tree.ok && !('generic' in tree.message.primitive)) typed++;
      if (agrees(bytes, id)) direct++;
    }
    assert.ok(typed >= 300, `${typed} typed`);
    // The rest: raw-element fields (Service-Request Functions) and root attributes (Colibria xmlns:xsi).
    assert.ok(direct >= typed * 0.75, `only ${direct} of ${typed} typed messages read directly`);
  });

  test('a message built in code, each version, with and without Poll/CIR/SessionID/TransactionID', () => {
    for (const version of VERSIONS) {
      assert.ok(agrees(wbxml(message(version)), version));
      const bare = message(version, { poll: undefined, cir: undefined, sessionId: undefined });
      delete bare.envelope.poll;
      delete bare.envelope.cir;
      delete bare.envelope.sessionId;
      delete bare.envelope.transactions[0]!.transactionId;
      assert.ok(agrees(wbxml(bare), `${version} bare`));
    }
  });

  test('left to the tree: generic primitive, two transactions, envelope extensions, wrong TRC version', () => {
    const generic = decodeCsp(
      '<WV-CSP-Message xmlns="http://www.openmobilealliance.org/DTD/WV-CSP1.2"><Session><SessionDescriptor>' +
        '<SessionType>Inband</SessionType></SessionDescriptor><Transaction><TransactionDescriptor>' +
        '<TransactionMode>Request</TransactionMode></TransactionDescriptor><TransactionContent ' +
        'xmlns="http://www.openmobilealliance.org/DTD/WV-TRC1.2"><JoinGroup-Request><GroupID>wv:g@x</GroupID></JoinGroup-Request></TransactionContent>' +
        '</Transaction></Session></WV-CSP-Message>',
      'application/vnd.wv.csp.xml',
    );
    assert.ok(generic.ok && 'generic' in generic.message.primitive);
    assert.equal(readCspWbxml(wbxml(generic.message), LIMITS), undefined);

    const two = message('1.2');
    two.envelope.transactions.push({ ...two.envelope.transactions[0]!, transactionId: 't2' });
    const twoBytes = wbxml(two);
    assert.equal(readCspWbxml(twoBytes, LIMITS), undefined);
    const twoTree = treePath(twoBytes);
    assert.ok(twoTree.ok && twoTree.message.envelope.transactions.length === 2);

    const ext = message('1.2');
    ext.envelope.$extensions = [{ name: 'Vendor', local: 'Vendor', ns: '', attributes: [], children: ['x'] }];
    assert.equal(readCspWbxml(wbxml(ext), LIMITS), undefined);

    // A 1.2 TRC inside a 1.3 message: the tree answers 505.
    const bytes = wbxml(message('1.3'));
    const trc = bytes.indexOf(Buffer.from('0d03312e3300', 'hex')); // IMPS-TRC + "1.3"
    assert.ok(trc > 0);
    const mixed = Buffer.from(bytes);
    mixed.write('1.2', trc + 2, 'latin1');
    assert.equal(readCspWbxml(mixed, LIMITS), undefined);
    const r = decodeCsp(mixed, 'application/vnd.wv.csp.wbxml');
    assert.ok(!r.ok && r.status.code === 505);
  });

  test('limits: a message over maxNodes or maxDepth is left to the tree, which refuses it', () => {
    const bytes = wbxml(message('1.2'));
    for (const limits of [
      { ...LIMITS, maxNodes: 8 },
      { ...LIMITS, maxDepth: 5 },
      { ...LIMITS, maxDepth: 0 },
    ]) {
      assert.equal(readCspWbxml(bytes, limits), undefined, JSON.stringify(limits));
      const r = decodeCsp(bytes, 'application/vnd.wv.csp.wbxml', limits);
      assert.ok(!r.ok && r.status.name === 'CSP_ERR_TOO_DEEP', JSON.stringify(limits));
    }
    // Exactly enough nodes and depth: read directly.
    assert.ok(agrees(bytes, 'roomy', { ...LIMITS, maxNodes: 40, maxDepth: 8 }));
  });

  test('corrupted bytes: every single-byte change of a presence notification agrees with the tree', () => {
    const sample = all.find((s) => s.id.includes('PresenceNotification') && s.id.endsWith('1.2'));
    assert.ok(sample !== undefined);
    assert.ok(agrees(sample.bytes, 'intact'));
    let read = 0;
    for (let at = 0; at < sample.bytes.length; at++) {
      for (const v of [
        0x00,
        0x01,
        0x03,
        0x05,
        0x2c,
        0x40,
        0x80,
        0x83,
        0xc3,
        0xff,
        sample.bytes[at]! ^ 0x40,
      ]) {
        const bytes = Buffer.from(sample.bytes);
        bytes[at] = v;
        if (agrees(bytes, `byte ${at} = 0x${v.toString(16)}`)) read++;
      }
    }
    for (let n = 0; n < sample.bytes.length; n++) agrees(sample.bytes.subarray(0, n), `first ${n} bytes`);
    assert.ok(read > sample.bytes.length, `${read} corrupted variants read directly`);
  });
});
