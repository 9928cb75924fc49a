import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseVia } from '../../../../../../domains/simple/sip/message/header-values.ts';
import {
  responseDestination,
  stampReceived,
} from '../../../../../../domains/simple/sip/transport/response-routing.ts';

// RFC 3261 §18.2.1/§18.2.2 and RFC 3581 §4, one case per sentence.

const SRC = { address: '127.0.0.7', port: 40000 };

test('UDP: received + rport → received:rport (RFC 3581 §4)', () => {
  const via = parseVia('SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK1;received=127.0.0.7;rport=40000');
  assert.deepEqual(responseDestination(via, 'udp', SRC, false), SRC);
});

test('UDP: received without rport → received:sent-by port, default 5060 (§18.2.2)', () => {
  assert.deepEqual(
    responseDestination(
      parseVia('SIP/2.0/UDP host.example:5070;branch=z9hG4bK1;received=127.0.0.7'),
      'udp',
      SRC,
      false,
    ),
    { address: '127.0.0.7', port: 5070 },
  );
  assert.deepEqual(
    responseDestination(
      parseVia('SIP/2.0/UDP host.example;branch=z9hG4bK1;received=127.0.0.7'),
      'udp',
      SRC,
      false,
    ),
    { address: '127.0.0.7', port: 5060 },
  );
});

test('UDP: maddr wins over received (§18.2.2)', () => {
  const via = parseVia('SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK1;maddr=127.0.0.9;received=127.0.0.7');
  assert.deepEqual(responseDestination(via, 'udp', SRC, false), { address: '127.0.0.9', port: 5070 });
});

test('UDP: otherwise the sent-by (a name stays a name: the guard refuses it later)', () => {
  assert.deepEqual(
    responseDestination(parseVia('SIP/2.0/UDP 127.0.0.3;branch=z9hG4bK1'), 'udp', SRC, false),
    {
      address: '127.0.0.3',
      port: 5060,
    },
  );
  assert.deepEqual(
    responseDestination(parseVia('SIP/2.0/UDP 255.255.255.255;branch=z9hG4bK1'), 'udp', SRC, false),
    {
      address: '255.255.255.255',
      port: 5060,
    },
  );
});

test('TCP: the open connection first, else received with the sent-by port (§18.2.2)', () => {
  const via = parseVia('SIP/2.0/TCP 127.0.0.1:5080;branch=z9hG4bK1;received=127.0.0.7;rport=40000');
  assert.deepEqual(responseDestination(via, 'tcp', SRC, true), SRC);
  assert.deepEqual(responseDestination(via, 'tcp', SRC, false), { address: '127.0.0.7', port: 5080 });
});

test('stampReceived: received when the source differs, rport filled when asked (RFC 3581 §4)', () => {
  const same = parseVia('SIP/2.0/UDP 127.0.0.7:5060;branch=z9hG4bK1');
  assert.equal(stampReceived(same, SRC), undefined, 'nothing to add');
  const differs = stampReceived(parseVia('SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK1'), SRC)!;
  assert.equal(differs.params.get('received'), '127.0.0.7');
  assert.equal(differs.params.has('rport'), false);
  const name = stampReceived(parseVia('SIP/2.0/UDP pc33.example.com;branch=z9hG4bK1'), SRC)!;
  assert.equal(name.params.get('received'), '127.0.0.7');
  const rport = stampReceived(parseVia('SIP/2.0/UDP 127.0.0.7:5060;branch=z9hG4bK1;rport'), SRC)!;
  assert.equal(rport.params.get('rport'), '40000');
  assert.equal(rport.params.get('received'), '127.0.0.7', 'received even when equal to sent-by');
});
