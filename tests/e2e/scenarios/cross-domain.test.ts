// The cross-domain use-case scenarios that pass through the IWF, each run for real through the
// runner: PS1, Harry, the IWF, PS2 and Jane (and the visited network for roaming) as separate
// processes on loopback, driven through the terminals' control API. One test per scenario; each
// checks that every step passed, that the IWF is a participant of the diagram, and the JUnit file.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runScenario } from '../../../scenarios/runner.ts';
import { loadCatalog } from '../../../scenarios/scenario-catalog.ts';
import type { Scenario } from '../../../scenarios/scenario-schema.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'cross-domain-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// The lab's topology moved to addresses no other suite uses (127.0.85-89.y).
const base = join(dir, 'topology.yaml');
writeFileSync(
  base,
  readFileSync(join(root, 'lab', 'topology.yaml'), 'utf8')
    .replace(/127\.0\.1\.1\b/g, '127.0.85.1')
    .replace(/127\.0\.1\.10\b/g, '127.0.85.10')
    .replace(/127\.0\.2\.1\b/g, '127.0.87.1')
    .replace(/127\.0\.2\.10\b/g, '127.0.87.10')
    .replace(/127\.0\.3\.1\b/g, '127.0.88.1')
    .replace(/127\.0\.4\.1\b/g, '127.0.89.1'),
);

function scenario(name: string): Scenario {
  const entry = loadCatalog().find((e) => e.ok && e.scenario.name === name);
  assert.ok(entry?.ok, `${name} is in scenarios/ and valid`);
  return entry.scenario;
}

async function passes(name: string, hops: string[]): Promise<void> {
  const s = scenario(name);
  const lines: string[] = [];
  const run = await runScenario(s, { baseTopologyPath: base, artifactsRoot: dir, log: (l) => lines.push(l) });
  assert.equal(run.result.status, 'passed', lines.join('\n'));
  assert.equal(run.result.steps.length, s.steps.length);
  for (const f of [run.artifacts.mermaid, run.artifacts.junit, run.artifacts.pcap, run.artifacts.log])
    assert.ok(existsSync(f), f);
  const mermaid = readFileSync(run.artifacts.mermaid, 'utf8');
  assert.match(mermaid, /participant iwf as IWF/);
  const arrows = mermaid.split('\n').map((l) => l.trim());
  for (const hop of hops) assert.ok(arrows.includes(hop), `${hop} in the diagram`);
  const junit = readFileSync(run.artifacts.junit, 'utf8');
  assert.equal(junit.match(/<testcase /g)?.length, s.steps.length);
  assert.match(junit, /failures="0"/);
}

describe('cross-domain use-case scenarios through the IWF', { concurrency: 1 }, () => {
  it('usecase-normal-flow (§5.3.5 steps 1–7)', () =>
    passes('usecase-normal-flow', [
      'ps1->>iwf: SSP SubscribeRequest',
      'iwf->>ps2: SUBSCRIBE (presence)',
      'ps2->>iwf: NOTIFY (presence)',
      'iwf->>ps1: SSP PresenceNotification',
      'iwf->>ps2: MESSAGE',
    ]));

  it('usecase-alternative-flow (§5.3.6, reactive authorization approved)', () =>
    passes('usecase-alternative-flow', [
      'iwf->>ps2: SUBSCRIBE (presence)',
      'iwf->>ps1: SSP PresenceNotification',
    ]));

  it('usecase-unsubscribe', () =>
    passes('usecase-unsubscribe', ['ps1->>iwf: SSP UnsubscribeRequest', 'iwf->>ps2: SUBSCRIBE (presence)']));

  it('usecase-im-both-ways (delivery reports ⇄ IMDN)', () =>
    passes('usecase-im-both-ways', [
      'ps1->>iwf: SSP SendMessageRequest',
      'iwf->>ps1: SSP DeliveryStatusReport',
      'ps1->>iwf: SSP DeliveryStatusReport',
      'iwf->>ps1: SSP SendMessageRequest',
    ]));

  it('usecase-im-offline (stored both ways, reports at delivery)', () =>
    passes('usecase-im-offline', ['iwf->>ps2: MESSAGE', 'iwf->>ps1: SSP SendMessageRequest']));

  it('usecase-roaming (both users through the visited network)', () =>
    passes('usecase-roaming', ['iwf->>ps2: SUBSCRIBE (presence)', 'iwf->>ps1: SSP PresenceNotification']));
});
