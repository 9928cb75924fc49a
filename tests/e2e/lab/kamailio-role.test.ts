import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { it } from 'node:test';
import { waitForOptions } from '../../../lab/kamailio/kamailio.ts';
import { alive, scratchDir, withLab, writeTopology } from '../support/launched-lab.ts';

// The `kamailio` role: Kamailio in Domain2 mode as a lab node (its own process, which runs
// Kamailio in its own process group), answering on the node's address, stopped with the lab.

const dir = scratchDir('lab-kamailio-');

/** A Domain2 topology with one `kamailio` node, k2, on `address` (SIP :5060, XCAP :xcapPort). */
const kamailioTopology = (file: string, address: string, xcapPort: number) =>
  writeTopology(
    dir,
    file,
    [`k2: { role: kamailio, address: ${address}, ports: { sip: 5060, xcap: ${xcapPort} } }`],
    ['domain2.lab: { server: k2 }'],
  );

function kamailioRunDirs(): string[] {
  return readdirSync(tmpdir()).filter((f) => f.startsWith('kamailio-domain2-'));
}

it('starts Kamailio on the node address with the topology’s XCAP port and domain, and stops it', async () => {
  const topology = kamailioTopology('topology.yaml', '127.0.102.21', 8021);
  const runDirsBefore = new Set(kamailioRunDirs());
  const kamailioPid = await withLab(topology, async (lab) => {
    const node = lab.nodes.find((n) => n.name === 'k2');
    assert.ok(node);
    assert.equal(node.role, 'kamailio');
    assert.equal(node.endpoints.sip, 'udp+tcp 127.0.102.21:5060');
    assert.equal(node.endpoints.xcap, 'http://127.0.102.21:8021/xcap-root');
    assert.equal(node.endpoints.domain, 'domain2.lab');
    const pid = Number(node.endpoints.pid);
    assert.ok(pid > 0 && alive(pid));
    await waitForOptions('127.0.102.21', 3_000);
    // XCAP answers on the topology's port: an absent document is a 404 from xcap_server.
    const res = await fetch('http://127.0.102.21:8021/xcap-root/pres-rules/users/sip:jane@domain2.lab/index');
    assert.equal(res.status, 404);
    await res.body?.cancel();
    return pid;
  });
  assert.equal(alive(kamailioPid), false, 'Kamailio stopped with its node');
  const left = kamailioRunDirs().filter((d) => !runDirsBefore.has(d));
  assert.deepEqual(left, [], 'the run folder is removed');
});

it('a kamailio node killed with SIGKILL (Lab.restart) does not leave its Kamailio behind', async () => {
  const topology = kamailioTopology('restart.yaml', '127.0.102.23', 8023);
  let second = 0;
  await withLab(topology, async (lab) => {
    const first = Number(lab.nodes.find((n) => n.name === 'k2')?.endpoints.pid);
    assert.ok(alive(first));
    const node = await lab.restart('k2', { signal: 'SIGKILL' });
    second = Number(node.endpoints.pid);
    assert.notEqual(second, first);
    assert.equal(alive(first), false, 'the first Kamailio was reaped by the node’s next start');
    await waitForOptions('127.0.102.23', 3_000);
  });
  assert.equal(alive(second), false);
});
