import assert from 'node:assert/strict';
import { it } from 'node:test';
import { SipUserAgent } from '../../../domains/simple/sip/core/index.ts';
import { scratchDir, withLab, writeTopology } from '../support/launched-lab.ts';

// Under the launcher the console is a process of its own: the launcher relays every node's trace
// to it, so the console's ladder shows what crossed between the other nodes.

const dir = scratchDir('lab-console-');

it('relays the nodes’ trace to the console process', async () => {
  const topology = writeTopology(dir, 'topology.yaml', [
    'edge: { role: visited, address: 127.0.150.1, ports: { sip: 0, http: 0 } }',
    'console: { role: console, address: 127.0.150.2, ports: { http: 0 } }',
  ]);
  await withLab(topology, async (lab) => {
    const ua = new SipUserAgent({ node: 'probe', address: '127.0.150.3', port: 0, protocols: ['udp'] });
    await ua.start();
    try {
      const consoleUrl = lab.nodes.find((n) => n.role === 'console')?.endpoints.console;
      const sipPort = Number(
        /:(\d+)$/.exec(lab.nodes.find((n) => n.role === 'visited')?.endpoints.sip ?? '')?.[1],
      );
      assert.ok(consoleUrl && sipPort > 0);
      // An OPTIONS to the edge proxy's own address: it answers (and traces) it.
      const res = await ua.request({
        method: 'OPTIONS',
        uri: `sip:127.0.150.1:${sipPort}`,
        from: 'sip:probe@x.lab',
      });
      assert.ok(res.status >= 200);
      const deadline = Date.now() + 10_000;
      let rows: Array<{ label?: string }> = [];
      while (Date.now() < deadline) {
        const body = (await (await fetch(`${consoleUrl.replace(/\/$/, '')}/api/v1/trace`)).json()) as {
          rows: Array<{ label?: string }>;
        };
        rows = body.rows;
        if (rows.some((r) => JSON.stringify(r).includes('OPTIONS'))) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(
        rows.some((r) => JSON.stringify(r).includes('OPTIONS')),
        `the console's ladder shows the OPTIONS the edge node traced (${JSON.stringify(rows).slice(0, 300)})`,
      );
    } finally {
      await ua.stop();
    }
  });
});
