import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseXml } from '../../../../../../common/xml/parse.ts';
import type { XmlElement } from '../../../../../../common/xml/xml-node.ts';
import { decodeCsp, encodeCsp } from '../../../../../../domains/imps/csp/csp-codec.ts';
import type { CspMessage } from '../../../../../../domains/imps/csp/model/envelope.ts';
import { CommCapSchema } from '../../../../../../domains/imps/csp/model/presence-attributes.ts';
import { primitive } from '../../../../../../domains/imps/csp/model/primitives.ts';
import { readStruct, writeStruct } from '../../../../../../domains/imps/csp/model/schema.ts';

const PA = 'http://www.openmobilealliance.org/DTD/WV-PA1.2';
const ctx = { ns: PA, paNs: PA, retarget: (e: XmlElement) => e };

function tree(xml: string): XmlElement {
  const r = parseXml(xml);
  assert.ok(r.ok);
  return r.root;
}

test('schema order is the default; a sender order is kept through $layout', () => {
  const inOrder = readStruct(
    tree(
      `<CommCap xmlns="${PA}"><Qualifier>T</Qualifier><CommC><Cap>IM</Cap><Status>OPEN</Status></CommC></CommCap>`,
    ),
    CommCapSchema,
  );
  assert.equal(inOrder.$layout, undefined);
  const swapped = readStruct(
    tree(
      `<CommCap xmlns="${PA}"><CommC><Cap>IM</Cap><Status>OPEN</Status></CommC><Qualifier>F</Qualifier></CommCap>`,
    ),
    CommCapSchema,
  );
  assert.deepEqual(swapped.$layout, ['commC', 'qualifier']);
  const out = writeStruct('CommCap', swapped, CommCapSchema, ctx);
  assert.deepEqual(
    out.children.map((c) => (typeof c === 'string' ? c : c.local)),
    ['CommC', 'Qualifier'],
  );
  // A value set after decoding, with no slot in the layout, is still written.
  swapped.commC!.push({ cap: 'SMS', status: 'CLOSED' });
  const more = writeStruct('CommCap', swapped, CommCapSchema, ctx);
  assert.equal(more.children.length, 3);
});

test('unknown elements, foreign attributes and stray text are kept', () => {
  const el = tree(
    `<CommCap xmlns="${PA}" xmlns:v="urn:v" v:x="1">note<v:Extra>e</v:Extra><Qualifier>T</Qualifier></CommCap>`,
  );
  const m = readStruct(el, CommCapSchema);
  assert.equal(m.$text, 'note');
  assert.equal(m.$extensions?.[0]?.local, 'Extra');
  assert.ok(m.$attributes?.some((a) => a.local === 'x'));
  const out = writeStruct('CommCap', m, CommCapSchema, ctx);
  assert.deepEqual(
    out.children.map((c) => (typeof c === 'string' ? c : c.local)),
    ['note', 'Extra', 'Qualifier'],
  );
});

test('a message built in code encodes in every version and encoding and decodes back', () => {
  const message: CspMessage = {
    version: '1.2',
    encoding: 'xml',
    envelope: {
      sessionType: 'Inband',
      sessionId: 'abc',
      transactions: [
        {
          mode: 'Request',
          transactionId: 'srv-1',
          primitive: primitive('PresenceNotification-Request', {
            presences: [
              {
                userId: 'wv:harry@domain1.lab',
                presenceSubLists: [
                  {
                    onlineStatus: { qualifier: true, presenceValue: 'T' },
                    userAvailability: { qualifier: true, presenceValue: 'AVAILABLE' },
                    statusText: { qualifier: true, presenceValue: 'Grüße from the lab' },
                  },
                ],
              },
            ],
          }),
        },
      ],
      poll: true,
    },
    primitive: { name: 'Polling-Request', body: {} },
  };
  message.primitive = message.envelope.transactions[0]!.primitive;
  for (const version of ['1.1', '1.2', '1.3'] as const) {
    for (const encoding of ['xml', 'wbxml'] as const) {
      const out = encodeCsp(message, { version, encoding });
      const back = decodeCsp(out.body, out.contentType);
      assert.ok(back.ok, `${version} ${encoding}: ${back.ok ? '' : back.status.description}`);
      assert.equal(back.message.version, version);
      assert.equal(back.message.encoding, encoding);
      const tx = back.message.envelope.transactions[0]!;
      assert.equal(version === '1.1' ? tx.poll : back.message.envelope.poll, true);
      assert.deepEqual(back.message.primitive, message.primitive);
    }
  }
});
