import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { SequentialIdSource } from '../../../../../../common/ids.ts';
import { ManualClock } from '../../../../../../common/manual-clock.ts';
import {
  createResponse,
  type ServerTransaction,
  TransactionLayer,
} from '../../../../../../domains/simple/sip/transaction/index.ts';
import { InMemoryNetwork } from '../../../../../support/in-memory-transport.ts';
import { sipBytes } from '../../../../../support/sip-text.ts';

// RFC 3261 §17.2.2 and RFC 4320 §4.1 stepped with ManualClock.

const UAC = { address: '127.0.0.1', port: 5070 };

function messageBytes(branch = 'z9hG4bKnist1', sentBy = '127.0.0.1:5070'): Buffer {
  return sipBytes(
    [
      'MESSAGE sip:jane@127.0.0.2 SIP/2.0',
      `Via: SIP/2.0/UDP ${sentBy};branch=${branch}`,
      'Max-Forwards: 70',
      'From: <sip:harry@127.0.0.1>;tag=h1',
      'To: <sip:jane@127.0.0.2>',
      'Call-ID: nist-1@test',
      'CSeq: 7 MESSAGE',
      'Content-Type: text/plain',
    ],
    'hi',
  );
}

async function setup(protocol: 'udp' | 'tcp') {
  const clock = new ManualClock();
  const net = new InMemoryNetwork();
  const uas = net.transport({ node: 'uas', address: '127.0.0.2', port: 5060, clock, protocol });
  await uas.listen();
  const txs: ServerTransaction[] = [];
  const layer = new TransactionLayer({
    transports: [uas],
    tu: { onRequest: (tx) => txs.push(tx) },
    clock,
    ids: new SequentialIdSource('t'),
  });
  const sentToUac = (line: string) => net.sentTo(UAC, line);
  return { clock, net, uas, layer, txs, sentToUac };
}

describe('NonInviteServerTransaction over UDP', () => {
  let s: Awaited<ReturnType<typeof setup>>;
  beforeEach(async () => {
    s = await setup('udp');
  });

  test('a new request reaches the TU once; retransmissions in Trying are absorbed', () => {
    s.uas.inject(messageBytes(), UAC);
    s.uas.inject(messageBytes(), UAC);
    s.uas.inject(messageBytes(), UAC);
    assert.equal(s.txs.length, 1);
    assert.equal(s.txs[0]!.state, 'trying');
    assert.equal(s.net.sent.length, 0, 'nothing is sent for a retransmission before the TU answers');
  });

  test('a retransmitted request after the final response gets the same response again', () => {
    s.uas.inject(messageBytes(), UAC);
    const tx = s.txs[0]!;
    assert.equal(tx.respond(createResponse(tx.request, 200, 'OK', new SequentialIdSource('tag'))), undefined);
    assert.equal(tx.state, 'completed');
    s.uas.inject(messageBytes(), UAC);
    s.uas.inject(messageBytes(), UAC);
    const sent = s.sentToUac('SIP/2.0 200');
    assert.equal(sent.length, 3);
    assert.equal(sent[1]!.text, sent[0]!.text);
    assert.equal(sent[2]!.text, sent[0]!.text);
    assert.equal(s.txs.length, 1);
  });

  test('Timer J keeps the transaction 64*T1 = 32 s on UDP', () => {
    s.uas.inject(messageBytes(), UAC);
    const tx = s.txs[0]!;
    tx.respond(createResponse(tx.request, 200, 'OK', new SequentialIdSource('tag')));
    s.clock.advance(31_999);
    assert.equal(tx.state, 'completed');
    s.uas.inject(messageBytes(), UAC);
    assert.equal(s.sentToUac('SIP/2.0 200').length, 2, 'still answering retransmissions at 31.999 s');
    s.clock.advance(1);
    assert.equal(s.layer.transactionCount, 0);
    assert.equal(s.layer.timers.pending, 0);
    // After J a copy of the request is a new transaction again (§17.2.2).
    s.uas.inject(messageBytes(), UAC);
    assert.equal(s.txs.length, 2);
  });

  test('a second final response is refused', () => {
    s.uas.inject(messageBytes(), UAC);
    const tx = s.txs[0]!;
    tx.respond(createResponse(tx.request, 200, 'OK', new SequentialIdSource('tag')));
    const again = tx.respond(
      createResponse(tx.request, 500, 'Server Internal Error', new SequentialIdSource('x')),
    );
    assert.equal(again?.code, 'SIP_ERR_TX_FINAL_SENT');
    assert.equal(s.sentToUac('SIP/2.0 500').length, 0);
  });

  test('RFC 4320: no provisional but 100, and no 100 over UDP before Timer E would reach T2', () => {
    s.uas.inject(messageBytes(), UAC);
    const tx = s.txs[0]!;
    const ids = new SequentialIdSource('tag');
    assert.equal(
      tx.respond(createResponse(tx.request, 180, 'Ringing', ids))?.code,
      'SIP_ERR_TX_PROVISIONAL_REFUSED',
    );
    assert.equal(
      tx.respond(createResponse(tx.request, 100, 'Trying', ids))?.code,
      'SIP_ERR_TX_PROVISIONAL_REFUSED',
    );
    s.clock.advance(3_499);
    assert.equal(
      tx.respond(createResponse(tx.request, 100, 'Trying', ids))?.code,
      'SIP_ERR_TX_PROVISIONAL_REFUSED',
    );
    s.clock.advance(1);
    assert.equal(tx.respond(createResponse(tx.request, 100, 'Trying', ids)), undefined);
    assert.equal(tx.state, 'proceeding');
    // Proceeding: a retransmission gets the last provisional again.
    s.uas.inject(messageBytes(), UAC);
    assert.equal(s.sentToUac('SIP/2.0 100').length, 2);
    assert.equal(s.sentToUac('SIP/2.0 180').length, 0);
  });

  test('same branch from another sent-by is another transaction (§17.2.3)', () => {
    s.uas.inject(messageBytes('z9hG4bKsame', '127.0.0.1:5070'), UAC);
    s.uas.inject(messageBytes('z9hG4bKsame', '127.0.0.9:5070'), UAC);
    assert.equal(s.txs.length, 2);
  });

  test('RFC 2543 request (no magic cookie) is matched by Request-URI, tags, Call-ID, CSeq, top Via', () => {
    s.uas.inject(messageBytes('old-style-1'), UAC);
    s.uas.inject(messageBytes('old-style-1'), UAC);
    assert.equal(s.txs.length, 1);
    s.uas.inject(messageBytes('old-style-2'), UAC);
    assert.equal(s.txs.length, 2, 'a different top Via is a different transaction');
  });

  test('the response goes to received/rport (RFC 3581) and carries them', () => {
    const bytes = sipBytes([
      'MESSAGE sip:jane@127.0.0.2 SIP/2.0',
      'Via: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bKrport;rport',
      'Max-Forwards: 70',
      'From: <sip:harry@127.0.0.1>;tag=h1',
      'To: <sip:jane@127.0.0.2>',
      'Call-ID: rport@test',
      'CSeq: 1 MESSAGE',
    ]);
    s.uas.inject(bytes, UAC);
    const tx = s.txs[0]!;
    tx.respond(createResponse(tx.request, 200, 'OK', new SequentialIdSource('tag')));
    const sent = s.sentToUac('SIP/2.0 200');
    assert.equal(sent.length, 1, 'sent to the source port 5070, not the sent-by port 5999');
    assert.match(
      sent[0]!.text,
      /Via: SIP\/2\.0\/UDP 127\.0\.0\.1:5999;branch=z9hG4bKrport;rport=5070;received=127\.0\.0\.1\r\n/,
    );
  });
});

describe('NonInviteServerTransaction over TCP', () => {
  test('Timer J is zero: the transaction ends with the final response', async () => {
    const s = await setup('tcp');
    s.uas.inject(messageBytes(), UAC);
    const tx = s.txs[0]!;
    tx.respond(createResponse(tx.request, 200, 'OK', new SequentialIdSource('tag')));
    assert.equal(tx.state, 'terminated');
    assert.equal(s.layer.transactionCount, 0);
    assert.equal(s.layer.timers.pending, 0);
  });
});
