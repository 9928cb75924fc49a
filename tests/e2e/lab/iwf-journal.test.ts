import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { scratchDir, withLab, writeTopology } from '../support/launched-lab.ts';

// The IWF's default journal sits beside the run's topology file, and a scenario's artifacts
// folder (where the runner writes that file) is reused by the scenario's next run. The launcher's
// first start of a run must not resume the previous run's links; a `stateFile` set in the
// topology is the operator's choice and is kept.

const dir = scratchDir('lab-iwf-journal-');

const STALE = JSON.stringify({
  op: 'put',
  key: 'msg:from-the-previous-run',
  value: { kind: 'nothing-this-run-knows' },
});

/** The journal the IWF node of `topology` reports, after one start and stop of the lab. */
function runOnce(topology: string): Promise<string> {
  return withLab(topology, (lab) => lab.nodes.find((n) => n.name === 'iwf')?.endpoints.state ?? '');
}

it('a run’s first start removes the previous run’s default journal; an explicit stateFile is kept', async () => {
  const topology = writeTopology(dir, 'topology.yaml', [
    'iwf: { role: iwf, address: 127.0.102.41, ports: { sip: 5060, ssp: 8083 } }',
  ]);
  const journal = join(dir, 'iwf-state.jsonl');
  writeFileSync(journal, `${JSON.stringify({ schema: 2 })}\n${STALE}\n`);
  assert.equal(await runOnce(topology), journal, 'the default journal is beside the topology file');
  assert.ok(!existsSync(journal) || !readFileSync(journal, 'utf8').includes('from-the-previous-run'));

  const kept = join(dir, 'kept-state.jsonl');
  writeFileSync(kept, `${JSON.stringify({ schema: 2 })}\n`);
  const explicit = writeTopology(dir, 'explicit.yaml', [
    `iwf: { role: iwf, address: 127.0.102.41, ports: { sip: 5060, ssp: 8083 }, stateFile: ${JSON.stringify(kept)} }`,
  ]);
  assert.equal(await runOnce(explicit), kept);
  assert.ok(existsSync(kept), 'the configured journal is not removed');
});
