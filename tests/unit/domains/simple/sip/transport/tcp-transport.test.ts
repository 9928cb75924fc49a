import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ManualClock } from '../../../../../../common/manual-clock.ts';
import { SipStreamFramer } from '../../../../../../domains/simple/sip/message/stream-framer.ts';
import { TcpTransport } from '../../../../../../domains/simple/sip/transport/index.ts';
import { startNode, type TestNode, waitFor } from '../../../../../support/sip-node.ts';
import { messageRequest, sipBytes } from '../../../../../support/sip-text.ts';

// SIP over TCP on real loopback sockets: both stacks end to end, stream framing with split and
// coalesced writes, connection reuse in both directions, CRLF keep-alive, framing errors, idle
// timeout on the injected Clock, and the RFC 4475 corpus.

const A_ADDR = '127.0.61.1';
const B_ADDR = '127.0.61.2';
const RAW_ADDR = '127.0.61.4';
const CORPUS = join(import.meta.dirname, '../../../../../fixtures/sip-torture-rfc4475');

interface RawClient {
  socket: net.Socket;
  messages: string[];
  raw: string;
  closed: boolean;
}

async function rawClient(port: number): Promise<RawClient> {
  const socket = net.connect({ host: B_ADDR, port, localAddress: RAW_ADDR });
  const framer = new SipStreamFramer();
  const client: RawClient = { socket, messages: [], raw: '', closed: false };
  socket.on('data', (chunk) => {
    client.raw += chunk.toString('latin1');
    for (const e of framer.push(chunk)) {
      if (e.type === 'message') client.messages.push(e.bytes.toString('latin1'));
    }
  });
  socket.on('error', () => {});
  socket.on('close', () => {
    client.closed = true;
  });
  await new Promise<void>((r) => socket.once('connect', () => r()));
  return client;
}

function message(n: number, body = `msg ${n}`): Buffer {
  return sipBytes(
    [
      `MESSAGE sip:jane@${B_ADDR} SIP/2.0`,
      `Via: SIP/2.0/TCP ${RAW_ADDR}:5060;branch=z9hG4bKtcp${n}`,
      'Max-Forwards: 70',
      `From: <sip:raw@${RAW_ADDR}>;tag=r${n}`,
      `To: <sip:jane@${B_ADDR}>`,
      `Call-ID: tcp-${n}@test`,
      `CSeq: ${n} MESSAGE`,
      'Content-Type: text/plain',
    ],
    body,
  );
}

describe('TcpTransport on loopback', () => {
  let a: TestNode;
  let b: TestNode;
  before(async () => {
    a = await startNode({ node: 'a', address: A_ADDR });
    b = await startNode({ node: 'b', address: B_ADDR });
  });
  after(async () => {
    await a.close();
    await b.close();
  });

  test('MESSAGE → 200 over TCP; the outgoing connection leaves from the node address', async () => {
    const response = await a.layer.request(messageRequest(`sip:jane@${B_ADDR}`), {
      protocol: 'tcp',
      ...b.tcp.local,
    });
    assert.equal(response.status, 200);
    const inbound = b.requests.at(-1)!.inbound;
    assert.equal(inbound.protocol, 'tcp');
    assert.equal(inbound.remote.address, A_ADDR);
    assert.notEqual(inbound.remote.port, a.tcp.local.port, 'an ephemeral port, so the Via alias matters');
  });

  test('connection reuse: many requests, and requests back to the peer, share one connection', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await a.layer.request(messageRequest(`sip:jane@${B_ADDR}`), {
        protocol: 'tcp',
        ...b.tcp.local,
      });
      assert.equal(r.status, 200);
    }
    // B → A at A's listening address: the inbound connection is aliased by A's Via sent-by.
    const back = await b.layer.request(messageRequest(`sip:harry@${A_ADDR}`), {
      protocol: 'tcp',
      ...a.tcp.local,
    });
    assert.equal(back.status, 200);
    assert.equal(a.tcp.connectionCount, 1);
    assert.equal(b.tcp.connectionCount, 1);
  });

  test('framing: messages coalesced in one write and one split byte by byte', async () => {
    const c = await rawClient(b.tcp.local.port);
    c.socket.write(Buffer.concat([message(101), message(102)]));
    const split = message(103, 'split across many writes');
    for (let i = 0; i < split.length; i += 7) {
      c.socket.write(split.subarray(i, i + 7));
      await new Promise((r) => setImmediate(r));
    }
    await waitFor(() => c.messages.length === 3);
    c.socket.destroy();
    assert.deepEqual(
      c.messages.map((m) => /CSeq: (\d+)/.exec(m)![1]),
      ['101', '102', '103'],
    );
    for (const m of c.messages) assert.match(m, /^SIP\/2\.0 200/);
    const got = b.requests.find((r) => r.request.callId === 'tcp-103@test')!;
    assert.equal(got.request.body.toString(), 'split across many writes');
  });

  test('CRLF keep-alive ping is answered with a pong (RFC 5626 §4.4.1)', async () => {
    const c = await rawClient(b.tcp.local.port);
    c.socket.write('\r\n\r\n');
    await waitFor(() => c.raw === '\r\n');
    c.socket.write(message(104));
    await waitFor(() => c.messages.length === 1);
    c.socket.destroy();
  });

  test('a framing error is answered (400, headers it could read) and closes the connection', async () => {
    const c = await rawClient(b.tcp.local.port);
    const noLength = message(105)
      .toString('latin1')
      .replace(/Content-Length: \d+\r\n/, '');
    c.socket.write(noLength);
    await waitFor(() => c.closed);
    assert.equal(c.messages.length, 1);
    assert.match(c.messages[0]!, /^SIP\/2\.0 400 /);
    assert.match(c.messages[0]!, /Call-ID: tcp-105@test/);
  });

  test('a message over the size limit is refused with 513 and the connection closed', async () => {
    const c = await rawClient(b.tcp.local.port);
    c.socket.write(message(106, 'x'.repeat(70_000)));
    await waitFor(() => c.closed);
    assert.equal(c.messages.length, 1);
    assert.match(c.messages[0]!, /^SIP\/2\.0 513 /);
    assert.equal(
      b.requests.some((r) => r.request.callId === 'tcp-106@test'),
      false,
    );
  });

  test('nothing crashes on the RFC 4475 corpus, each message on its own connection', async () => {
    const files = readdirSync(CORPUS).filter((f) => f.endsWith('.dat'));
    const clients = await Promise.all(files.map(() => rawClient(b.tcp.local.port)));
    files.forEach((f, i) => {
      clients[i]!.socket.write(readFileSync(join(CORPUS, f)));
    });
    await new Promise((r) => setTimeout(r, 300));
    for (const c of clients) c.socket.destroy();
    const r = await a.layer.request(messageRequest(`sip:jane@${B_ADDR}`), {
      protocol: 'tcp',
      ...b.tcp.local,
    });
    assert.equal(r.status, 200);
  });

  test('a connect failure reaches the client transaction as 503', async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.61.9', () => r()));
    const port = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const response = await a.layer.request(messageRequest(), {
      protocol: 'tcp',
      address: '127.0.61.9',
      port,
    });
    assert.equal(response.status, 503);
  });
});

test('idle connections close after the idle timeout (stepped with ManualClock)', async () => {
  const clock = new ManualClock();
  const t = new TcpTransport({ node: 'idle', address: B_ADDR, port: 0, clock, idleTimeoutMs: 10_000 });
  await t.listen();
  const socket = net.connect({ host: B_ADDR, port: t.local.port, localAddress: RAW_ADDR });
  let closed = false;
  socket.on('close', () => {
    closed = true;
  });
  socket.on('error', () => {});
  await waitFor(() => t.connectionCount === 1);
  clock.advance(9_999);
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(closed, false);
  clock.advance(1);
  await waitFor(() => closed);
  assert.equal(t.connectionCount, 0);
  await t.close();
});
