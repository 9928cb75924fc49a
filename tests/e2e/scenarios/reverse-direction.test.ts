// The reverse-direction use case run for real through the runner: Jane (SIMPLE) watches Harry
// (IMPS) through PS2 and the IWF, once with a CSP 1.2 XML client and once with CSP 1.3 WBXML.
// PS2 record-routes Jane's SUBSCRIBE, so the IWF's NOTIFYs come back through PS2 (RFC 3261
// §16.6 step 4) — the diagram must show the hops IWF→PS2 and PS2→Jane for NOTIFY, never
// IWF→Jane.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runScenario } from '../../../scenarios/runner.ts';
import { loadCatalog } from '../../../scenarios/scenario-catalog.ts';
import type { Scenario } from '../../../scenarios/scenario-schema.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'reverse-direction-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// The lab's topology moved to addresses no other suite uses (127.0.105-109.y).
const base = join(dir, 'topology.yaml');
writeFileSync(
  base,
  readFileSync(join(root, 'lab', 'topology.yaml'), 'utf8')
    .replace(/127\.0\.1\.1\b/g, '127.0.105.1')
    .replace(/127\.0\.1\.10\b/g, '127.0.105.10')
    .replace(/127\.0\.2\.1\b/g, '127.0.107.1')
    .replace(/127\.0\.2\.10\b/g, '127.0.107.10')
    .replace(/127\.0\.3\.1\b/g, '127.0.108.1')
    .replace(/127\.0\.4\.1\b/g, '127.0.109.1'),
);

function scenario(name: string): Scenario {
  const entry = loadCatalog().find((e) => e.ok && e.scenario.name === name);
  assert.ok(entry?.ok, `${name} is in scenarios/ and valid`);
  return entry.scenario;
}

async function passes(name: string): Promise<void> {
  const s = scenario(name);
  const lines: string[] = [];
  const run = await runScenario(s, { baseTopologyPath: base, artifactsRoot: dir, log: (l) => lines.push(l) });
  assert.equal(run.result.status, 'passed', lines.join('\n'));
  assert.equal(run.result.steps.length, s.steps.length);
  for (const f of [run.artifacts.mermaid, run.artifacts.junit, run.artifacts.pcap, run.artifacts.log])
    assert.ok(existsSync(f), f);
  const arrows = readFileSync(run.artifacts.mermaid, 'utf8')
    .split('\n')
    .map((l) => l.trim());
  for (const hop of [
    'jane->>ps2: SUBSCRIBE (presence)',
    'ps2->>iwf: SUBSCRIBE (presence)',
    'iwf->>ps1: SSP SubscribeRequest',
    'ps1->>iwf: SSP PresenceNotification',
    'iwf->>ps2: NOTIFY (presence)',
    'ps2->>jane: NOTIFY (presence)',
  ])
    assert.ok(arrows.includes(hop), `${hop} in the diagram`);
  // On the dialog's path: the IWF never notifies Jane directly, nor does Jane answer it directly.
  assert.ok(!arrows.includes('iwf->>jane: NOTIFY (presence)'), 'no NOTIFY straight from the IWF to Jane');
  assert.ok(!arrows.some((a) => a.startsWith('jane-->>iwf:')), 'no response straight from Jane to the IWF');
  const junit = readFileSync(run.artifacts.junit, 'utf8');
  assert.equal(junit.match(/<testcase /g)?.length, s.steps.length);
  assert.match(junit, /failures="0"/);
}

describe('reverse-direction use case: Jane watches Harry through PS2 and the IWF', { concurrency: 1 }, () => {
  it('usecase-reverse-csp12 (Harry on CSP 1.2, XML)', () => passes('usecase-reverse-csp12'));
  it('usecase-reverse-csp13 (Harry on CSP 1.3, WBXML)', () => passes('usecase-reverse-csp13'));
});
