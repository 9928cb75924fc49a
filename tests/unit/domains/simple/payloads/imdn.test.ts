import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyCpim, parseCpim, serializeCpim } from '../../../../../domains/simple/payloads/cpim.ts';
import {
  addImdnRequest,
  buildImdnNotification,
  type Imdn,
  parseImdn,
  readImdnRequest,
  serializeImdn,
} from '../../../../../domains/simple/payloads/imdn.ts';
import { assertSchemaValid } from '../../../../support/xmllint.ts';

// RFC 5438 §7.2.1 example (delivery notification).
const RFC5438 = `<?xml version="1.0" encoding="UTF-8"?>
<imdn xmlns="urn:ietf:params:xml:ns:imdn">
  <message-id>34jk324j</message-id>
  <datetime>2008-04-04T12:16:49-05:00</datetime>
  <recipient-uri>im:bob@example.com</recipient-uri>
  <original-recipient-uri>im:bob@example.com</original-recipient-uri>
  <delivery-notification><status><delivered/></status></delivery-notification>
</imdn>`;

function ok(input: string): Imdn {
  const r = parseImdn(input);
  assert.ok(r.ok, r.ok ? '' : `${r.error.code}: ${r.error.message}`);
  return r.value;
}

describe('IMDN document', () => {
  it('reads the RFC 5438 example', () => {
    assert.deepEqual(ok(RFC5438), {
      messageId: '34jk324j',
      datetime: '2008-04-04T12:16:49-05:00',
      recipientUri: 'im:bob@example.com',
      originalRecipientUri: 'im:bob@example.com',
      notification: { kind: 'delivery', status: 'delivered' },
      extensions: [],
    });
  });

  it('every notification kind and status serializes schema-valid and round-trips', () => {
    const cases: Array<Imdn['notification']> = [
      { kind: 'delivery', status: 'delivered' },
      { kind: 'delivery', status: 'failed' },
      { kind: 'delivery', status: 'forbidden' },
      { kind: 'delivery', status: 'error' },
      { kind: 'display', status: 'displayed' },
      { kind: 'display', status: 'forbidden' },
      { kind: 'display', status: 'error' },
      { kind: 'processing', status: 'processed' },
      { kind: 'processing', status: 'stored' },
      undefined,
    ];
    for (const notification of cases) {
      const m: Imdn = { messageId: 'm1', datetime: '2026-11-24T03:00:00Z', extensions: [] };
      if (notification) m.notification = notification;
      const xml = serializeImdn(m);
      assertSchemaValid(xml, 'imdn.xsd');
      assert.deepEqual(ok(xml), m);
    }
    const withRecipient = { ...ok(RFC5438), subject: 'Hi & bye' };
    assertSchemaValid(serializeImdn(withRecipient), 'imdn.xsd');
    assert.deepEqual(ok(serializeImdn(withRecipient)), withRecipient);
  });

  it('refuses wrong statuses, missing ids, half a recipient pair', () => {
    for (const bad of [
      RFC5438.replace('<delivered/>', '<displayed/>'),
      RFC5438.replace('<message-id>34jk324j</message-id>', ''),
      RFC5438.replace('<original-recipient-uri>im:bob@example.com</original-recipient-uri>', ''),
      RFC5438.replace(
        '</delivery-notification>',
        '</delivery-notification><display-notification><status><displayed/></status></display-notification>',
      ),
    ]) {
      const r = parseImdn(bad);
      assert.equal(r.ok ? 'ok' : r.error.code, 'PAYLOAD_ERR_INVALID');
    }
  });
});

describe('IMDN CPIM headers', () => {
  it('a request added by the sender is read back by the recipient, whatever the prefix', () => {
    const msg = addImdnRequest(
      {
        ...emptyCpim(),
        from: { displayName: 'Alice', uri: 'im:alice@example.com' },
        to: [{ uri: 'im:bob@example.org' }],
        dateTime: '2026-11-24T03:00:00Z',
        contentHeaders: [['Content-Type', 'text/plain; charset=UTF-8']],
        body: Buffer.from('Hello'),
      },
      '34jk324j',
      ['positive-delivery', 'display'],
    );
    const wire = serializeCpim(msg).toString();
    assert.match(wire, /\r\nNS: imdn <urn:ietf:params:imdn>\r\n/);
    assert.match(
      wire,
      /\r\nimdn\.Message-ID: 34jk324j\r\nimdn\.Disposition-Notification: positive-delivery, display\r\n/,
    );
    const back = parseCpim(wire.replaceAll('imdn', 'x'));
    assert.ok(back.ok);
    assert.deepEqual(readImdnRequest(back.value), undefined, 'renaming the URI breaks the binding');
    const parsed = parseCpim(wire.replace(/\bimdn\./g, 'i.').replace('NS: imdn <', 'NS: i <'));
    assert.ok(parsed.ok);
    assert.deepEqual(readImdnRequest(parsed.value), {
      messageId: '34jk324j',
      dispositions: ['positive-delivery', 'display'],
      recordRoutes: [],
    });
  });

  it('builds the notification message: CPIM wrapper + message/imdn+xml with Content-Disposition', () => {
    const n = buildImdnNotification({
      from: { uri: 'im:bob@example.org' },
      to: { uri: 'im:alice@example.com' },
      dateTime: '2026-11-24T03:00:05Z',
      notificationMessageId: 'n-1',
      imdn: ok(RFC5438),
    });
    const wire = serializeCpim(n);
    const back = parseCpim(wire);
    assert.ok(back.ok);
    assert.deepEqual(back.value.contentHeaders.slice(0, 2), [
      ['Content-Type', 'message/imdn+xml'],
      ['Content-Disposition', 'notification'],
    ]);
    assert.equal(back.value.contentHeaders[2]?.[1], String(back.value.body.length));
    assertSchemaValid(back.value.body.toString(), 'imdn.xsd');
    assert.deepEqual(ok(back.value.body.toString()), ok(RFC5438));
  });
});
