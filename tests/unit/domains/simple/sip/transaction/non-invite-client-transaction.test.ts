import assert from 'node:assert/strict';
import { beforeEach, describe, test } from 'node:test';
import { SequentialIdSource } from '../../../../../../common/ids.ts';
import { ManualClock } from '../../../../../../common/manual-clock.ts';
import type { SipResponse } from '../../../../../../domains/simple/sip/message/sip-message.ts';
import {
  type ClientTransaction,
  type ClientTransactionHandler,
  TransactionLayer,
} from '../../../../../../domains/simple/sip/transaction/index.ts';
import type { InboundMessage } from '../../../../../../domains/simple/sip/transport/transport.ts';
import { InMemoryNetwork, type InMemoryTransport } from '../../../../../support/in-memory-transport.ts';
import { messageRequest, sipBytes } from '../../../../../support/sip-text.ts';

// RFC 3261 §17.1.2 stepped with ManualClock: Timer E schedule, F → 408, K, and the transport
// failure path, with an in-memory network so every datagram is visible.

const UAS = { address: '127.0.0.2', port: 5060 };

class Recorder implements ClientTransactionHandler {
  readonly responses: Array<{ status: number; at: number; synthesized: boolean }> = [];
  constructor(private readonly clock: ManualClock) {}
  onResponse(response: SipResponse, _tx: ClientTransaction, inbound: InboundMessage | undefined): void {
    this.responses.push({
      status: response.status,
      at: this.clock.now(),
      synthesized: inbound === undefined,
    });
  }
}

async function setup(protocol: 'udp' | 'tcp') {
  const clock = new ManualClock();
  const net = new InMemoryNetwork();
  const uac = net.transport({ node: 'uac', address: '127.0.0.1', port: 5060, clock, protocol });
  await uac.listen();
  const layer = new TransactionLayer({
    transports: [uac],
    tu: { onRequest: () => assert.fail('no requests expected') },
    clock,
    ids: new SequentialIdSource('b'),
  });
  const recorder = new Recorder(clock);
  return { clock, net, uac, layer, recorder };
}

/** The far end answers: bytes of a response to the request the layer sent (its Via copied). */
function answer(net: InMemoryNetwork, uac: InMemoryTransport, status: string): void {
  const req = net.sent.find((r) => r.text.startsWith('MESSAGE'))!.text;
  const header = (name: string) => req.split('\r\n').find((l) => l.startsWith(`${name}:`))!;
  const bytes = sipBytes([
    `SIP/2.0 ${status}`,
    header('Via'),
    header('From'),
    `${header('To')};tag=uas1`,
    header('Call-ID'),
    header('CSeq'),
  ]);
  uac.inject(bytes, UAS);
}

function requestSends(net: InMemoryNetwork): number {
  return net.sentTo(UAS, 'MESSAGE').length;
}

describe('NonInviteClientTransaction over UDP', () => {
  let s: Awaited<ReturnType<typeof setup>>;
  beforeEach(async () => {
    s = await setup('udp');
  });

  test('Timer E retransmits at 500, 1000, 2000, 4000, 4000 ms intervals (§17.1.2.2)', () => {
    const tx = s.layer.sendRequest(messageRequest(), { protocol: 'udp', ...UAS }, s.recorder);
    assert.ok('kind' in tx);
    const sendTimes: number[] = [];
    let seen = requestSends(s.net);
    assert.equal(seen, 1);
    for (let t = 1; t <= 20_000; t++) {
      s.clock.advance(1);
      const now = requestSends(s.net);
      if (now !== seen) sendTimes.push(s.clock.now());
      seen = now;
    }
    const intervals = sendTimes.map((t, i) => t - (i === 0 ? 0 : sendTimes[i - 1]!));
    assert.deepEqual(intervals, [500, 1000, 2000, 4000, 4000, 4000, 4000]);
  });

  test('Timer F at 64*T1 = 32 s informs the TU with a 408 and terminates', () => {
    const tx = s.layer.sendRequest(messageRequest(), { protocol: 'udp', ...UAS }, s.recorder);
    s.clock.advance(31_999);
    assert.deepEqual(s.recorder.responses, []);
    s.clock.advance(1);
    assert.deepEqual(s.recorder.responses, [{ status: 408, at: 32_000, synthesized: true }]);
    assert.ok('kind' in tx && tx.timedOut);
    assert.equal(tx.state, 'terminated');
    assert.equal(s.layer.transactionCount, 0);
    assert.equal(s.layer.timers.pending, 0);
    const sends = requestSends(s.net);
    s.clock.advance(60_000);
    assert.equal(requestSends(s.net), sends, 'no retransmission after termination');
  });

  test('a provisional moves to Proceeding, where Timer E fires every T2', () => {
    s.layer.sendRequest(messageRequest(), { protocol: 'udp', ...UAS }, s.recorder);
    s.clock.advance(500); // E fired once: 2 sends
    answer(s.net, s.uac, '100 Trying');
    assert.equal(s.recorder.responses[0]?.status, 100);
    const before = requestSends(s.net);
    // E was re-armed at t=500 for MIN(2*T1,T2)=1000 → fires at 1500, then every T2 = 4000.
    s.clock.advance(1000);
    assert.equal(requestSends(s.net), before + 1);
    s.clock.advance(3999);
    assert.equal(requestSends(s.net), before + 1);
    s.clock.advance(1);
    assert.equal(requestSends(s.net), before + 2);
  });

  test('final response: passed up once, retransmissions absorbed, Timer K = T4 then Terminated', () => {
    const tx = s.layer.sendRequest(messageRequest(), { protocol: 'udp', ...UAS }, s.recorder);
    assert.ok('kind' in tx);
    answer(s.net, s.uac, '200 OK');
    assert.equal(tx.state, 'completed');
    answer(s.net, s.uac, '200 OK');
    answer(s.net, s.uac, '200 OK');
    assert.deepEqual(
      s.recorder.responses.map((r) => r.status),
      [200],
    );
    const sends = requestSends(s.net);
    s.clock.advance(4_999);
    assert.equal(s.layer.transactionCount, 1, 'still Completed: absorbs response retransmissions');
    answer(s.net, s.uac, '200 OK');
    assert.equal(s.recorder.responses.length, 1);
    assert.equal(requestSends(s.net), sends, 'Timer E stopped in Completed');
    s.clock.advance(1);
    assert.equal(s.layer.transactionCount, 0, 'Timer K ended it');
    assert.equal(s.layer.timers.pending, 0);
    // After K a late response matches nothing: the TU sees it as stray.
    answer(s.net, s.uac, '200 OK');
    assert.equal(s.recorder.responses.length, 1);
  });

  test('a transport failure is a synthesized 503 (§17.1.4, §8.1.3.1)', async () => {
    s.uac.failNextSends = { code: 'SIP_ERR_TRANSPORT_CONNECT', status: 503, reason: 'Service Unavailable' };
    const tx = s.layer.sendRequest(messageRequest(), { protocol: 'udp', ...UAS }, s.recorder);
    await Promise.resolve();
    assert.deepEqual(s.recorder.responses, [{ status: 503, at: 0, synthesized: true }]);
    assert.ok('kind' in tx && tx.transportError?.code === 'SIP_ERR_TRANSPORT_CONNECT');
    assert.equal(s.layer.transactionCount, 0);
  });

  test('loopback guard: a destination outside 127/8 or a host name never leaves (503 / 404)', async () => {
    s.layer.sendRequest(messageRequest(), { protocol: 'udp', address: '10.1.2.3', port: 5060 }, s.recorder);
    s.layer.sendRequest(
      messageRequest(),
      { protocol: 'udp', address: '255.255.255.255', port: 5060 },
      s.recorder,
    );
    s.layer.sendRequest(
      messageRequest(),
      { protocol: 'udp', address: 'example.com', port: 5060 },
      s.recorder,
    );
    await Promise.resolve();
    assert.deepEqual(
      s.recorder.responses.map((r) => r.status),
      [503, 503, 404],
    );
    assert.equal(s.net.sent.length, 0);
    assert.equal(s.layer.transactionCount, 0);
  });

  test('the promise form resolves with the final response only', async () => {
    const pending = s.layer.request(messageRequest(), { protocol: 'udp', ...UAS });
    answer(s.net, s.uac, '100 Trying');
    answer(s.net, s.uac, '202 Accepted');
    assert.equal((await pending).status, 202);
  });

  test('INVITE has no client transaction here', () => {
    const invite = messageRequest();
    invite.method = 'INVITE';
    const result = s.layer.sendRequest(invite, { protocol: 'udp', ...UAS }, s.recorder);
    assert.ok('code' in result && result.code === 'SIP_ERR_TX_METHOD');
  });
});

describe('NonInviteClientTransaction over TCP', () => {
  test('no Timer E, Timer K is zero, Timer F still runs', async () => {
    const s = await setup('tcp');
    const tx = s.layer.sendRequest(messageRequest(), { protocol: 'tcp', ...UAS }, s.recorder);
    assert.ok('kind' in tx);
    s.clock.advance(10_000);
    assert.equal(requestSends(s.net), 1, 'no retransmission over a reliable transport');
    answer(s.net, s.uac, '200 OK');
    assert.equal(tx.state, 'terminated');
    assert.equal(s.layer.transactionCount, 0);

    const tx2 = s.layer.sendRequest(messageRequest(), { protocol: 'tcp', ...UAS }, s.recorder);
    s.clock.advance(32_000);
    assert.ok('kind' in tx2 && tx2.timedOut);
    assert.deepEqual(
      s.recorder.responses.map((r) => r.status),
      [200, 408],
    );
  });
});
