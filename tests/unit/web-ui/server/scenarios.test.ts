import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Topology } from '../../../../lab/topology.ts';
import type { Scenario } from '../../../../scenarios/scenario-schema.ts';
import { shiftAddress, shiftScenario, shiftTopology } from '../../../../web-ui/server/scenarios.ts';

test('a console run moves every address to 127.(a+100).b.c, keeping the rest', () => {
  assert.equal(shiftAddress('127.0.2.11'), '127.100.2.11');
  assert.equal(shiftAddress('127.5.0.1', 3), '127.8.0.1');
  assert.throws(() => shiftAddress('127.200.0.1'), /cannot move/);
  assert.throws(() => shiftAddress('10.0.0.1'), /not in 127/);
  const base: Topology = {
    domains: { 'domain2.lab': { server: 'ps2' } },
    nodes: {
      ps2: { role: 'ps2', address: '127.0.2.1', ports: { sip: 5060 } },
      jane: { role: 'jane', address: '127.0.2.10', ports: { control: 8091 }, user: 'sip:jane@domain2.lab' },
    },
  };
  const moved = shiftTopology(base);
  assert.equal(moved.nodes.ps2?.address, '127.100.2.1');
  assert.equal(moved.nodes.jane?.user, 'sip:jane@domain2.lab');
  assert.deepEqual(moved.nodes.jane?.ports, { control: 8091 });
  assert.equal(base.nodes.ps2?.address, '127.0.2.1', 'the input is not changed');
});

test('nodes a scenario adds or sets move with it', () => {
  const scenario = {
    name: 'x',
    actors: {},
    steps: [],
    topology: {
      nodes: ['ps2', 'alice'],
      add: { alice: { role: 'jane', address: '127.0.2.11', ports: { control: 8092 } } },
      set: { ps2: { notifyMinIntervalMs: 0 }, jane: { address: '127.0.2.12' } },
    },
  } as unknown as Scenario;
  const moved = shiftScenario(scenario);
  const t = moved.topology as unknown as {
    nodes: string[];
    add: Record<string, { address: string }>;
    set: Record<string, Record<string, unknown>>;
  };
  assert.equal(t.add.alice?.address, '127.100.2.11');
  assert.deepEqual(t.set.ps2, { notifyMinIntervalMs: 0 });
  assert.equal(t.set.jane?.address, '127.100.2.12');
  assert.deepEqual(t.nodes, ['ps2', 'alice']);
});
