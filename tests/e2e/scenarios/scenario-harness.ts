// Shared by the scenario suites: the lab's topology moved to a suite's own loopback block (so
// suites run side by side), the catalog's scenarios, and one run through the runner checked the
// same way everywhere (every step passed, the artifacts written, the expected hops drawn).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { runScenario } from '../../../scenarios/runner.ts';
import { loadCatalog } from '../../../scenarios/scenario-catalog.ts';
import type { Scenario } from '../../../scenarios/scenario-schema.ts';

const root = join(import.meta.dirname, '..', '..', '..');

/** The default addresses of lab/topology.yaml, by node. */
const DEFAULTS = {
  ps1: '127.0.1.1',
  harry: '127.0.1.10',
  ps2: '127.0.2.1',
  jane: '127.0.2.10',
  iwf: '127.0.3.1',
  visited: '127.0.4.1',
} as const;

export interface RelocatedLab {
  /** Where runs write their artifacts (removed after the suite). */
  dir: string;
  /** The relocated topology file. */
  base: string;
}

/** lab/topology.yaml with each node moved to the given address; cleaned up after the suite. */
export function relocatedLab(name: string, addresses: Record<keyof typeof DEFAULTS, string>): RelocatedLab {
  const dir = mkdtempSync(join(tmpdir(), `${name}-`));
  after(() => rmSync(dir, { recursive: true, force: true }));
  let text = readFileSync(join(root, 'lab', 'topology.yaml'), 'utf8');
  for (const [node, address] of Object.entries(DEFAULTS)) {
    text = text.replace(
      new RegExp(`${address.replace(/\./g, '\\.')}\\b`, 'g'),
      addresses[node as keyof typeof DEFAULTS],
    );
  }
  const base = join(dir, 'topology.yaml');
  writeFileSync(base, text);
  return { dir, base };
}

/** A copy of the catalog's scenario (safe to relocate nodes it adds). */
export function catalogScenario(name: string): Scenario {
  const entry = loadCatalog().find((e) => e.ok && e.scenario.name === name);
  assert.ok(entry?.ok, `${name} is in scenarios/ and valid`);
  return structuredClone(entry.scenario);
}

/**
 * Runs `scenario` and checks it passed, wrote its artifacts, and drew every hop in `hops`; returns
 * the diagram, the JUnit file and the topology the run used.
 */
export async function runPassing(
  scenario: Scenario,
  lab: RelocatedLab,
  hops: string[] = [],
): Promise<{ mermaid: string; junit: string; topology: string }> {
  const lines: string[] = [];
  const run = await runScenario(scenario, {
    baseTopologyPath: lab.base,
    artifactsRoot: lab.dir,
    log: (l) => lines.push(l),
  });
  assert.equal(run.result.status, 'passed', lines.join('\n'));
  assert.equal(run.result.steps.length, scenario.steps.length);
  for (const f of [run.artifacts.mermaid, run.artifacts.junit, run.artifacts.pcap, run.artifacts.log])
    assert.ok(existsSync(f), f);
  const mermaid = readFileSync(run.artifacts.mermaid, 'utf8');
  const arrows = mermaid.split('\n').map((l) => l.trim());
  for (const hop of hops) assert.ok(arrows.includes(hop), `${hop} in the diagram\n${mermaid}`);
  const junit = readFileSync(run.artifacts.junit, 'utf8');
  assert.equal(junit.match(/<testcase /g)?.length, scenario.steps.length);
  assert.match(junit, /failures="0"/);
  return { mermaid, junit, topology: readFileSync(run.artifacts.topology, 'utf8') };
}
