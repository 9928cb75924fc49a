import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { Lab } from '../../../lab/launcher.ts';

// The launcher runs nodes as separate processes, waits for them, and stops them all.

const dir = mkdtempSync(join(tmpdir(), 'lab-'));
after(() => rmSync(dir, { recursive: true, force: true }));

it('starts each node as its own process, reports endpoints, and stops them cleanly', async () => {
  const topology = join(dir, 'topology.yaml');
  writeFileSync(
    topology,
    [
      'domains: {}',
      'nodes:',
      '  edge: { role: visited, address: 127.0.86.1, ports: { sip: 0, http: 0 } }',
    ].join('\n'),
  );
  const lab = new Lab({ topologyPath: topology, readyTimeoutMs: 30_000 });
  await lab.start();
  try {
    assert.equal(lab.nodes.length, 1);
    const edge = lab.nodes[0]!;
    assert.equal(edge.role, 'visited');
    assert.notEqual(edge.pid, process.pid);
    assert.match(edge.endpoints.sip ?? '', /^udp\+tcp 127\.0\.86\.1:\d+$/);
  } finally {
    await lab.stop();
  }
  const pid = lab.nodes[0]!.pid;
  assert.throws(() => process.kill(pid, 0), 'the node process is gone');
  const pcap = join(dir, 'run.pcap');
  lab.writePcap(pcap);
  assert.equal(readFileSync(pcap).readUInt32LE(0), 0xa1b2c3d4);
});
