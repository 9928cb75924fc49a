import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SipSyntaxError } from '../../../../../../domains/simple/sip/message/errors.ts';
import type { SipUri, TelUri } from '../../../../../../domains/simple/sip/message/uri.ts';
import {
  formatUri,
  isIPv4,
  isIPv6Reference,
  isValidHost,
  parseUri,
  scanHost,
  unescapeUriComponent,
  uriEquals,
} from '../../../../../../domains/simple/sip/message/uri-codec.ts';

function eq(a: string, b: string): boolean {
  return uriEquals(parseUri(a), parseUri(b));
}

describe('parseUri / formatUri', () => {
  test('sip URI parts', () => {
    const u = parseUri(
      'sips:alice:secret@[2001:db8::1]:5061;transport=tcp;lr?subject=hi&priority=urgent',
    ) as SipUri;
    assert.equal(u.scheme, 'sips');
    assert.equal(u.user, 'alice');
    assert.equal(u.password, 'secret');
    assert.equal(u.host, '[2001:db8::1]');
    assert.equal(u.port, 5061);
    assert.deepEqual(
      [...u.params],
      [
        ['transport', 'tcp'],
        ['lr', null],
      ],
    );
    assert.deepEqual(u.headers, [
      ['subject', 'hi'],
      ['priority', 'urgent'],
    ]);
  });

  test('format is the inverse of parse, escapes as written', () => {
    for (const text of [
      'sip:alice@example.com',
      'sip:example.com:5060',
      'sip:%61lice@example.com;maddr=239.255.255.1;ttl=15',
      'sip:user;par=u%40example.net@example.com',
      'sip:+1-212-555-1212:1234@gateway.com;user=phone',
      'sips:[::1]',
      'tel:+358-40-1234567;phone-context=example.com',
      'pres:jane@domain2.example',
      'urn:service:sos',
    ]) {
      assert.equal(formatUri(parseUri(text)), text);
    }
  });

  test('scheme is case-insensitive and stored lower-case', () => {
    assert.equal(parseUri('SIP:a@b.com').scheme, 'sip');
    assert.equal(parseUri('Tel:+1234').scheme, 'tel');
    assert.equal((parseUri('tel:+1234') as TelUri).number, '+1234');
  });

  test('grammar faults throw SipSyntaxError with the given code', () => {
    for (const bad of [
      '',
      '<sip:a@b>',
      'sip:',
      'sip:@host',
      'sip:a@b@c',
      'sip:a@ho st',
      'sip:a@host:65536',
      'sip:a@host:',
      'sip:a@-host.com',
      'sip:a@host;=x',
      'sip:a@host;p=',
      'sip:a@host?h',
      'sip:a@host%zz',
      'sip:a%4@host',
      'sip:a@1.2.3.999',
      'sip:a@[::1',
      'tel:',
      'x:',
      '1x:y',
    ]) {
      assert.throws(
        () => parseUri(bad, 'SIP_ERR_MALFORMED_TO'),
        (e: unknown) => e instanceof SipSyntaxError && e.code === 'SIP_ERR_MALFORMED_TO',
        bad,
      );
    }
  });
});

describe('uriEquals (RFC 3261 §19.1.4 examples)', () => {
  test('equivalent pairs', () => {
    assert.ok(eq('sip:%61lice@atlanta.com;transport=TCP', 'sip:alice@AtLanTa.CoM;Transport=tcp'));
    assert.ok(eq('sip:carol@chicago.com', 'sip:carol@chicago.com;newparam=5'));
    assert.ok(eq('sip:carol@chicago.com;security=on', 'sip:carol@chicago.com;newparam=5'));
    assert.ok(
      eq(
        'sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com',
        'sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com',
      ),
    );
    assert.ok(
      eq(
        'sip:alice@atlanta.com?subject=project%20x&priority=urgent',
        'sip:alice@atlanta.com?priority=urgent&subject=project%20x',
      ),
    );
  });

  test('non-equivalent pairs', () => {
    assert.ok(!eq('SIP:ALICE@AtLanTa.CoM;Transport=udp', 'sip:alice@AtLanTa.CoM;Transport=UDP'));
    assert.ok(!eq('sip:bob@biloxi.com', 'sip:bob@biloxi.com:5060'));
    assert.ok(!eq('sip:bob@biloxi.com', 'sip:bob@biloxi.com;transport=udp'));
    assert.ok(!eq('sip:bob@biloxi.com', 'sip:bob@biloxi.com:6000;transport=tcp'));
    assert.ok(!eq('sip:carol@chicago.com', 'sip:carol@chicago.com?Subject=next%20meeting'));
    assert.ok(!eq('sip:bob@phone21.boxesbybob.com', 'sip:bob@192.0.2.4'));
    assert.ok(!eq('sip:carol@chicago.com;security=on', 'sip:carol@chicago.com;security=off'));
    assert.ok(!eq('sip:a@b.com', 'sips:a@b.com'));
  });

  test('escaped reserved characters differ from the raw ones; no double unescape', () => {
    assert.ok(!eq('sip:a%3Bb@host.com', 'sip:a;b@host.com'));
    assert.ok(!eq('sip:a%253B@host.com', 'sip:a%3B@host.com'));
    assert.ok(eq('sip:a%3b@host.com', 'sip:a%3B@host.com'));
  });

  test('tel: visual separators ignored, parameters all compared', () => {
    assert.ok(eq('tel:+1-201-555-0123', 'tel:+12015550123'));
    assert.ok(!eq('tel:+12015550123;ext=1', 'tel:+12015550123'));
  });
});

describe('helpers', () => {
  test('unescapeUriComponent decodes once as UTF-8', () => {
    assert.equal(unescapeUriComponent('%25%34%31'), '%41');
    assert.equal(unescapeUriComponent('caf%C3%A9'), 'café');
    assert.equal(unescapeUriComponent('plain'), 'plain');
  });

  test('host checks', () => {
    assert.ok(isIPv4('255.255.255.255'));
    assert.ok(!isIPv4('256.0.0.1'));
    assert.ok(!isIPv4('1.2.3'));
    assert.ok(isIPv6Reference('[::ffff:192.0.2.1]'));
    assert.ok(!isIPv6Reference('[1::2::3]'));
    assert.ok(isValidHost('example.com.'));
    assert.ok(isValidHost('a-b.example'));
    assert.ok(!isValidHost('example..com'));
    assert.ok(!isValidHost('1.2.3.4.5'));
    assert.ok(!isValidHost('host_name.com'));
    assert.ok(!isValidHost('a-.example'));
    assert.ok(!isValidHost('1.2.3.4.'));
    assert.ok(!isValidHost('.'));
    assert.ok(isValidHost('x'));
    assert.equal(scanHost('SIP/2.0/UDP 192.0.2.1:5060', 12, 26), 21);
    assert.equal(scanHost('[::1]:5060', 0, 10), 5);
    assert.equal(scanHost('-bad', 0, 4), -1);
  });
});
