import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeSipMessage } from '../../../../../../domains/simple/sip/message/decode.ts';
import type { SipRequest } from '../../../../../../domains/simple/sip/message/sip-message.ts';
import { SipHeaders } from '../../../../../../domains/simple/sip/message/sip-message.ts';
import { formatUri } from '../../../../../../domains/simple/sip/message/uri-codec.ts';

const TEXT = [
  'SUBSCRIBE sip:jane@domain2.example SIP/2.0',
  'Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1',
  'Max-Forwards: 70',
  'From: <sip:harry@domain1.example>;tag=h1',
  'To: <sip:jane@domain2.example>',
  'Call-ID: c1@127.0.0.1',
  'CSeq: 1 SUBSCRIBE',
  'Contact: <sip:harry@127.0.0.1:5070>',
  'Record-Route: <sip:p1.example;lr>, <sip:p2.example;lr>',
  'Expires: 3600',
  'Content-Length: 0',
  '',
  '',
].join('\r\n');

function decoded(): SipRequest {
  const r = decodeSipMessage(Buffer.from(TEXT));
  if (!r.ok || r.message.kind !== 'request') assert.fail('decode');
  return r.message;
}

describe('SipMessage getters over decoded messages', () => {
  test('structured views', () => {
    const m = decoded();
    assert.equal(m.topVia?.params.get('branch'), 'z9hG4bK-1');
    assert.equal(m.fromTag, 'h1');
    assert.equal(m.toTag, undefined);
    assert.deepEqual(m.cseq, { seq: 1, method: 'SUBSCRIBE' });
    assert.equal(m.maxForwards, 70);
    assert.equal(m.expires, 3600);
    assert.deepEqual(
      m.recordRoutes.map((r) => formatUri(r.uri)),
      ['sip:p1.example;lr', 'sip:p2.example;lr'],
    );
    assert.deepEqual(m.routes, []);
    assert.equal(formatUri(m.contacts[0]!.uri), 'sip:harry@127.0.0.1:5070');
  });

  test('changing the headers drops the parses seeded by decode', () => {
    const m = decoded();
    assert.equal(m.vias.length, 1);
    m.headers.prepend('Via', 'SIP/2.0/TCP 127.0.0.2:5060;branch=z9hG4bK-2');
    assert.equal(m.vias.length, 2);
    assert.equal(m.topVia?.host, '127.0.0.2');
    m.headers.set('To', '<sip:jane@domain2.example>;tag=j9');
    assert.equal(m.toTag, 'j9');
    m.headers.set('Max-Forwards', '69');
    assert.equal(m.maxForwards, 69);
  });

  test('getters parse on first use what decode only checked, folded and compact forms included', () => {
    const text = [
      'NOTIFY sip:harry@127.0.0.1:5070 SIP/2.0',
      'v: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-top, SIP/2.0/TCP 127.0.0.3;branch=z9hG4bK-2',
      'Via: SIP/2.0/UDP',
      ' 127.0.0.4;branch=z9hG4bK-3',
      'f: "Jane" <sip:jane@domain2.example>;tag=j1',
      'To: <sip:harry@domain1.example>',
      '  ;tag=h1',
      'i: c2@127.0.0.1',
      'CSeq: 3 NOTIFY',
      'm: <sip:jane@127.0.0.1:5060>;q=0.5, <sip:jane@127.0.0.2>',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    const r = decodeSipMessage(Buffer.from(text));
    if (!r.ok) assert.fail(r.error.code);
    const m = r.message;
    assert.equal(m.topVia?.params.get('branch'), 'z9hG4bK-top');
    assert.deepEqual(
      m.vias.map((v) => `${v.transport} ${v.host}`),
      ['UDP 127.0.0.1', 'TCP 127.0.0.3', 'UDP 127.0.0.4'],
    );
    assert.equal(m.topVia, m.vias[0], 'once the list is parsed, topVia is its first element');
    assert.equal(m.from.displayName, 'Jane');
    assert.equal(m.fromTag, 'j1');
    assert.equal(m.toTag, 'h1');
    assert.equal(m.callId, 'c2@127.0.0.1');
    assert.deepEqual(
      m.contacts.map((c) => formatUri(c.uri)),
      ['sip:jane@127.0.0.1:5060', 'sip:jane@127.0.0.2'],
    );
  });

  test('getters follow the headers once they change (no stale in-place parse)', () => {
    const m = decoded();
    m.headers.set('From', '"Other" <sip:other@domain1.example>;tag=o2');
    assert.equal(m.from.displayName, 'Other');
    assert.equal(m.fromTag, 'o2');
    m.headers.append('Contact', '<sip:harry@127.0.0.9>');
    assert.deepEqual(
      m.contacts.map((c) => formatUri(c.uri)),
      ['sip:harry@127.0.0.1:5070', 'sip:harry@127.0.0.9'],
    );
    m.headers.delete('Record-Route');
    assert.deepEqual(m.recordRoutes, []);
    m.headers.set('Via', 'SIP/2.0/TCP 127.0.0.7;branch=z9hG4bK-7');
    assert.equal(m.topVia?.host, '127.0.0.7');
    assert.deepEqual(
      m.vias.map((v) => v.host),
      ['127.0.0.7'],
    );
  });

  test('a replaced SipHeaders object drops every parse and the decoded text spans', () => {
    const m = decoded();
    assert.equal(m.fromTag, 'h1');
    const other = new SipHeaders([
      { name: 'Via', value: 'SIP/2.0/UDP 127.0.0.5:5060;branch=z9hG4bK-5' },
      { name: 'From', value: '<sip:x@domain9.example>;tag=x9' },
      { name: 'To', value: '<sip:y@domain9.example>' },
    ]);
    m.headers = other; // same version (0) as the decoded headers
    assert.equal(m.fromTag, 'x9');
    assert.equal(formatUri(m.from.uri), 'sip:x@domain9.example');
    assert.equal(m.topVia?.host, '127.0.0.5');
    assert.deepEqual(m.contacts, []);
  });

  test('header lookups ignore case and expand compact forms', () => {
    const h = new SipHeaders().append('x-foo', '1').append('i', 'abc');
    assert.equal(h.get('X-Foo'), '1');
    assert.equal(h.get('call-id'), 'abc');
    assert.equal(h.has('I'), true);
    assert.deepEqual(h.getList('Supported'), []);
  });
});
