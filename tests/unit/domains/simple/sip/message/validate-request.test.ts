import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeSipMessage } from '../../../../../../domains/simple/sip/message/decode.ts';
import type { SipRequest } from '../../../../../../domains/simple/sip/message/sip-message.ts';
import {
  type UasRole,
  validateRequest,
} from '../../../../../../domains/simple/sip/message/validate-request.ts';

const ROLE: UasRole = {
  allow: ['SUBSCRIBE', 'NOTIFY', 'PUBLISH', 'MESSAGE', 'OPTIONS', 'ACK', 'BYE', 'CANCEL'],
  supported: ['eventlist'],
  accept: ['application/pidf+xml', 'text/*'],
};

function req(method: string, extra: string[] = [], body = ''): SipRequest {
  const text = [
    `${method} sip:jane@domain2.example SIP/2.0`,
    'Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1',
    'Max-Forwards: 70',
    'From: <sip:harry@domain1.example>;tag=h1',
    'To: <sip:jane@domain2.example>',
    'Call-ID: c1@127.0.0.1',
    `CSeq: 1 ${method}`,
    ...extra,
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
  const r = decodeSipMessage(Buffer.from(text));
  if (!r.ok || r.message.kind !== 'request') assert.fail(r.ok ? 'response' : r.error.code);
  return r.message;
}

describe('validateRequest', () => {
  test('a sound request passes', () => {
    assert.equal(
      validateRequest(req('SUBSCRIBE', ['Contact: <sip:h@127.0.0.1>', 'Event: presence']), ROLE),
      null,
    );
  });

  test('ACK is never answered', () => {
    assert.equal(validateRequest(req('ACK', ['Require: foo']), ROLE), null);
  });

  test('405 for a known method the role does not serve, 501 for an unknown one, both with Allow', () => {
    const r405 = validateRequest(req('INVITE'), ROLE);
    assert.equal(r405?.status, 405);
    assert.deepEqual(r405?.headers, [['Allow', ROLE.allow.join(', ')]]);
    assert.equal(validateRequest(req('FOO'), ROLE)?.status, 501);
  });

  test('Require: supported tags pass, case-insensitively; CANCEL ignores Require', () => {
    assert.equal(validateRequest(req('MESSAGE', ['Require: EventList']), ROLE), null);
    const r = validateRequest(req('MESSAGE', ['Require: eventlist, foo', 'Require: bar']), ROLE);
    assert.deepEqual(r?.headers, [['Unsupported', 'foo, bar']]);
    assert.equal(validateRequest(req('CANCEL', ['Require: foo']), ROLE), null);
  });

  test('Contact required for SUBSCRIBE/NOTIFY/REFER by default', () => {
    assert.equal(validateRequest(req('SUBSCRIBE'), ROLE)?.code, 'SIP_ERR_MISSING_CONTACT');
    assert.equal(validateRequest(req('SUBSCRIBE'), { ...ROLE, requireContactFor: [] }), null);
  });

  test('Max-Forwards required only when the role asks', () => {
    const text = req('MESSAGE');
    text.headers.delete('Max-Forwards');
    assert.equal(validateRequest(text, ROLE), null);
    assert.equal(
      validateRequest(text, { ...ROLE, requireMaxForwards: true })?.code,
      'SIP_ERR_MISSING_MAX_FORWARDS',
    );
  });

  test('bodies: Content-Type required, wildcards in accept, Content-Encoding', () => {
    assert.equal(validateRequest(req('MESSAGE', [], 'hi'), ROLE)?.code, 'SIP_ERR_MISSING_CONTENT_TYPE');
    assert.equal(
      validateRequest(req('MESSAGE', ['Content-Type: text/plain;charset=utf-8'], 'hi'), ROLE),
      null,
    );
    const r415 = validateRequest(req('MESSAGE', ['Content-Type: image/png'], 'hi'), ROLE);
    assert.equal(r415?.status, 415);
    assert.deepEqual(r415?.headers, [['Accept', 'application/pidf+xml, text/*']]);
    const enc = validateRequest(
      req('MESSAGE', ['Content-Type: text/plain', 'Content-Encoding: gzip'], 'hi'),
      ROLE,
    );
    assert.equal(enc?.code, 'SIP_ERR_UNSUPPORTED_CONTENT_ENCODING');
    assert.deepEqual(enc?.headers, [['Accept-Encoding', 'identity']]);
  });

  test('406 when Accept rules out every body the role would answer with', () => {
    const role = { ...ROLE, responseBodyTypes: { SUBSCRIBE: ['application/pidf+xml'] } };
    const sub = (accept: string) => req('SUBSCRIBE', ['Contact: <sip:h@127.0.0.1>', `Accept: ${accept}`]);
    assert.equal(validateRequest(sub('application/pidf+xml, text/plain'), role), null);
    assert.equal(validateRequest(sub('application/*'), role), null);
    assert.equal(validateRequest(sub('text/plain'), role)?.status, 406);
    assert.equal(validateRequest(sub('application/pidf+xml;q=0'), role)?.status, 406);
  });

  test('registrar wildcard rules (RFC 3261 §10.3 step 6)', () => {
    const role = { ...ROLE, allow: [...ROLE.allow, 'REGISTER'], registrar: true };
    assert.equal(validateRequest(req('REGISTER', ['Contact: *', 'Expires: 0']), role), null);
    assert.equal(
      validateRequest(req('REGISTER', ['Contact: *', 'Expires: 60']), role)?.code,
      'SIP_ERR_BAD_WILDCARD_CONTACT',
    );
  });
});
