import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { waitForOptions } from '../../../lab/kamailio/kamailio.ts';
import { Lab } from '../../../lab/launcher.ts';

// The `kamailio` role: Kamailio in Domain2 mode as a lab node (its own process, which runs
// Kamailio in its own process group), answering on the node's address, stopped with the lab.

const dir = mkdtempSync(join(tmpdir(), 'lab-kamailio-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function kamailioRunDirs(): string[] {
  return readdirSync(tmpdir()).filter((f) => f.startsWith('kamailio-domain2-'));
}

it('starts Kamailio on the node address with the topology’s XCAP port and domain, and stops it', async () => {
  const topology = join(dir, 'topology.yaml');
  writeFileSync(
    topology,
    [
      'domains:',
      '  domain2.lab: { server: k2 }',
      'nodes:',
      '  k2: { role: kamailio, address: 127.0.102.21, ports: { sip: 5060, xcap: 8021 } }',
    ].join('\n'),
  );
  const runDirsBefore = new Set(kamailioRunDirs());
  const lab = new Lab({ topologyPath: topology, readyTimeoutMs: 30_000 });
  await lab.start();
  let kamailioPid = 0;
  try {
    const node = lab.nodes.find((n) => n.name === 'k2');
    assert.ok(node);
    assert.equal(node.role, 'kamailio');
    assert.equal(node.endpoints.sip, 'udp+tcp 127.0.102.21:5060');
    assert.equal(node.endpoints.xcap, 'http://127.0.102.21:8021/xcap-root');
    assert.equal(node.endpoints.domain, 'domain2.lab');
    kamailioPid = Number(node.endpoints.pid);
    assert.ok(kamailioPid > 0 && alive(kamailioPid));
    await waitForOptions('127.0.102.21', 3_000);
    // XCAP answers on the topology's port: an absent document is a 404 from xcap_server.
    const res = await fetch('http://127.0.102.21:8021/xcap-root/pres-rules/users/sip:jane@domain2.lab/index');
    assert.equal(res.status, 404);
    await res.body?.cancel();
  } finally {
    await lab.stop();
  }
  assert.equal(alive(kamailioPid), false, 'Kamailio stopped with its node');
  const left = kamailioRunDirs().filter((d) => !runDirsBefore.has(d));
  assert.deepEqual(left, [], 'the run folder is removed');
});

it('a kamailio node killed with SIGKILL (Lab.restart) does not leave its Kamailio behind', async () => {
  const topology = join(dir, 'restart.yaml');
  writeFileSync(
    topology,
    [
      'domains:',
      '  domain2.lab: { server: k2 }',
      'nodes:',
      '  k2: { role: kamailio, address: 127.0.102.23, ports: { sip: 5060, xcap: 8023 } }',
    ].join('\n'),
  );
  const lab = new Lab({ topologyPath: topology, readyTimeoutMs: 30_000 });
  await lab.start();
  let first = 0;
  let second = 0;
  try {
    first = Number(lab.nodes.find((n) => n.name === 'k2')?.endpoints.pid);
    assert.ok(alive(first));
    const node = await lab.restart('k2', { signal: 'SIGKILL' });
    second = Number(node.endpoints.pid);
    assert.notEqual(second, first);
    assert.equal(alive(first), false, 'the first Kamailio was reaped by the node’s next start');
    await waitForOptions('127.0.102.23', 3_000);
  } finally {
    await lab.stop();
  }
  assert.equal(alive(second), false);
});
