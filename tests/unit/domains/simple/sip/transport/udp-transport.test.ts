import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { decodeSipMessage } from '../../../../../../domains/simple/sip/message/decode.ts';
import { UdpTransport } from '../../../../../../domains/simple/sip/transport/index.ts';
import { recordTrace, startNode, type TestNode, waitFor } from '../../../../../support/sip-node.ts';
import { messageRequest, sipBytes } from '../../../../../support/sip-text.ts';

// SIP over UDP on real loopback sockets: the full transport + transaction stack between two
// nodes, loss recovered by Timer E through a lossy relay, RFC 3581, stateless 400, the guard,
// and the RFC 4475 corpus.

const A_ADDR = '127.0.60.1';
const B_ADDR = '127.0.60.2';
const RELAY_ADDR = '127.0.60.3';
const RAW_ADDR = '127.0.60.4';
const CORPUS = join(import.meta.dirname, '../../../../../fixtures/sip-torture-rfc4475');

/** A raw UDP socket that collects what it receives. */
async function rawSocket(): Promise<{ socket: dgram.Socket; got: string[]; port: number }> {
  const socket = dgram.createSocket('udp4');
  const got: string[] = [];
  socket.on('message', (m) => got.push(m.toString('latin1')));
  await new Promise<void>((r) => socket.bind(0, RAW_ADDR, () => r()));
  return { socket, got, port: socket.address().port };
}

describe('UdpTransport on loopback', () => {
  let a: TestNode;
  let b: TestNode;
  before(async () => {
    a = await startNode({ node: 'a', address: A_ADDR });
    b = await startNode({ node: 'b', address: B_ADDR, maxMessageBytes: 4000 });
  });
  after(async () => {
    await a.close();
    await b.close();
  });

  test('binds the configured address; refuses to bind outside 127/8', async () => {
    assert.equal(a.udp.local.address, A_ADDR);
    assert.ok(a.udp.local.port > 0);
    const outside = new UdpTransport({ node: 'x', address: '0.0.0.0', port: 0 });
    await assert.rejects(outside.listen());
  });

  test('MESSAGE → 200 through both stacks; each message traced exactly once per side', async () => {
    const trace = recordTrace();
    const response = await a.layer.request(messageRequest(`sip:jane@${B_ADDR}`), {
      protocol: 'udp',
      ...b.udp.local,
    });
    await new Promise((r) => setTimeout(r, 20));
    trace.stop();
    assert.equal(response.status, 200);
    const summary = trace.events.map(
      (e) => `${e.node} ${e.direction} ${e.bytes.toString('latin1').split(' ')[0]}`,
    );
    assert.deepEqual(summary.sort(), ['a rx SIP/2.0', 'a tx MESSAGE', 'b rx MESSAGE', 'b tx SIP/2.0']);
    const tx = trace.events.find((e) => e.node === 'a' && e.direction === 'tx')!;
    assert.equal(tx.transport, 'udp');
    assert.deepEqual(tx.local, a.udp.local);
    assert.deepEqual(tx.remote, b.udp.local);
    assert.equal(tx.protocol, 'sip');
  });

  test('a dropped datagram is recovered by Timer E (lossy relay); rport/received point at the relay', async () => {
    const relay = dgram.createSocket('udp4');
    await new Promise<void>((r) => relay.bind(0, RELAY_ADDR, () => r()));
    let dropped = 0;
    relay.on('message', (m, rinfo) => {
      if (rinfo.address === A_ADDR) {
        if (dropped++ === 0) return; // lose the first copy
        relay.send(m, b.udp.local.port, B_ADDR);
      } else {
        relay.send(m, a.udp.local.port, A_ADDR);
      }
    });
    const relayPort = relay.address().port;
    const before = b.requests.length;
    const response = await a.layer.request(messageRequest(`sip:jane@${B_ADDR}`), {
      protocol: 'udp',
      address: RELAY_ADDR,
      port: relayPort,
    });
    relay.close();
    assert.equal(response.status, 200);
    assert.equal(dropped >= 2, true, 'the request was retransmitted');
    assert.equal(b.requests.length, before + 1, 'the TU saw it once');
    const via = b.requests.at(-1)!.request.topVia!;
    assert.equal(via.params.get('received'), RELAY_ADDR);
    assert.equal(via.params.get('rport'), String(relayPort));
  });

  test('RFC 3581: the response goes to the source port, not the sent-by port', async () => {
    const raw = await rawSocket();
    raw.socket.send(
      sipBytes([
        `OPTIONS sip:jane@${B_ADDR} SIP/2.0`,
        `Via: SIP/2.0/UDP ${RAW_ADDR}:9;branch=z9hG4bKrport1;rport`,
        'Max-Forwards: 70',
        `From: <sip:raw@${RAW_ADDR}>;tag=r1`,
        `To: <sip:jane@${B_ADDR}>`,
        'Call-ID: rport-udp@test',
        'CSeq: 1 OPTIONS',
      ]),
      b.udp.local.port,
      B_ADDR,
    );
    await waitFor(() => raw.got.length > 0);
    raw.socket.close();
    assert.match(raw.got[0]!, /^SIP\/2\.0 200/);
    assert.match(raw.got[0]!, new RegExp(`;rport=${raw.port};received=${RAW_ADDR.replaceAll('.', '\\.')}`));
  });

  test('a request that does not decode gets a stateless 400 built from its readable headers', async () => {
    const raw = await rawSocket();
    const bad = sipBytes([
      `MESSAGE sip:jane@${B_ADDR} SIP/2.0`,
      `Via: SIP/2.0/UDP ${RAW_ADDR}:${raw.port};branch=z9hG4bKbad1`,
      'Max-Forwards: seventy',
      `From: <sip:raw@${RAW_ADDR}>;tag=r1`,
      `To: <sip:jane@${B_ADDR}>`,
      'Call-ID: bad-udp@test',
      'CSeq: 1 MESSAGE',
    ]);
    raw.socket.send(bad, b.udp.local.port, B_ADDR);
    raw.socket.send(Buffer.from('complete garbage\r\n\r\n'), b.udp.local.port, B_ADDR);
    await waitFor(() => raw.got.length > 0);
    await new Promise((r) => setTimeout(r, 30));
    raw.socket.close();
    assert.equal(raw.got.length, 1, 'garbage without a Via is not answered');
    const answer = decodeSipMessage(Buffer.from(raw.got[0]!, 'latin1'), { datagram: true });
    assert.ok(answer.ok && answer.message.kind === 'response');
    assert.equal(answer.message.status, 400);
    assert.equal(answer.message.callId, 'bad-udp@test');
    assert.ok(answer.message.toTag, 'To tag added');
  });

  test('a message over the size limit is refused with 513', async () => {
    const raw = await rawSocket();
    const big = sipBytes(
      [
        `MESSAGE sip:jane@${B_ADDR} SIP/2.0`,
        `Via: SIP/2.0/UDP ${RAW_ADDR}:${raw.port};branch=z9hG4bKbig1`,
        'Max-Forwards: 70',
        `From: <sip:raw@${RAW_ADDR}>;tag=r1`,
        `To: <sip:jane@${B_ADDR}>`,
        'Call-ID: big-udp@test',
        'CSeq: 1 MESSAGE',
        'Content-Type: text/plain',
      ],
      'x'.repeat(5000),
    );
    raw.socket.send(big, b.udp.local.port, B_ADDR);
    await waitFor(() => raw.got.length > 0);
    raw.socket.close();
    assert.match(raw.got[0]!, /^SIP\/2\.0 513 /);
  });

  test('the transport refuses to send outside loopback (RFC 4475 bcast) and to names', () => {
    const bytes = Buffer.from('x');
    assert.equal(
      a.udp.send(bytes, { address: '255.255.255.255', port: 5060 })?.code,
      'SIP_ERR_TRANSPORT_NOT_LOOPBACK',
    );
    assert.equal(
      a.udp.send(bytes, { address: '192.0.2.198', port: 5060 })?.code,
      'SIP_ERR_TRANSPORT_NOT_LOOPBACK',
    );
    assert.equal(
      a.udp.send(bytes, { address: 'host28.example.com', port: 5060 })?.code,
      'SIP_ERR_TRANSPORT_NOT_IP',
    );
  });

  test('nothing crashes on the RFC 4475 corpus; every answer stays on loopback', async () => {
    const raw = await rawSocket();
    const trace = recordTrace();
    const files = readdirSync(CORPUS).filter((f) => f.endsWith('.dat'));
    assert.ok(files.length >= 49);
    for (const f of files) raw.socket.send(readFileSync(join(CORPUS, f)), b.udp.local.port, B_ADDR);
    await new Promise((r) => setTimeout(r, 300));
    trace.stop();
    raw.socket.close();
    const rx = trace.events.filter((e) => e.node === 'b' && e.direction === 'rx');
    assert.equal(rx.length, files.length, 'every datagram was received and traced');
    for (const e of trace.events.filter((x) => x.direction === 'tx'))
      assert.match(e.remote.address, /^127\./);
    // And the node still works.
    const response = await a.layer.request(messageRequest(`sip:jane@${B_ADDR}`), {
      protocol: 'udp',
      ...b.udp.local,
    });
    assert.equal(response.status, 200);
  });
});
