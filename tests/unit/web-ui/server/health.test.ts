import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { createServer } from 'node:net';
import { test } from 'node:test';
import type { Topology } from '../../../../lab/topology.ts';
import { nodeHealth, probePort, tcpProbe } from '../../../../web-ui/server/health.ts';

test('health: up when the node accepts TCP, down when not, not-built when its role is missing', async () => {
  const server = createServer((s) => s.destroy());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const open = (server.address() as AddressInfo).port;
  const closed = await new Promise<number>((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
  const topology: Topology = {
    domains: {},
    nodes: {
      ps1: { role: 'ps1', address: '127.0.0.1', ports: { http: open, cir: 1 } },
      jane: { role: 'jane', address: '127.0.0.1', ports: { sip: 1, control: closed } },
      iwf: { role: 'iwf', address: '127.0.0.1', ports: { ssp: open } },
    },
  };
  assert.equal(probePort(topology.nodes.jane!), closed, 'the control port is probed before SIP');
  const status = await nodeHealth(topology, ['ps1', 'jane']);
  server.close();
  assert.deepEqual(
    status.map((s) => [s.node, s.health]),
    [
      ['ps1', 'up'],
      ['jane', 'down'],
      ['iwf', 'not-built'],
    ],
  );
  assert.equal(typeof status[0]?.rttMs, 'number');
  assert.equal(await tcpProbe('127.0.0.1', closed), undefined);
});
