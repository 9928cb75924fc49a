import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildMultipartRelated,
  buildRlsNotifyBody,
  parseMultipartRelated,
  parseRlsNotifyBody,
  rootPart,
} from '../../../../../domains/simple/payloads/multipart-related.ts';
import type { RlmiList } from '../../../../../domains/simple/payloads/rlmi.ts';

// Shaped on the RFC 4662 §6 NOTIFY body (LF line ends are accepted too; CRLF is what we write).
const CT =
  'multipart/related;type="application/rlmi+xml";start="<nXYxAE@pres.vancouver.example.com>";boundary="50UBfW7LSCVLtggUPe5z"';
const BODY = [
  '--50UBfW7LSCVLtggUPe5z',
  'Content-Transfer-Encoding: binary',
  'Content-ID: <nXYxAE@pres.vancouver.example.com>',
  'Content-Type: application/rlmi+xml;charset="UTF-8"',
  '',
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<list xmlns="urn:ietf:params:xml:ns:rlmi" uri="sip:adam-friends@pres.vancouver.example.com" version="1" fullState="true">',
  '  <resource uri="sip:bob@vancouver.example.com"><instance id="juwigmtboe" state="active" cid="bUZBsM@pres.vancouver.example.com"/></resource>',
  '</list>',
  '--50UBfW7LSCVLtggUPe5z',
  'Content-Transfer-Encoding: binary',
  'Content-ID: <bUZBsM@pres.vancouver.example.com>',
  'Content-Type: application/pidf+xml;charset="UTF-8"',
  '',
  '<?xml version="1.0" encoding="UTF-8"?>',
  '<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:bob@vancouver.example.com"><tuple id="r1"><status><basic>open</basic></status></tuple></presence>',
  '--50UBfW7LSCVLtggUPe5z--',
  '',
].join('\r\n');

describe('multipart/related', () => {
  it('parses the RFC 4662 NOTIFY body, finds the root by start, indexes parts by cid', () => {
    const r = parseRlsNotifyBody(CT, Buffer.from(BODY));
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    assert.equal(r.value.rlmi.version, 1);
    const cid = r.value.rlmi.resources[0]?.instances[0]?.cid;
    assert.ok(cid);
    const part = r.value.parts.get(cid);
    assert.match(part?.body.toString() ?? '', /^<\?xml[\s\S]*<\/presence>$/);
  });

  it('accepts LF-only line ends and a preamble', () => {
    const lf = `This is a preamble\n${BODY.replaceAll('\r\n', '\n')}`;
    const r = parseMultipartRelated(CT, Buffer.from(lf));
    assert.ok(r.ok, r.ok ? '' : r.error.message);
    assert.equal(r.value.parts.length, 2);
    assert.equal(rootPart(r.value), r.value.parts[0]);
  });

  it('builds an RLS NOTIFY body that parses back to the same parts, bytes intact', () => {
    const rlmi: RlmiList = {
      uri: 'sip:buddies@domain2.example',
      version: 3,
      fullState: false,
      names: [],
      resources: [
        {
          uri: 'sip:harry@domain1.example',
          names: [],
          instances: [{ id: 'i1', state: 'active', cid: 'c1@lab', extensions: [] }],
        },
      ],
    };
    const binary = Buffer.from([0, 1, 2, 0x0d, 0x0a, 0x2d, 0x2d, 255]);
    const built = buildRlsNotifyBody({
      rlmi,
      rlmiCid: 'root@lab',
      parts: [{ cid: 'c1@lab', contentType: 'application/pidf+xml', body: binary }],
      boundary: 'b0undary',
    });
    assert.ok(built.ok);
    assert.equal(
      built.value.contentType,
      'multipart/related;type="application/rlmi+xml";start="<root@lab>";boundary=b0undary',
    );
    const back = parseRlsNotifyBody(built.value.contentType, built.value.body);
    assert.ok(back.ok, back.ok ? '' : back.error.message);
    assert.deepEqual(back.value.rlmi, rlmi);
    assert.deepEqual(back.value.parts.get('c1@lab')?.body, binary);
  });

  it('refuses a boundary inside a part, bad boundaries, truncated bodies, a missing root', () => {
    const collide = buildMultipartRelated({
      boundary: 'abc',
      parts: [{ headers: [], body: Buffer.from('x\r\n--abc') }],
    });
    assert.equal(collide.ok ? 'ok' : collide.error.code, 'PAYLOAD_ERR_MALFORMED_MIME');
    assert.equal(buildMultipartRelated({ boundary: 'x'.repeat(71), parts: [] }).ok, false);
    const cases: Array<[string, string]> = [
      ['text/plain', BODY],
      ['multipart/related', BODY],
      [CT, BODY.replace('--50UBfW7LSCVLtggUPe5z--', '')],
      [CT, BODY.replace('Content-ID: <nXYxAE@pres.vancouver.example.com>', 'Content-ID: <other@x>')],
      [CT, BODY.replace('Content-Type: application/rlmi+xml;charset="UTF-8"\r\n', 'Bad Header\r\n')],
      [CT, 'no delimiters here'],
    ];
    for (const [ct, body] of cases) {
      const r = parseRlsNotifyBody(ct, Buffer.from(body));
      assert.equal(r.ok ? 'ok' : r.error.code, 'PAYLOAD_ERR_MALFORMED_MIME', `${ct} / ${body.slice(0, 40)}`);
    }
    const big = parseMultipartRelated(CT, Buffer.from(BODY), { maxBytes: 100 });
    assert.equal(big.ok ? 'ok' : big.error.sipStatus, 413);
    const many = parseMultipartRelated(CT, Buffer.from(BODY), { maxParts: 1 });
    assert.equal(many.ok ? 'ok' : many.error.code, 'PAYLOAD_ERR_TOO_LARGE');
  });
});
