import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SequentialIdSource } from '../../../../../../common/ids.ts';
import { ManualClock } from '../../../../../../common/manual-clock.ts';
import {
  type ServerTransaction,
  TransactionLayer,
} from '../../../../../../domains/simple/sip/transaction/index.ts';
import { InMemoryNetwork } from '../../../../../support/in-memory-transport.ts';
import { sipBytes } from '../../../../../support/sip-text.ts';

// RFC 3261 §17.2.1 (Timers G/H/I) through the layer's default: an INVITE nobody handles is
// answered 501 with Allow, retransmitted until ACKed.

const UAC = { address: '127.0.0.1', port: 5070 };

function invite(branch = 'z9hG4bKinv1'): Buffer {
  return sipBytes([
    'INVITE sip:jane@127.0.0.2 SIP/2.0',
    `Via: SIP/2.0/UDP 127.0.0.1:5070;branch=${branch}`,
    'Max-Forwards: 70',
    'From: <sip:harry@127.0.0.1>;tag=h1',
    'To: <sip:jane@127.0.0.2>',
    'Call-ID: inv-1@test',
    'CSeq: 1 INVITE',
    'Contact: <sip:harry@127.0.0.1:5070>',
  ]);
}

function ack(toTag: string, branch = 'z9hG4bKinv1'): Buffer {
  return sipBytes([
    'ACK sip:jane@127.0.0.2 SIP/2.0',
    `Via: SIP/2.0/UDP 127.0.0.1:5070;branch=${branch}`,
    'Max-Forwards: 70',
    'From: <sip:harry@127.0.0.1>;tag=h1',
    `To: <sip:jane@127.0.0.2>;tag=${toTag}`,
    'Call-ID: inv-1@test',
    'CSeq: 1 ACK',
  ]);
}

async function setup(allow: string[] | undefined, protocol: 'udp' | 'tcp' = 'udp') {
  const clock = new ManualClock();
  const net = new InMemoryNetwork();
  const uas = net.transport({ node: 'uas', address: '127.0.0.2', port: 5060, clock, protocol });
  await uas.listen();
  const txs: ServerTransaction[] = [];
  const acks: string[] = [];
  const timeouts: ServerTransaction[] = [];
  const layer = new TransactionLayer({
    transports: [uas],
    tu: {
      onRequest: (tx) => txs.push(tx),
      onAck: (r) => acks.push(r.callId),
      onTimeout: (tx) => timeouts.push(tx),
      ...(allow ? { allow } : {}),
    },
    clock,
    ids: new SequentialIdSource('t'),
  });
  return { clock, net, uas, layer, txs, acks, timeouts, finals: () => net.sentTo(UAC, 'SIP/2.0 501') };
}

describe('INVITE without an INVITE role', () => {
  test('501 Not Implemented with Allow; the TU never sees it', async () => {
    const s = await setup(['MESSAGE', 'SUBSCRIBE', 'NOTIFY']);
    s.uas.inject(invite(), UAC);
    assert.equal(s.txs.length, 0);
    const sent = s.finals();
    assert.equal(sent.length, 1);
    assert.match(sent[0]!.text, /\r\nAllow: MESSAGE, SUBSCRIBE, NOTIFY\r\n/);
    assert.match(sent[0]!.text, /\r\nTo: <sip:jane@127\.0\.0\.2>;tag=t\d+\r\n/);
  });

  test('Timer G retransmits at T1, 2T1, 4T1, T2 …; the INVITE retransmission gets it too', async () => {
    const s = await setup(['MESSAGE']);
    s.uas.inject(invite(), UAC);
    const at: number[] = [];
    let seen = 1;
    for (let t = 0; t < 12_000; t++) {
      s.clock.advance(1);
      if (s.finals().length !== seen) {
        at.push(s.clock.now());
        seen = s.finals().length;
      }
    }
    assert.deepEqual(at, [500, 1500, 3500, 7500, 11500]);
    s.uas.inject(invite(), UAC);
    assert.equal(s.finals().length, seen + 1);
  });

  test('ACK → Confirmed: retransmissions stop, ACKs absorbed, Timer I = T4 then Terminated', async () => {
    const s = await setup(['MESSAGE']);
    s.uas.inject(invite(), UAC);
    const tag = /;tag=(t\d+)/.exec(s.finals()[0]!.text)![1]!;
    s.uas.inject(ack(tag), UAC);
    s.uas.inject(ack(tag), UAC);
    assert.deepEqual(s.acks, [], 'the ACK for a non-2xx stays in the transaction');
    s.clock.advance(4_999);
    assert.equal(s.finals().length, 1, 'no Timer G retransmission after the ACK');
    assert.equal(s.layer.transactionCount, 1);
    s.clock.advance(1);
    assert.equal(s.layer.transactionCount, 0);
  });

  test('Timer H (64*T1) ends the transaction when no ACK comes', async () => {
    const s = await setup(['MESSAGE']);
    s.uas.inject(invite(), UAC);
    s.clock.advance(31_999);
    assert.equal(s.layer.transactionCount, 1);
    s.clock.advance(1);
    assert.equal(s.layer.transactionCount, 0);
    assert.equal(s.layer.timers.pending, 0);
    assert.equal(s.timeouts.length, 1, 'the TU is told (§17.2.1)');
  });

  test('over TCP: no Timer G, Timer I zero', async () => {
    const s = await setup(['MESSAGE'], 'tcp');
    s.uas.inject(invite(), UAC);
    s.clock.advance(10_000);
    assert.equal(s.finals().length, 1);
    const tag = /;tag=(t\d+)/.exec(s.finals()[0]!.text)![1]!;
    s.uas.inject(ack(tag), UAC);
    assert.equal(s.layer.transactionCount, 0);
  });
});

describe('INVITE with an INVITE role', () => {
  test('reaches the TU; 100 Trying after 200 ms of silence (§17.2.1); CANCEL → 200 + 487', async () => {
    const s = await setup(['INVITE', 'ACK', 'CANCEL']);
    s.uas.inject(invite(), UAC);
    assert.equal(s.txs.length, 1);
    s.clock.advance(200);
    assert.equal(s.net.sentTo(UAC, 'SIP/2.0 100').length, 1);
    s.uas.inject(
      sipBytes([
        'CANCEL sip:jane@127.0.0.2 SIP/2.0',
        'Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKinv1',
        'Max-Forwards: 70',
        'From: <sip:harry@127.0.0.1>;tag=h1',
        'To: <sip:jane@127.0.0.2>',
        'Call-ID: inv-1@test',
        'CSeq: 1 CANCEL',
      ]),
      UAC,
    );
    const ok = s.net.sentTo(UAC, 'SIP/2.0 200');
    assert.equal(ok.length, 1);
    assert.match(ok[0]!.text, /CSeq: 1 CANCEL/);
    const terminated = s.net.sentTo(UAC, 'SIP/2.0 487');
    assert.equal(terminated.length, 1);
    assert.match(terminated[0]!.text, /CSeq: 1 INVITE/);
  });
});
