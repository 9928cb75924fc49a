// Bad input: every refusal is a CSP status (code + Description), never a throw (imps.md §7, §13).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeCsp } from '../../../../../domains/imps/csp/csp-codec.ts';

const CSP12 = 'http://www.openmobilealliance.org/DTD/WV-CSP1.2';
const TRC12 = 'http://www.openmobilealliance.org/DTD/WV-TRC1.2';

function message(content: string, csp = CSP12, trc = TRC12): string {
  return `<?xml version="1.0" encoding="UTF-8"?><WV-CSP-Message xmlns="${csp}"><Session><SessionDescriptor><SessionType>Inband</SessionType><SessionID>s1</SessionID></SessionDescriptor><Transaction><TransactionDescriptor><TransactionMode>Request</TransactionMode><TransactionID>t1</TransactionID></TransactionDescriptor><TransactionContent xmlns="${trc}">${content}</TransactionContent></Transaction></Session></WV-CSP-Message>`;
}

function refused(
  body: string | Buffer,
  contentType = 'application/vnd.wv.csp.xml',
  limits?: Parameters<typeof decodeCsp>[2],
) {
  const r = decodeCsp(body, contentType, limits);
  assert.equal(r.ok, false, 'must be refused');
  if (r.ok) throw new Error('unreachable');
  assert.ok(r.status.description.length > 5);
  return r.status;
}

describe('decodeCsp refusals', () => {
  test('a good message decodes (control)', () => {
    const r = decodeCsp(message('<Polling-Request/>'), 'application/vnd.wv.csp.xml');
    assert.ok(r.ok && r.message.primitive.name === 'Polling-Request');
  });
  const cases: Array<[string, () => ReturnType<typeof refused>, number, string]> = [
    ['empty body', () => refused(''), 400, 'CSP_ERR_EMPTY_BODY'],
    ['malformed XML', () => refused('<WV-CSP-Message><Session>'), 400, 'CSP_ERR_MALFORMED_XML'],
    ['not UTF-8', () => refused(Buffer.from([0x3c, 0x61, 0xff, 0x3e])), 400, 'CSP_ERR_MALFORMED_XML'],
    [
      'XML bomb (internal DTD subset with entities)',
      () =>
        refused(
          `<?xml version="1.0"?><!DOCTYPE WV-CSP-Message [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>${message(
            '<Polling-Request/>',
          )
            .replace(/^<\?xml[^>]*\?>/, '')
            .replace('s1', '&b;')}`,
        ),
      400,
      'CSP_ERR_DTD_FORBIDDEN',
    ],
    [
      'undeclared entity reference',
      () => refused(message('<Polling-Request/>').replace('s1', '&xxe;')),
      400,
      'CSP_ERR_DTD_FORBIDDEN',
    ],
    [
      'external DOCTYPE pointing at a local file with a subset',
      () =>
        refused(
          `<!DOCTYPE WV-CSP-Message SYSTEM "file:///etc/passwd" [<!ENTITY x SYSTEM "file:///etc/passwd">]>${message('<Polling-Request/>').replace(/^<\?xml[^>]*\?>/, '')}`,
        ),
      400,
      'CSP_ERR_DTD_FORBIDDEN',
    ],
    [
      'oversized body',
      () => refused(message(`<Polling-Request/>${' '.repeat(300_000)}`)),
      400,
      'CSP_ERR_BODY_TOO_LARGE',
    ],
    [
      'oversized body, own limit',
      () => refused(message('<Polling-Request/>'), undefined, { maxBytes: 100 }),
      400,
      'CSP_ERR_BODY_TOO_LARGE',
    ],
    [
      'nesting too deep',
      () => refused(message(`${'<ExtBlock>'.repeat(60)}${'</ExtBlock>'.repeat(60)}`)),
      400,
      'CSP_ERR_TOO_DEEP',
    ],
    [
      'unsupported media type',
      () => refused(message('<Polling-Request/>'), 'text/plain'),
      415,
      'CSP_ERR_UNSUPPORTED_MEDIA_TYPE',
    ],
    ['root is not WV-CSP-Message', () => refused(`<presence xmlns="${CSP12}"/>`), 400, 'CSP_ERR_NOT_CSP'],
    [
      'no CSP namespace',
      () => refused('<WV-CSP-Message><Session/></WV-CSP-Message>'),
      400,
      'CSP_ERR_NOT_CSP',
    ],
    [
      'wrong version: CSP 1.4',
      () => refused(message('<Polling-Request/>', 'http://www.openmobilealliance.org/DTD/IMPS-CSP1.4')),
      505,
      'CSP_ERR_VERSION_NOT_SUPPORTED',
    ],
    [
      'wrong version: TRC 1.1 inside CSP 1.2',
      () => refused(message('<Polling-Request/>', CSP12, 'http://www.wireless-village.org/TRC1.1')),
      505,
      'CSP_ERR_VERSION_NOT_SUPPORTED',
    ],
    ['no Session', () => refused(`<WV-CSP-Message xmlns="${CSP12}"/>`), 400, 'CSP_ERR_BAD_ENVELOPE'],
    [
      'bad SessionType',
      () => refused(message('<Polling-Request/>').replace('Inband', 'Sideband')),
      400,
      'CSP_ERR_BAD_ENVELOPE',
    ],
    [
      'bad TransactionMode',
      () => refused(message('<Polling-Request/>').replace('>Request<', '>Ask<')),
      400,
      'CSP_ERR_BAD_ENVELOPE',
    ],
    ['empty TransactionContent', () => refused(message('')), 400, 'CSP_ERR_NO_PRIMITIVE'],
    [
      'two primitives',
      () => refused(message('<Polling-Request/><Logout-Request/>')),
      400,
      'CSP_ERR_BAD_ENVELOPE',
    ],
    ['unknown primitive', () => refused(message('<Teleport-Request/>')), 405, 'CSP_ERR_UNKNOWN_PRIMITIVE'],
    [
      'primitive in a foreign namespace',
      () => refused(message('<Polling-Request xmlns="urn:other"/>')),
      405,
      'CSP_ERR_UNKNOWN_PRIMITIVE',
    ],
    [
      'bad integer',
      () => refused(message('<KeepAlive-Request><TimeToLive>soon</TimeToLive></KeepAlive-Request>')),
      402,
      'CSP_ERR_BAD_PARAMETER',
    ],
    [
      'bad boolean',
      () =>
        refused(message('<SendMessage-Request><DeliveryReport>yes</DeliveryReport></SendMessage-Request>')),
      402,
      'CSP_ERR_BAD_PARAMETER',
    ],
    [
      'wrong version: WBXML public id 0x13 without xmlns',
      () => refused(Buffer.from('03136a00496d0101', 'hex'), 'application/vnd.wv.csp.wbxml'),
      505,
      'CSP_ERR_VERSION_NOT_SUPPORTED',
    ],
    [
      'wrong version: WBXML xmlns CSP1.4',
      () => refused(Buffer.from('03126a00c90b03312e3400016d0101', 'hex'), 'application/vnd.wv.csp.wbxml'),
      505,
      'CSP_ERR_VERSION_NOT_SUPPORTED',
    ],
    [
      'malformed WBXML',
      () => refused(Buffer.from('03116a00c9', 'hex'), 'application/vnd.wv.csp.wbxml'),
      400,
      'CSP_ERR_MALFORMED_WBXML',
    ],
    [
      'unsupported WBXML',
      () => refused(Buffer.from('05116a0049', 'hex'), 'application/vnd.wv.csp.wbxml'),
      400,
      'CSP_ERR_UNSUPPORTED_WBXML',
    ],
  ];
  for (const [label, run, code, name] of cases) {
    test(`${label} -> ${code}`, () => {
      const status = run();
      assert.equal(status.code, code);
      assert.equal(status.name, name);
    });
  }
  test('a DOCTYPE without internal subset (CSP 1.1 examples, libwbxml) is accepted, not fetched', () => {
    const doc = `<?xml version="1.0"?>\n<!DOCTYPE WV-CSP-Message PUBLIC "-//OMA//DTD WV-CSP 1.2//EN" "http://www.openmobilealliance.org/DTD/WV-CSP.DTD">\n${message('<Polling-Request/>').replace(/^<\?xml[^>]*\?>/, '')}`;
    const r = decodeCsp(doc, 'application/vnd.wv.csp.xml');
    assert.ok(r.ok);
  });
  test('content type is sniffed when absent', () => {
    assert.ok(decodeCsp(message('<Polling-Request/>')).ok);
    assert.ok(decodeCsp(Buffer.from('03116a00c9080331', 'hex')).ok === false);
  });
  test('never throws on arbitrary input', () => {
    for (const input of [
      Buffer.alloc(0),
      Buffer.from([0]),
      Buffer.from('<'),
      Buffer.from([3, 0x80, 0x80, 0x80, 0x80, 0x80]),
    ]) {
      for (const ct of ['application/vnd.wv.csp.xml', 'application/vnd.wv.csp.wbxml', '', undefined]) {
        const r = decodeCsp(input, ct);
        assert.equal(r.ok, false);
      }
    }
  });
});
