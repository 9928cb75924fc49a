import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sampleNotify } from '../../../../../../bench/sip/codec-bench.ts';
import { decodeSipMessage } from '../../../../../../domains/simple/sip/message/decode.ts';
import { encodeSipMessage } from '../../../../../../domains/simple/sip/message/encode.ts';
import type { SipMessage } from '../../../../../../domains/simple/sip/message/sip-message.ts';
import { torture, tortureNames } from './torture-corpus.ts';

// encode copies a decoded message's bytes while nothing changed and they were already in its
// encoding; these tests hold that copy to what the field-by-field writer produces.

function decoded(bytes: Buffer, datagram = false): SipMessage {
  const r = decodeSipMessage(bytes, { datagram });
  assert.ok(r.ok, r.ok ? '' : r.error.code);
  return r.message;
}

/** The field-by-field encoding: a header version bump makes the decoded image stale. */
function written(msg: SipMessage): Buffer {
  msg.headers.version++;
  return encodeSipMessage(msg);
}

describe('encode of an unchanged decoded message', () => {
  test('the sample NOTIFY re-encodes to its own bytes, as the writer would', () => {
    const bytes = sampleNotify();
    const out = encodeSipMessage(decoded(bytes));
    assert.deepEqual(out, bytes);
    assert.deepEqual(out, written(decoded(bytes)));
    out[0] = 0x21;
    assert.equal(bytes[0], 0x4e, 'a copy, not a view of the input');
  });

  test('every decodable RFC 4475 message encodes as the writer would', () => {
    let compared = 0;
    for (const name of tortureNames()) {
      for (const datagram of [false, true]) {
        const r = decodeSipMessage(torture(name), { datagram });
        if (!r.ok) continue;
        const again = decodeSipMessage(torture(name), { datagram });
        assert.ok(again.ok);
        assert.deepEqual(encodeSipMessage(r.message), written(again.message), name);
        compared++;
      }
    }
    assert.ok(compared > 10, `only ${compared} messages compared`);
  });

  test('compact names, extra spaces, folding and leading CRLFs are written canonically', () => {
    const text =
      '\r\nOPTIONS sip:a@192.0.2.1 SIP/2.0\r\nv: SIP/2.0/UDP 192.0.2.2;branch=z9hG4bK1\r\n' +
      'Max-Forwards:70\r\nFrom: <sip:b@192.0.2.2>;tag=1 \r\nTo: <sip:a@192.0.2.1>\r\n' +
      'Call-ID: x\r\nCSeq: 1 OPTIONS\r\nSubject: a\r\n b\r\nContent-Length: 0\r\n\r\n';
    const out = encodeSipMessage(decoded(Buffer.from(text, 'latin1'))).toString('latin1');
    assert.equal(
      out,
      'OPTIONS sip:a@192.0.2.1 SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.2;branch=z9hG4bK1\r\n' +
        'Max-Forwards: 70\r\nFrom: <sip:b@192.0.2.2>;tag=1\r\nTo: <sip:a@192.0.2.1>\r\n' +
        'Call-ID: x\r\nCSeq: 1 OPTIONS\r\nSubject: a b\r\nContent-Length: 0\r\n\r\n',
    );
  });
});

describe('encode after a change', () => {
  const notify = (): SipMessage => decoded(sampleNotify());

  test('a header set through SipHeaders', () => {
    const m = notify();
    m.headers.set('Event', 'dialog');
    assert.match(encodeSipMessage(m).toString('latin1'), /\r\nEvent: dialog\r\n/);
  });

  test('a field value changed in place', () => {
    const m = notify();
    const event = m.headers.all[8] as { name: string; value: string };
    assert.equal(event.name, 'Event');
    event.value = 'dialog';
    assert.match(encodeSipMessage(m).toString('latin1'), /\r\nEvent: dialog\r\n/);
  });

  test('the Request-URI changed in place', () => {
    const m = notify();
    assert.equal(m.kind, 'request');
    if (m.kind !== 'request' || m.uri.scheme !== 'sip') return;
    (m.uri as { host: string }).host = '192.0.2.99';
    assert.match(
      encodeSipMessage(m).toString('latin1'),
      /^NOTIFY sip:harry@192\.0\.2\.99:5070;transport=udp SIP\/2\.0\r\n/,
    );
  });

  test('the method and the body replaced', () => {
    const m = notify();
    if (m.kind !== 'request') return assert.fail('request expected');
    m.method = 'PUBLISH';
    m.body = Buffer.from('x');
    const out = encodeSipMessage(m).toString('latin1');
    assert.match(out, /^PUBLISH /);
    assert.match(out, /\r\nContent-Length: 1\r\n\r\nx$/);
  });

  test('a response whose reason changed', () => {
    const bytes = Buffer.from(
      'SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.0.2.2;branch=z9hG4bK1\r\nFrom: <sip:b@192.0.2.2>;tag=1\r\n' +
        'To: <sip:a@192.0.2.1>;tag=2\r\nCall-ID: x\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n',
      'latin1',
    );
    const m = decoded(bytes);
    assert.deepEqual(encodeSipMessage(m), bytes);
    if (m.kind !== 'response') return assert.fail('response expected');
    m.reason = 'Fine';
    assert.match(encodeSipMessage(m).toString('latin1'), /^SIP\/2\.0 200 Fine\r\n/);
  });
});
