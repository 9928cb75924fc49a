import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type CpimMessage,
  cpimExtension,
  formatCpimAddress,
  parseCpim,
  parseCpimAddress,
  serializeCpim,
} from '../../../../../domains/simple/payloads/cpim.ts';

// RFC 3862 §6.1 example (message part only).
const RFC3862 = [
  'From: MR SANDERS <im:piglet@100akerwood.com>',
  'To: Depressed Donkey <im:eeyore@100akerwood.com>',
  'DateTime: 2000-12-13T13:40:00-08:00',
  'Subject: the weather will be fine today',
  "Subject;lang=fr: beau temps prevu pour aujourd'hui",
  'NS: MyFeatures <mid:MessageFeatures@id.foo.com>',
  'Require: MyFeatures.VitalMessageOption',
  'MyFeatures.VitalMessageOption: Confirmation-requested',
  'MyFeatures.WackyMessageOption: Use-silly-font',
  '',
  'Content-type: text/xml; charset=utf-8',
  'Content-ID: <1234567890@foo.com>',
  '',
  '<body>',
  'Here is the text of my message.',
  '</body>',
].join('\r\n');

function ok(input: string | Buffer): CpimMessage {
  const r = parseCpim(input);
  assert.ok(r.ok, r.ok ? '' : `${r.error.code}: ${r.error.message}`);
  return r.value;
}

describe('CPIM (RFC 3862)', () => {
  it('reads the RFC example', () => {
    const m = ok(RFC3862);
    assert.deepEqual(m.from, { displayName: 'MR SANDERS', uri: 'im:piglet@100akerwood.com' });
    assert.deepEqual(m.to, [{ displayName: 'Depressed Donkey', uri: 'im:eeyore@100akerwood.com' }]);
    assert.equal(m.dateTime, '2000-12-13T13:40:00-08:00');
    assert.deepEqual(m.subjects, [
      { text: 'the weather will be fine today' },
      { text: "beau temps prevu pour aujourd'hui", lang: 'fr' },
    ]);
    assert.deepEqual(m.namespaces, [{ prefix: 'MyFeatures', uri: 'mid:MessageFeatures@id.foo.com' }]);
    assert.deepEqual(m.require, ['MyFeatures.VitalMessageOption']);
    assert.equal(cpimExtension(m, 'mid:MessageFeatures@id.foo.com', 'WackyMessageOption'), 'Use-silly-font');
    assert.deepEqual(m.contentHeaders, [
      ['Content-type', 'text/xml; charset=utf-8'],
      ['Content-ID', '<1234567890@foo.com>'],
    ]);
    assert.equal(m.body.toString(), '<body>\r\nHere is the text of my message.\r\n</body>');
  });

  it('round-trips, with binary bodies byte for byte', () => {
    const m = ok(RFC3862);
    assert.equal(serializeCpim(m).toString(), RFC3862);
    const bin = { ...m, body: Buffer.from([0, 0xff, 0x0d, 0x0a, 0x0d, 0x0a, 7]) };
    assert.deepEqual(ok(serializeCpim(bin)), bin);
  });

  it('addresses: quoting and escaping', () => {
    assert.deepEqual(parseCpimAddress('<im:a@b>'), { uri: 'im:a@b' });
    assert.deepEqual(parseCpimAddress('"Harry \\"H\\" Potter" <im:h@x>'), {
      displayName: 'Harry "H" Potter',
      uri: 'im:h@x',
    });
    assert.equal(formatCpimAddress({ displayName: 'Harry "H"', uri: 'im:h@x' }), '"Harry \\"H\\"" <im:h@x>');
    assert.equal(formatCpimAddress({ displayName: 'Jane', uri: 'im:j@y' }), 'Jane <im:j@y>');
    assert.equal(parseCpimAddress('im:a@b'), undefined);
  });

  it('accepts LF line ends and an empty content', () => {
    const m = ok('From: <im:a@b>\nTo: <im:c@d>\n\n\n');
    assert.equal(m.body.length, 0);
    assert.deepEqual(m.contentHeaders, []);
  });

  it('refuses malformed messages', () => {
    const cases = [
      'From: <im:a@b>\r\nTo: <im:c@d>', // no blank lines
      RFC3862.replace('From: MR SANDERS <im:piglet@100akerwood.com>', 'From: piglet'),
      RFC3862.replace('DateTime: 2000-12-13T13:40:00-08:00', 'DateTime: yesterday'),
      RFC3862.replace('NS: MyFeatures <mid:MessageFeatures@id.foo.com>\r\n', ''),
      RFC3862.replace('To: Depressed', 'To Depressed'),
      RFC3862.replace('Content-type: text/xml; charset=utf-8\r\n', ''),
      `From: <im:a@b>\r\nFrom: <im:c@d>\r\n\r\nContent-Type: text/plain\r\n\r\nx`,
    ];
    for (const c of cases) {
      const r = parseCpim(c);
      assert.equal(r.ok ? 'ok' : r.error.code, 'PAYLOAD_ERR_MALFORMED_MIME', c.slice(0, 60));
    }
    const big = parseCpim(RFC3862, { maxBytes: 100 });
    assert.equal(big.ok ? 'ok' : big.error.sipStatus, 413);
  });
});
