// Round trips over EVERY message of imps-samples: XML -> model -> XML and XML -> model -> WBXML
// -> model -> XML give the same tree; XML/WBXML twins decode to the same message; answers go
// back in another version with the right namespaces and Poll placement.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseXml } from '../../../../../common/xml/parse.ts';
import { cspMessageTree, decodeCsp, encodeCsp } from '../../../../../domains/imps/csp/csp-codec.ts';
import { CSP_NAMESPACES } from '../../../../../domains/imps/csp/csp-version.ts';
import type { CspMessage } from '../../../../../domains/imps/csp/model/envelope.ts';
import { isPrimitive, primitive } from '../../../../../domains/imps/csp/model/primitives.ts';
import { diffXmlTrees } from '../../../../../domains/imps/csp/xml-tree-diff.ts';
import { wbxmlVectors, withoutDoctype, xmlSamples } from './samples.ts';

// The XML twins of the WBXML vectors that are not whole CSP messages (Android unit-test fragments:
// no Session, no SessionDescriptor or no Transaction) or not well-formed XML, with the status
// decodeCsp must answer. Their trees are still checked in wbxml-decoder.test.ts.
const NOT_MESSAGES: Record<string, number> = {
  'wbxml-vectors/encoder__big_entity.xml': 400,
  'wbxml-vectors/encoder__invalid_entity.xml': 400,
  'wbxml-vectors/encoder__simple2_csp11.xml': 400,
  'wbxml-vectors/encoder__simple_content.xml': 400,
  'wbxml-vectors/encoder__simple_csp12.xml': 400,
  'wbxml-vectors/encoder__simple_datetime.xml': 400,
  'wbxml-vectors/encoder__simple_integer.xml': 400,
  'wbxml-vectors/encoder__simple_switch_page.xml': 400,
  'wbxml-vectors/parser__big_entity.xml': 400,
  'wbxml-vectors/parser__invalid_entity.xml': 400,
  'wbxml-vectors/parser__literal.xml': 400,
  'wbxml-vectors/parser__simple.xml': 400,
  'wbxml-vectors/parser__simple2.xml': 400,
  'wbxml-vectors/parser__simple3.xml': 400,
  'wbxml-vectors/parser__simple_nocontent.xml': 400,
};

const samples = xmlSamples();

describe('every XML sample round-trips through the model', () => {
  test('corpus size', () => {
    assert.equal(samples.length, 178);
    assert.equal(samples.length - Object.keys(NOT_MESSAGES).length, 163);
  });
  for (const s of samples) {
    test(s.id, () => {
      const r = decodeCsp(s.bytes, 'application/vnd.wv.csp.xml');
      const expectedError = NOT_MESSAGES[s.id];
      if (expectedError !== undefined) {
        assert.equal(r.ok, false);
        assert.equal(!r.ok && r.status.code, expectedError);
        return;
      }
      assert.ok(r.ok, r.ok ? '' : r.status.description);
      const source = parseXml(withoutDoctype(s.bytes));
      assert.ok(source.ok);
      // XML -> model -> XML: the same tree (leading/trailing blanks of values are normalised).
      const xml = encodeCsp(r.message, { version: r.message.version, encoding: 'xml' });
      const back = parseXml(xml.body);
      assert.ok(back.ok);
      assert.equal(diffXmlTrees(source.root, back.root, { trimText: true }), undefined);
      // XML -> model -> WBXML -> model -> XML: the same tree again.
      const wbxml = encodeCsp(r.message, { version: r.message.version, encoding: 'wbxml' });
      const w = decodeCsp(wbxml.body, wbxml.contentType);
      assert.ok(w.ok, w.ok ? '' : w.status.description);
      assert.equal(w.message.encoding, 'wbxml');
      assert.equal(w.message.version, r.message.version);
      assert.equal(diffXmlTrees(source.root, cspMessageTree(w.message), { trimText: true }), undefined);
      // WBXML -> model -> WBXML is byte-stable.
      assert.ok(
        encodeCsp(w.message, { version: w.message.version, encoding: 'wbxml' }).body.equals(wbxml.body),
      );
    });
  }
});

describe('XML and WBXML twins decode to the same message', () => {
  for (const v of wbxmlVectors()) {
    if (v.xml === undefined) continue;
    const x = decodeCsp(v.xml, 'application/vnd.wv.csp.xml');
    if (!x.ok) continue;
    test(v.name, () => {
      const w = decodeCsp(v.bytes, 'application/vnd.wv.csp.wbxml');
      assert.ok(w.ok, w.ok ? '' : w.status.description);
      assert.equal(w.message.version, x.message.version);
      assert.equal(
        diffXmlTrees(cspMessageTree(x.message), cspMessageTree(w.message), { trimText: true }),
        undefined,
      );
    });
  }
});

function sample(id: string) {
  const s = samples.find((x) => x.id === id);
  assert.ok(s, id);
  const r = decodeCsp(s.bytes, 'application/vnd.wv.csp.xml');
  assert.ok(r.ok, r.ok ? '' : r.status.description);
  return r.message;
}

describe('typed model', () => {
  test('Login-Request (real CSP 1.1 handset)', () => {
    const m = sample('real-client-csp11/01-Login-Request.xml');
    assert.equal(m.version, '1.1');
    assert.equal(m.envelope.sessionType, 'Outband');
    assert.equal(m.envelope.transactions[0]!.mode, 'Request');
    assert.ok(isPrimitive(m.primitive, 'Login-Request'));
    assert.equal(m.primitive.body.userId, 'wv:renge');
    assert.equal(m.primitive.body.password, 'lol');
    assert.equal(m.primitive.body.timeToLive, 600);
    assert.equal(m.primitive.body.clientId?.url, '*5bhCbPZd\\\\');
  });
  test('UpdatePresence-Request (Colibria CSP 1.2) keeps the vendor PA extension in place', () => {
    const m = sample('real-client-csp12-colibria/03-UpdatePresence-Request.xml');
    assert.equal(m.version, '1.2');
    assert.ok(isPrimitive(m.primitive, 'UpdatePresence-Request'));
    const pa = m.primitive.body.presenceSubList!;
    assert.equal(pa.onlineStatus?.qualifier, true);
    assert.equal(pa.clientInfo?.clientType, 'COMPUTER');
    assert.equal(pa.clientInfo?.$extensions?.[0]?.ns, 'http://imps.colibria.com/PA-ext-1.2');
    assert.deepEqual(pa.commCap?.commC, [{ cap: 'IM', status: 'OPEN' }]);
    assert.equal(pa.userAvailability?.presenceValue, 'AVAILABLE');
    assert.equal(m.envelope.$attributes?.length, 2);
  });
  test('Status with DetailedResult (Android CSP 1.3 vector)', () => {
    const w = decodeCsp(
      wbxmlVectors().find((v) => v.name === 'encoder__statusprim')!.bytes,
      'application/vnd.wv.csp+wbxml',
    );
    assert.ok(w.ok);
    assert.equal(w.message.version, '1.3');
    assert.equal(w.message.envelope.poll, false);
    assert.ok(isPrimitive(w.message.primitive, 'Status'));
    const result = w.message.primitive.body.result!;
    assert.equal(result.code, 201);
    assert.deepEqual(
      result.detailedResults?.map((d) => [d.code, d.userIds]),
      [
        [531, ['wv:bad_user1@im.com', 'wv:bad_user2@im.com']],
        [532, ['wv:bad_user3@im.com', 'wv:bad_user4@im.com']],
      ],
    );
  });
  test('PresenceNotification-Request (CSP 1.1 example 040)', () => {
    const m = sample('csp11-spec-examples/040-PresenceNotification-Request-Request.xml');
    assert.ok(isPrimitive(m.primitive, 'PresenceNotification-Request'));
    const presences = m.primitive.body.presences!;
    assert.ok(presences.length >= 1);
    assert.ok(presences[0]!.presenceSubLists!.length >= 1);
  });
  test('groups and search stay generic primitives holding their element', () => {
    const m = sample('csp11-spec-examples/104-JoinGroup-Request-Request.xml');
    assert.equal(m.primitive.name, 'JoinGroup-Request');
    assert.ok('generic' in m.primitive);
  });
  test('SendMessage-Request: MessageInfo in the sender order (Android vector) is kept', () => {
    const w = decodeCsp(wbxmlVectors().find((v) => v.name === 'parser__sendmsgreq1')!.bytes, 'wbxml');
    assert.ok(w.ok && isPrimitive(w.message.primitive, 'SendMessage-Request'));
    const info = w.message.primitive.body.messageInfo!;
    assert.equal(info.contentSize, 5);
    assert.equal(info.dateTime, '20070625T055652Z');
    assert.deepEqual(info.$layout, ['recipient', 'sender', 'dateTime', 'contentSize']);
    assert.equal(w.message.primitive.body.contentData, 'Today \u00a0Today');
  });
});

describe('answers go back in the version the client speaks', () => {
  test('1.1 -> 1.2: namespaces follow, Poll moves from TransactionDescriptor to Session', () => {
    const m = sample('csp11-spec-examples/001-Status-Response.xml');
    m.envelope.transactions[0]!.poll = true;
    const xml = encodeCsp(m, { version: '1.2', encoding: 'xml' });
    assert.equal(xml.contentType, 'application/vnd.wv.csp.xml');
    const text = xml.body.toString();
    assert.ok(text.includes(`xmlns="${CSP_NAMESPACES['1.2'].csp}"`));
    assert.ok(text.includes(`xmlns="${CSP_NAMESPACES['1.2'].trc}"`));
    assert.ok(!text.includes('wireless-village'));
    assert.match(text, /<\/Transaction><Poll>T<\/Poll><\/Session>/);
    const again = decodeCsp(xml.body, xml.contentType);
    assert.ok(again.ok && again.message.version === '1.2' && again.message.envelope.poll === true);
  });
  test('1.2 -> 1.1: Poll goes into the TransactionDescriptor', () => {
    const w = decodeCsp(wbxmlVectors().find((v) => v.name === 'encoder__statusprim')!.bytes, 'wbxml');
    assert.ok(w.ok);
    const out = encodeCsp(w.message, { version: '1.1', encoding: 'xml' }).body.toString();
    assert.match(
      out,
      /<TransactionID>IMApp01#12345@NOK5110<\/TransactionID><Poll>F<\/Poll><\/TransactionDescriptor>/,
    );
  });
  test('PresenceSubList namespace follows the version (1.1 -> 1.3 in WBXML: attribute token 0x0C)', () => {
    const m = sample('csp11-spec-examples/054-UpdatePresence-Request-Request.xml');
    const out = encodeCsp(m, { version: '1.3', encoding: 'wbxml' });
    assert.equal(out.contentType, 'application/vnd.wv.csp+wbxml');
    assert.equal(out.body[1], 0x12);
    assert.ok(out.body.includes(Buffer.from('0c03312e3300', 'hex')));
    const back = decodeCsp(out.body, out.contentType);
    assert.ok(back.ok && back.message.version === '1.3');
  });
});

describe('the docs/imps-csp.md example', () => {
  test('decode a Login-Request, answer Status 200 in the same version and encoding', () => {
    const login = xmlSamples(['real-client-csp11']).find((s) => s.id.endsWith('01-Login-Request.xml'))!;
    for (const [body, type] of [
      [login.bytes, 'application/vnd.wv.csp.xml'],
      [
        encodeCsp(sample(login.id), { version: '1.1', encoding: 'wbxml' }).body,
        'application/vnd.wv.csp.wbxml',
      ],
    ] as const) {
      const r = decodeCsp(body, type);
      assert.ok(r.ok);
      const { version, encoding, envelope, primitive: p } = r.message;
      assert.ok(isPrimitive(p, 'Login-Request') && p.body.userId === 'wv:renge');
      const status = primitive('Status', { result: { code: 200, description: 'Successful' } });
      const answer: CspMessage = {
        version,
        encoding,
        envelope: {
          sessionType: 'Inband',
          sessionId: envelope.sessionId,
          transactions: [
            { mode: 'Response', transactionId: envelope.transactions[0]!.transactionId, primitive: status },
          ],
          poll: false,
        },
        primitive: status,
      };
      const { body: out, contentType } = encodeCsp(answer, { version, encoding });
      assert.equal(contentType, type);
      const back = decodeCsp(out, contentType);
      assert.ok(back.ok && isPrimitive(back.message.primitive, 'Status'));
      assert.equal(back.message.primitive.body.result?.code, 200);
      assert.equal(back.message.envelope.transactions[0]!.transactionId, '2');
      assert.equal(back.message.envelope.transactions[0]!.poll, false);
    }
  });
});

describe('input split across chunks', () => {
  test('every CSP sample, XML and WBXML, cut into 1..7-byte chunks, decodes to the same message', () => {
    let checked = 0;
    for (const s of samples) {
      if (NOT_MESSAGES[s.id] !== undefined) continue;
      const whole = decodeCsp(s.bytes, 'application/vnd.wv.csp.xml');
      assert.ok(whole.ok);
      const wbxml = encodeCsp(whole.message, { version: whole.message.version, encoding: 'wbxml' }).body;
      for (const [bytes, type] of [
        [s.bytes, 'application/vnd.wv.csp.xml'],
        [wbxml, 'application/vnd.wv.csp.wbxml'],
      ] as const) {
        const chunks: Buffer[] = [];
        for (let at = 0, n = 1; at < bytes.length; at += n, n = (n % 7) + 1)
          chunks.push(bytes.subarray(at, at + n));
        const r = decodeCsp(chunks, type);
        assert.ok(r.ok, s.id);
        assert.equal(diffXmlTrees(cspMessageTree(r.message), cspMessageTree(whole.message)), undefined);
        checked++;
      }
    }
    assert.equal(checked, 326);
  });
  test('the size limit holds for chunked input', () => {
    const r = decodeCsp(
      [Buffer.alloc(200_000, 0x20), Buffer.alloc(200_000, 0x20)],
      'application/vnd.wv.csp.xml',
    );
    assert.ok(!r.ok && r.status.name === 'CSP_ERR_BODY_TOO_LARGE');
  });
});
