// The `console` role as `npm start` runs it (lab/roles/console.ts): it serves on the node's
// loopback address and takes trace relayed over its IPC channel in node-main's own shape.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { start } from '../../../../lab/roles/console.ts';
import type { Topology } from '../../../../lab/topology.ts';

test('console role: serves on its node address, reads relayed trace and mapping reports', async () => {
  const topology: Topology = {
    domains: { 'domain2.lab': { server: 'ps2' } },
    nodes: {
      ps2: { role: 'ps2', address: '127.0.2.1', ports: { sip: 5060 } },
      jane: { role: 'jane', address: '127.0.2.10', ports: { control: 8091 }, user: 'sip:jane@domain2.lab' },
      console: { role: 'console', address: '127.0.0.1', ports: { http: 0 } },
    },
  };
  const node = topology.nodes.console!;
  const running = await start('console', node, topology);
  try {
    const url = running.endpoints.console ?? '';
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const bytes = Buffer.from('REGISTER sip:domain2.lab SIP/2.0\r\nCSeq: 1 REGISTER\r\n\r\n');
    const event = {
      node: 'jane',
      protocol: 'sip',
      direction: 'tx',
      transport: 'udp',
      local: { address: '127.0.2.10', port: 5060 },
      remote: { address: '127.0.2.1', port: 5060 },
      time: Date.now(),
    };
    // What the launcher would relay: node-main's message, untouched.
    process.emit(
      'message',
      { type: 'trace', event: { ...event, bytes: bytes.toString('base64') } },
      undefined,
    );
    process.emit(
      'message',
      {
        type: 'map',
        event: { node: 'jane', time: event.time - 1, rows: ['A1'], from: 'x', to: 'SIP REGISTER' },
      },
      undefined,
    );
    const ladder = (await (await fetch(`${url}api/v1/trace`)).json()) as {
      rows: Array<{ from: string; to: string; label: string; rows: string[] }>;
    };
    assert.deepEqual(
      ladder.rows.map((r) => [r.from, r.to, r.label, r.rows]),
      [['jane', 'ps2', 'REGISTER', ['A1']]],
    );
    const topologyView = (await (await fetch(`${url}api/v1/topology`)).json()) as { traceSource?: string };
    assert.match(topologyView.traceSource ?? '', /IPC/);
  } finally {
    await running.stop();
  }
});
