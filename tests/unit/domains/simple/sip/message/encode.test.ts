import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeSipMessage } from '../../../../../../domains/simple/sip/message/decode.ts';
import { encodeSipMessage } from '../../../../../../domains/simple/sip/message/encode.ts';
import { Params } from '../../../../../../domains/simple/sip/message/params.ts';
import {
  SipHeaders,
  SipRequest,
  SipResponse,
} from '../../../../../../domains/simple/sip/message/sip-message.ts';

function request(body = Buffer.alloc(0)): SipRequest {
  const headers = new SipHeaders()
    .append('v', 'SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKabc')
    .append('max-forwards', '70')
    .append('f', '<sip:harry@domain1.example>;tag=1')
    .append('t', '<sip:jane@domain2.example>')
    .append('i', 'cid-1@127.0.0.1')
    .append('CSEQ', '1 MESSAGE')
    .append('X-Custom', 'kept as written');
  return new SipRequest(
    'MESSAGE',
    { scheme: 'sip', user: 'jane', host: 'domain2.example', params: new Params(), headers: [] },
    headers,
    body,
  );
}

describe('encodeSipMessage', () => {
  test('canonical names, Content-Length appended with the byte length', () => {
    const text = encodeSipMessage(request(Buffer.from('hé ✓'))).toString('utf8');
    assert.equal(
      text,
      [
        'MESSAGE sip:jane@domain2.example SIP/2.0',
        'Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKabc',
        'Max-Forwards: 70',
        'From: <sip:harry@domain1.example>;tag=1',
        'To: <sip:jane@domain2.example>',
        'Call-ID: cid-1@127.0.0.1',
        'CSeq: 1 MESSAGE',
        'X-Custom: kept as written',
        'Content-Length: 7',
        '',
        'hé ✓',
      ].join('\r\n'),
    );
  });

  test('a stale Content-Length is replaced in place, duplicates dropped', () => {
    const m = request(Buffer.from('abc'));
    m.headers.append('Content-Length', '999').append('l', '5').append('Subject', 'x');
    const text = encodeSipMessage(m).toString('latin1');
    assert.ok(text.includes('Content-Length: 3\r\nSubject: x\r\n\r\nabc'));
    assert.equal(text.split('Content-Length').length, 2);
  });

  test('CR/LF inside a value cannot split the header', () => {
    const m = request();
    m.headers.append('Subject', 'evil\r\nInjected: yes');
    const decoded = decodeSipMessage(encodeSipMessage(m));
    assert.ok(decoded.ok);
    assert.equal(decoded.message.headers.get('Subject'), 'evil Injected: yes');
    assert.equal(decoded.message.headers.has('Injected'), false);
  });

  test('responses: status line with UTF-8 and empty reason phrases', () => {
    const headers = new SipHeaders().append('Via', 'SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKx');
    const head = (r: SipResponse) => encodeSipMessage(r).toString('utf8').split('\r\n')[0];
    assert.equal(head(new SipResponse(200, 'Très bien', headers)), 'SIP/2.0 200 Très bien');
    assert.equal(head(new SipResponse(100, '', headers)), 'SIP/2.0 100 ');
  });

  test('encode → decode gives the same message', () => {
    const m = request(Buffer.from([0, 1, 2, 255]));
    const r = decodeSipMessage(encodeSipMessage(m));
    assert.ok(r.ok && r.message.kind === 'request');
    assert.equal(r.message.method, 'MESSAGE');
    assert.deepEqual(r.message.cseq, { seq: 1, method: 'MESSAGE' });
    assert.ok(r.message.body.equals(m.body));
  });
});
