// The last cross-domain scenarios, run for real through the runner: the IWF killed and restarted
// mid-run (`restart` step, Lab.restart with SIGKILL), and the normal and reactive flows with
// Kamailio's presence server (Domain2 mode, role `kamailio`) as Domain2's server instead of PS2.
// Each test checks that every step passed, the diagram's hops and the JUnit file.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadTopology } from '../../../lab/topology.ts';
import { runnability, runScenario } from '../../../scenarios/runner.ts';
import { loadCatalog } from '../../../scenarios/scenario-catalog.ts';
import type { Scenario } from '../../../scenarios/scenario-schema.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'restart-kamailio-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// The lab's topology moved to addresses no other suite uses (127.0.101.y).
const base = join(dir, 'topology.yaml');
writeFileSync(
  base,
  readFileSync(join(root, 'lab', 'topology.yaml'), 'utf8')
    .replace(/127\.0\.1\.1\b/g, '127.0.101.1')
    .replace(/127\.0\.1\.10\b/g, '127.0.101.10')
    .replace(/127\.0\.2\.1\b/g, '127.0.101.21')
    .replace(/127\.0\.2\.10\b/g, '127.0.101.30')
    .replace(/127\.0\.3\.1\b/g, '127.0.101.41')
    .replace(/127\.0\.4\.1\b/g, '127.0.101.51'),
);
const KAMAILIO_ADDRESS = '127.0.101.22';

function scenario(name: string): Scenario {
  const entry = loadCatalog().find((e) => e.ok && e.scenario.name === name);
  assert.ok(entry?.ok, `${name} is in scenarios/ and valid`);
  const s = structuredClone(entry.scenario);
  // The Kamailio scenarios add their own node; it moves with the rest of the lab.
  const kamailio = s.topology?.add?.kamailio;
  if (kamailio) kamailio.address = KAMAILIO_ADDRESS;
  return s;
}

async function passes(name: string, hops: string[]): Promise<string> {
  const s = scenario(name);
  assert.deepEqual(runnability(s, loadTopology(base)), { runnable: true });
  const lines: string[] = [];
  const run = await runScenario(s, { baseTopologyPath: base, artifactsRoot: dir, log: (l) => lines.push(l) });
  assert.equal(run.result.status, 'passed', lines.join('\n'));
  assert.equal(run.result.steps.length, s.steps.length);
  for (const f of [run.artifacts.mermaid, run.artifacts.junit, run.artifacts.pcap, run.artifacts.log])
    assert.ok(existsSync(f), f);
  const mermaid = readFileSync(run.artifacts.mermaid, 'utf8');
  const arrows = mermaid.split('\n').map((l) => l.trim());
  for (const hop of hops) assert.ok(arrows.includes(hop), `${hop} in the diagram`);
  const junit = readFileSync(run.artifacts.junit, 'utf8');
  assert.equal(junit.match(/<testcase /g)?.length, s.steps.length);
  assert.match(junit, /failures="0"/);
  return readFileSync(run.artifacts.topology, 'utf8');
}

describe('restart and Kamailio scenarios', { concurrency: 1 }, () => {
  it('usecase-iwf-restart: the IWF is killed and restarted; subscription and stored IM survive', async () => {
    await passes('usecase-iwf-restart', [
      'ps1->>iwf: SSP SubscribeRequest',
      'iwf->>ps2: SUBSCRIBE (presence)',
      'ps2->>iwf: NOTIFY (presence)',
      'iwf->>ps1: SSP PresenceNotification',
    ]);
  });

  it('usecase-kamailio-normal-flow: Kamailio as Domain2, proactive authorization', async () => {
    const topology = await passes('usecase-kamailio-normal-flow', [
      'iwf->>kamailio: SUBSCRIBE (presence)',
      'kamailio->>iwf: NOTIFY (presence)',
      'iwf->>ps1: SSP PresenceNotification',
      'iwf->>kamailio: MESSAGE',
    ]);
    assert.match(topology, /domain2\.lab:\s*\n\s*server: kamailio/);
    assert.doesNotMatch(topology, /role: ps2/, 'PS2 is not part of the run');
  });

  it('usecase-kamailio-reactive-flow: Kamailio as Domain2, Jane approves Harry', async () => {
    await passes('usecase-kamailio-reactive-flow', [
      'iwf->>kamailio: SUBSCRIBE (presence)',
      'kamailio->>iwf: NOTIFY (presence)',
      'iwf->>ps1: SSP PresenceNotification',
    ]);
  });
});
