import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  chooseRequestProtocol,
  UDP_REQUEST_SIZE_LIMIT,
} from '../../../../../../domains/simple/sip/transport/transport-selection.ts';

test('RFC 3261 §18.1.1: over 1300 bytes with unknown MTU → TCP, when TCP exists', () => {
  assert.equal(UDP_REQUEST_SIZE_LIMIT, 1300);
  assert.equal(chooseRequestProtocol(1300, 'udp', true), 'udp');
  assert.equal(chooseRequestProtocol(1301, 'udp', true), 'tcp');
  assert.equal(chooseRequestProtocol(1301, 'udp', false), 'udp');
  assert.equal(chooseRequestProtocol(100, 'tcp', true), 'tcp');
});

test('within 200 bytes of a known path MTU → TCP', () => {
  assert.equal(chooseRequestProtocol(1300, 'udp', true, 1500), 'udp');
  assert.equal(chooseRequestProtocol(1301, 'udp', true, 1500), 'tcp');
  assert.equal(chooseRequestProtocol(8000, 'udp', true, 65535), 'udp');
});
