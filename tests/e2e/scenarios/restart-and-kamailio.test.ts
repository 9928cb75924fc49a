// The last cross-domain scenarios, run for real through the runner: the IWF killed and restarted
// mid-run (`restart` step, Lab.restart with SIGKILL), and the normal and reactive flows with
// Kamailio's presence server (Domain2 mode, role `kamailio`) as Domain2's server instead of PS2.
// Each test checks that every step passed, the diagram's hops and the JUnit file.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadTopology } from '../../../lab/topology.ts';
import { runnability } from '../../../scenarios/runner.ts';
import type { Scenario } from '../../../scenarios/scenario-schema.ts';
import { catalogScenario, relocatedLab, runPassing } from './scenario-harness.ts';

// The lab's topology moved to addresses no other suite uses (127.0.101.y).
const lab = relocatedLab('restart-kamailio', {
  ps1: '127.0.101.1',
  harry: '127.0.101.10',
  ps2: '127.0.101.21',
  jane: '127.0.101.30',
  iwf: '127.0.101.41',
  visited: '127.0.101.51',
});
const KAMAILIO_ADDRESS = '127.0.101.22';

function scenario(name: string): Scenario {
  const s = catalogScenario(name);
  // The Kamailio scenarios add their own node; it moves with the rest of the lab.
  const kamailio = s.topology?.add?.kamailio;
  if (kamailio) kamailio.address = KAMAILIO_ADDRESS;
  return s;
}

async function passes(name: string, hops: string[]): Promise<string> {
  const s = scenario(name);
  assert.deepEqual(runnability(s, loadTopology(lab.base)), { runnable: true });
  return (await runPassing(s, lab, hops)).topology;
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
