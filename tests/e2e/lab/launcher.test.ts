import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { scratchDir, withLab, writeTopology } from '../support/launched-lab.ts';

// The launcher runs nodes as separate processes, waits for them, and stops them all.

const dir = scratchDir('lab-');

it('starts each node as its own process, reports endpoints, and stops them cleanly', async () => {
  const topology = writeTopology(dir, 'topology.yaml', [
    'edge: { role: visited, address: 127.0.86.1, ports: { sip: 0, http: 0 } }',
  ]);
  const lab = await withLab(topology, (lab) => {
    assert.equal(lab.nodes.length, 1);
    const edge = lab.nodes[0]!;
    assert.equal(edge.role, 'visited');
    assert.notEqual(edge.pid, process.pid);
    assert.match(edge.endpoints.sip ?? '', /^udp\+tcp 127\.0\.86\.1:\d+$/);
    return lab;
  });
  const pid = lab.nodes[0]!.pid;
  assert.throws(() => process.kill(pid, 0), 'the node process is gone');
  const pcap = join(dir, 'run.pcap');
  lab.writePcap(pcap);
  assert.equal(readFileSync(pcap).readUInt32LE(0), 0xa1b2c3d4);
});
