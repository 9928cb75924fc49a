import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  checkDestination,
  isIpv4Literal,
  isLoopbackAddress,
} from '../../../../../../domains/simple/sip/transport/loopback-guard.ts';

test('only dotted-quad literals are IP addresses (no names, no octal tricks)', () => {
  assert.equal(isIpv4Literal('127.0.0.1'), true);
  assert.equal(isIpv4Literal('localhost'), false);
  assert.equal(isIpv4Literal('127.1'), false);
  assert.equal(isIpv4Literal('127.0.0.01'), false);
  assert.equal(isIpv4Literal('127.0.0.256'), false);
  assert.equal(isIpv4Literal('::1'), false);
});

test('127.0.0.0/8 is loopback, nothing else is', () => {
  for (const a of ['127.0.0.1', '127.0.2.10', '127.255.255.254']) assert.equal(isLoopbackAddress(a), true, a);
  for (const a of ['128.0.0.1', '10.0.0.1', '192.0.2.198', '255.255.255.255', '0.0.0.0', '127.example.com']) {
    assert.equal(isLoopbackAddress(a), false, a);
  }
});

test('checkDestination refuses the RFC 4475 bcast Via and every other escape', () => {
  assert.equal(checkDestination({ address: '127.0.2.1', port: 5060 }), undefined);
  assert.equal(
    checkDestination({ address: '255.255.255.255', port: 5060 })?.code,
    'SIP_ERR_TRANSPORT_NOT_LOOPBACK',
  );
  assert.equal(
    checkDestination({ address: '192.0.2.198', port: 5060 })?.code,
    'SIP_ERR_TRANSPORT_NOT_LOOPBACK',
  );
  assert.equal(checkDestination({ address: 'example.com', port: 5060 })?.code, 'SIP_ERR_TRANSPORT_NOT_IP');
  assert.equal(checkDestination({ address: 'localhost', port: 5060 })?.code, 'SIP_ERR_TRANSPORT_NOT_IP');
  assert.equal(checkDestination({ address: '::1', port: 5060 })?.code, 'SIP_ERR_TRANSPORT_NOT_IP');
  assert.equal(checkDestination({ address: '127.0.0.1', port: 0 })?.code, 'SIP_ERR_TRANSPORT_NO_ROUTE');
  assert.equal(checkDestination({ address: '10.0.0.1', port: 5060 })?.status, 503);
  assert.equal(checkDestination({ address: 'example.com', port: 5060 })?.status, 404);
  // Verdicts are cached per address: asking again gives the same answer.
  for (let i = 0; i < 3; i++) {
    assert.equal(
      checkDestination({ address: '255.255.255.255', port: 5060 })?.code,
      'SIP_ERR_TRANSPORT_NOT_LOOPBACK',
    );
    assert.equal(checkDestination({ address: '127.0.2.1', port: 5060 }), undefined);
    assert.equal(checkDestination({ address: '127.0.2.1', port: 70000 })?.code, 'SIP_ERR_TRANSPORT_NO_ROUTE');
  }
});
