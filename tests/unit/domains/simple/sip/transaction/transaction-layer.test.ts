import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SequentialIdSource } from '../../../../../../common/ids.ts';
import { ManualClock } from '../../../../../../common/manual-clock.ts';
import type { SipRequest, SipResponse } from '../../../../../../domains/simple/sip/message/sip-message.ts';
import {
  createResponse,
  type ServerTransaction,
  TransactionLayer,
} from '../../../../../../domains/simple/sip/transaction/index.ts';
import type { InboundMessage } from '../../../../../../domains/simple/sip/transport/transport.ts';
import { InMemoryNetwork } from '../../../../../support/in-memory-transport.ts';
import { messageRequest, sipBytes, sipResponse } from '../../../../../support/sip-text.ts';

// The layer as a whole: two nodes on an in-memory network, CANCEL rules, stray messages, the
// 1300-byte rule and the loopback guard on stateless sends.

const A = { address: '127.0.0.1', port: 5060 };
const B = { address: '127.0.0.2', port: 5060 };

async function pair(options: { lossyFirst?: number } = {}) {
  const clock = new ManualClock();
  const net = new InMemoryNetwork();
  const aUdp = net.transport({ node: 'a', ...A, clock });
  const aTcp = net.transport({ node: 'a', ...A, clock, protocol: 'tcp' });
  const bUdp = net.transport({ node: 'b', ...B, clock });
  const bTcp = net.transport({ node: 'b', ...B, clock, protocol: 'tcp' });
  for (const t of [aUdp, aTcp, bUdp, bTcp]) await t.listen();
  let toDrop = options.lossyFirst ?? 0;
  net.drop = (r) => r.text.startsWith('MESSAGE') && toDrop-- > 0;
  const received: Array<{ tx: ServerTransaction; request: SipRequest; inbound: InboundMessage }> = [];
  const acks: SipRequest[] = [];
  const strays: SipResponse[] = [];
  const ids = new SequentialIdSource('x');
  const a = new TransactionLayer({
    transports: [aUdp, aTcp],
    tu: { onRequest: () => assert.fail('a gets no requests'), onStrayResponse: (r) => strays.push(r) },
    clock,
    ids: new SequentialIdSource('a'),
  });
  const b = new TransactionLayer({
    transports: [bUdp, bTcp],
    tu: {
      onRequest: (tx, request, inbound) => {
        received.push({ tx, request, inbound });
        if (request.method === 'MESSAGE') tx.respond(createResponse(request, 200, 'OK', ids));
      },
      onAck: (r) => acks.push(r),
    },
    clock,
    ids: new SequentialIdSource('b'),
  });
  return { clock, net, a, b, aUdp, bUdp, bTcp, received, acks, strays };
}

describe('TransactionLayer', () => {
  test('MESSAGE → 200 between two layers, with transport and addresses known to the TU', async () => {
    const s = await pair();
    const final = s.a.request(messageRequest('sip:jane@127.0.0.2'), { protocol: 'udp', ...B });
    s.net.deliver();
    const response = await final;
    assert.equal(response.status, 200);
    assert.equal(s.received.length, 1);
    const { inbound } = s.received[0]!;
    assert.equal(inbound.protocol, 'udp');
    assert.deepEqual(inbound.remote, A);
    assert.deepEqual(inbound.local, B);
  });

  test('a lost request is recovered by Timer E', async () => {
    const s = await pair({ lossyFirst: 2 });
    const final = s.a.request(messageRequest(), { protocol: 'udp', ...B });
    s.net.deliver();
    assert.equal(s.received.length, 0);
    s.clock.advance(500); // 2nd copy, also lost
    s.net.deliver();
    s.clock.advance(1000); // 3rd copy arrives
    s.net.deliver();
    assert.equal((await final).status, 200);
    assert.equal(s.received.length, 1);
  });

  test('a request over 1300 bytes goes over TCP with a TCP Via (RFC 3261 §18.1.1)', async () => {
    const s = await pair();
    const final = s.a.request(messageRequest('sip:jane@127.0.0.2', 'sip:harry@127.0.0.1', 'x'.repeat(1400)), {
      protocol: 'udp',
      ...B,
    });
    s.net.deliver();
    assert.equal((await final).status, 200);
    assert.equal(s.received[0]!.inbound.protocol, 'tcp');
    assert.equal(s.received[0]!.request.topVia?.transport, 'TCP');
  });

  test('CANCEL of a non-INVITE: 200 to the CANCEL, no effect on the request (§9.2)', async () => {
    const s = await pair();
    // B's TU answers MESSAGE at once, so cancel an OPTIONS left pending instead.
    const options = messageRequest();
    options.method = 'OPTIONS';
    options.headers.set('CSeq', `${options.cseq.seq} OPTIONS`);
    const tx = s.a.sendRequest(options, { protocol: 'udp', ...B }, { onResponse: () => {} });
    assert.ok('branch' in tx);
    s.net.deliver();
    const cancel = messageRequest();
    cancel.method = 'CANCEL';
    for (const h of ['From', 'To', 'Call-ID']) cancel.headers.set(h, options.headers.get(h)!);
    cancel.headers.set('CSeq', `${options.cseq.seq} CANCEL`);
    const answer = s.a.request(cancel, { protocol: 'udp', ...B }, { branch: tx.branch });
    s.net.deliver();
    assert.equal((await answer).status, 200);
    assert.equal(s.received[0]!.tx.state, 'trying', 'the OPTIONS transaction is untouched');
  });

  test('CANCEL that matches nothing → 481', async () => {
    const s = await pair();
    const cancel = messageRequest();
    cancel.method = 'CANCEL';
    cancel.headers.set('CSeq', '1 CANCEL');
    const answer = s.a.request(cancel, { protocol: 'udp', ...B });
    s.net.deliver();
    assert.equal((await answer).status, 481);
  });

  test('an ACK without a transaction goes to the TU; a response without one is stray', async () => {
    const s = await pair();
    const ack = messageRequest();
    ack.method = 'ACK';
    ack.headers.set('CSeq', '1 ACK');
    assert.equal(s.a.sendStatelessRequest(ack, { protocol: 'udp', ...B }), undefined);
    s.net.deliver();
    assert.equal(s.acks.length, 1);
    s.aUdp.inject(
      sipBytes([
        'SIP/2.0 200 OK',
        'Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bKnobody',
        'From: <sip:a@127.0.0.1>;tag=1',
        'To: <sip:b@127.0.0.2>;tag=2',
        'Call-ID: stray@test',
        'CSeq: 1 INVITE',
      ]),
      B,
    );
    assert.equal(s.strays.length, 1);
    // §18.1.2: a response whose top Via is not ours is discarded, not handed up.
    s.aUdp.inject(
      sipBytes([
        'SIP/2.0 200 OK',
        'Via: SIP/2.0/UDP 192.0.2.198;branch=z9hG4bK1324923',
        'Via: SIP/2.0/UDP 255.255.255.255;branch=z9hG4bK1saber23',
        'From: sip:user@example.com;tag=11141343',
        'To: sip:user@example.edu;tag=2229',
        'Call-ID: bcast.0384840201234ksdfak3j2erwedfsASdf',
        'CSeq: 35 INVITE',
      ]),
      B,
    );
    assert.equal(s.strays.length, 1);
    assert.equal(s.net.sent.length, 1, 'only the ACK was ever sent');
  });

  test('stateless sends obey the loopback guard (RFC 4475 bcast: Via 255.255.255.255)', async () => {
    const s = await pair();
    const bcast = sipResponse([
      'SIP/2.0 200 OK',
      'Via: SIP/2.0/UDP 255.255.255.255;branch=z9hG4bK1saber23',
      'Call-ID: bcast.0384840201234ksdfak3j2erwedfsASdf',
      'CSeq: 35 INVITE',
      'From: sip:user@example.com;tag=11141343',
      'To: sip:user@example.edu;tag=2229',
    ]);
    const inbound: InboundMessage = {
      message: bcast,
      bytes: Buffer.alloc(0),
      protocol: 'udp',
      transport: s.bUdp,
      local: B,
      remote: A,
    };
    assert.equal(s.b.sendStatelessResponse(bcast, inbound)?.code, 'SIP_ERR_TRANSPORT_NOT_LOOPBACK');
    const named = sipResponse([
      'SIP/2.0 200 OK',
      'Via: SIP/2.0/UDP host.example.com;branch=z9hG4bK1',
      'Call-ID: n@test',
      'CSeq: 1 MESSAGE',
      'From: <sip:a@127.0.0.1>;tag=1',
      'To: <sip:b@127.0.0.2>;tag=2',
    ]);
    assert.equal(
      s.b.sendStatelessResponse(named, { ...inbound, message: named })?.code,
      'SIP_ERR_TRANSPORT_NOT_IP',
    );
    const broken = sipResponse([
      'SIP/2.0 200 OK',
      'Via: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK1',
      'Call-ID: v@test',
      'CSeq: 1 MESSAGE',
      'From: <sip:a@127.0.0.1>;tag=1',
      'To: <sip:b@127.0.0.2>;tag=2',
    ]);
    broken.headers.set('Via', 'not a via at all');
    const answer = s.b.sendStatelessResponse(broken, { ...inbound, message: broken });
    assert.equal(answer?.code, 'SIP_ERR_TRANSPORT_NO_ROUTE');
    assert.equal(s.net.sent.length, 0);
  });

  test('a TU that throws still gets its request answered: 500', async () => {
    const clock = new ManualClock();
    const net = new InMemoryNetwork();
    const t = net.transport({ node: 'c', address: '127.0.0.3', port: 5060, clock });
    await t.listen();
    new TransactionLayer({
      transports: [t],
      tu: {
        onRequest: () => {
          throw new Error('bug in a handler');
        },
      },
      clock,
    });
    const s = await pair();
    const answer = s.a.request(messageRequest('sip:x@127.0.0.3'), {
      protocol: 'udp',
      address: '127.0.0.3',
      port: 5060,
    });
    s.net.deliver();
    // Two networks: carry the request across by hand, then the answer back.
    const request = s.net.sent.find((r) => r.text.startsWith('MESSAGE'))!;
    t.inject(request.bytes, A);
    const response = net.sent.find((r) => r.text.startsWith('SIP/2.0'))!;
    assert.match(response.text, /^SIP\/2\.0 500 /);
    s.aUdp.inject(response.bytes, { address: '127.0.0.3', port: 5060 });
    assert.equal((await answer).status, 500);
  });

  test('CANCEL after the final response: 200 with the same To tag, the response unchanged', async () => {
    const s = await pair();
    const original = messageRequest();
    const tx = s.a.sendRequest(original, { protocol: 'udp', ...B }, { onResponse: () => {} });
    assert.ok('branch' in tx);
    s.net.deliver();
    const finalText = s.net.sentTo(A, 'SIP/2.0 200')[0]!.text;
    const tag = /\r\nTo: [^\r]*;tag=([^;\r]+)/.exec(finalText)![1];
    const cancel = messageRequest();
    cancel.method = 'CANCEL';
    for (const h of ['From', 'To', 'Call-ID']) cancel.headers.set(h, original.headers.get(h)!);
    cancel.headers.set('CSeq', `${original.cseq.seq} CANCEL`);
    const answer = s.a.request(cancel, { protocol: 'udp', ...B }, { branch: tx.branch });
    s.net.deliver();
    const response = await answer;
    assert.equal(response.status, 200);
    assert.equal(response.toTag, tag);
  });

  test('close() drops every transaction and stops the timer', async () => {
    const s = await pair();
    s.a.sendRequest(
      messageRequest(),
      { protocol: 'udp', address: '127.0.0.9', port: 5060 },
      { onResponse: () => {} },
    );
    assert.equal(s.a.transactionCount, 1);
    s.a.close();
    assert.equal(s.a.transactionCount, 0);
    assert.equal(s.clock.armed, 0);
  });
});
