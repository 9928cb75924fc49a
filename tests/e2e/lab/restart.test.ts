import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Lab } from '../../../lab/launcher.ts';
import { alive, writeTopology } from '../support/launched-lab.ts';

// Lab.restart(name): one node is stopped (crash or orderly) and started again from the same
// topology; the other nodes keep running, the node answers again on the same address and port.

const dir = mkdtempSync(join(tmpdir(), 'lab-restart-'));
const topology = writeTopology(dir, 'topology.yaml', [
  'edge: { role: visited, address: 127.0.102.1, ports: { sip: 5060, http: 8084 } }',
  'other: { role: visited, address: 127.0.102.2, ports: { sip: 5060, http: 8084 } }',
]);
const lab = new Lab({ topologyPath: topology, readyTimeoutMs: 30_000 });
before(() => lab.start());
after(async () => {
  await lab.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** An OPTIONS to the visited network's SIP edge: any SIP answer shows the socket is served. */
async function sipAnswers(address: string): Promise<boolean> {
  const socket = createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.102.9', () => r()));
  const { port } = socket.address();
  const answered = new Promise<boolean>((resolve) => {
    socket.once('message', (m) => resolve(m.toString('latin1').startsWith('SIP/2.0 ')));
    setTimeout(() => resolve(false), 2_000).unref();
  });
  socket.send(
    [
      `OPTIONS sip:${address} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.102.9:${port};branch=z9hG4bKrestart${Date.now()};rport`,
      'Max-Forwards: 70',
      'From: <sip:probe@127.0.102.9>;tag=p1',
      `To: <sip:${address}>`,
      `Call-ID: restart-${Date.now()}@127.0.102.9`,
      'CSeq: 1 OPTIONS',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n'),
    5060,
    address,
  );
  try {
    return await answered;
  } finally {
    socket.close();
  }
}

describe('Lab.restart', { concurrency: 1 }, () => {
  it('SIGKILL: a new process on the same address; the other node is untouched', async () => {
    const before = lab.nodes.find((n) => n.name === 'edge')?.pid ?? 0;
    const other = lab.nodes.find((n) => n.name === 'other')?.pid ?? 0;
    assert.ok(before > 0 && other > 0);
    const node = await lab.restart('edge');
    assert.notEqual(node.pid, before);
    assert.equal(alive(before), false, 'the old process is gone');
    assert.equal(alive(node.pid), true);
    assert.equal(lab.nodes.filter((n) => n.name === 'edge').length, 1, 'one entry per node');
    assert.equal(lab.nodes.find((n) => n.name === 'other')?.pid, other);
    assert.match(node.endpoints.sip ?? '', /^udp\+tcp 127\.0\.102\.1:5060$/);
    assert.equal(await sipAnswers('127.0.102.1'), true);
  });

  it('SIGTERM: the node stops in order and comes back', async () => {
    const before = lab.nodes.find((n) => n.name === 'edge')?.pid ?? 0;
    const node = await lab.restart('edge', { signal: 'SIGTERM' });
    assert.notEqual(node.pid, before);
    assert.equal(alive(before), false);
    assert.equal(await sipAnswers('127.0.102.1'), true);
  });

  it('an unknown node is refused, nothing is stopped', async () => {
    const pids = lab.nodes.map((n) => n.pid).sort();
    await assert.rejects(lab.restart('nobody'), /no running node "nobody"/);
    assert.deepEqual(lab.nodes.map((n) => n.pid).sort(), pids);
  });

  it('stop() after restarts ends every process', async () => {
    const pids = lab.nodes.map((n) => n.pid);
    await lab.stop();
    for (const pid of pids) assert.equal(alive(pid), false, `pid ${pid} gone`);
  });
});
