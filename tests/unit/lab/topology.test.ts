import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { domainServer, loadTopology, parseTopology } from '../../../lab/topology.ts';

describe('topology', () => {
  it('loads the default file with the DESIGN addresses', () => {
    const t = loadTopology();
    assert.equal(t.nodes.ps1?.address, '127.0.1.1');
    assert.equal(t.nodes.ps2?.address, '127.0.2.1');
    assert.equal(t.nodes.iwf?.address, '127.0.3.1');
    assert.equal(t.nodes.visited?.address, '127.0.4.1');
    assert.equal(domainServer(t, 'domain2.lab')?.[0], 'ps2');
  });

  it('refuses any address outside 127.0.0.0/8', () => {
    for (const address of ['10.0.0.1', '192.168.1.1', '127.0.0.256', 'localhost']) {
      assert.throws(
        () => parseTopology(`domains: {}\nnodes:\n  x: { role: ps1, address: ${address}, ports: {} }\n`),
        /127\.0\.0\.0\/8|IPv4/,
        address,
      );
    }
  });

  it('refuses unknown roles and malformed YAML with a clear error', () => {
    assert.throws(
      () => parseTopology('domains: {}\nnodes:\n  x: { role: nope, address: 127.0.0.1, ports: {} }\n'),
      /invalid topology/,
    );
    assert.throws(() => parseTopology('nodes: [1, 2'), /./);
  });
});
