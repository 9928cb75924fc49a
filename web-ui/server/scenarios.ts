// The scenario launcher: the catalog of scenarios/ with whether each can run today, one run at
// a time through the scenario runner, each step's pass/fail as it finishes, and the run's Mermaid
// ladder and JUnit report. A run from the console must not collide with the live lab, so its
// nodes move to another part of 127.0.0.0/8 (127.a.b.c → 127.(a+offset).b.c); hops are matched
// by address, so the shift changes nothing a scenario checks.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Topology } from '../../lab/topology.ts';
import type { ScenarioResult } from '../../scenarios/reports/step-result.ts';
import { runnability, runScenario } from '../../scenarios/runner.ts';
import { loadCatalog } from '../../scenarios/scenario-catalog.ts';
import type { Scenario } from '../../scenarios/scenario-schema.ts';
import { describeStep } from '../../scenarios/step-actions.ts';
import { consoleProblem, notFound } from './problem.ts';

export const ADDRESS_OFFSET = 100;

export function shiftAddress(address: string, offset = ADDRESS_OFFSET): string {
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(address);
  if (!m) throw new Error(`${address} is not in 127.0.0.0/8`);
  const a = Number(m[1]) + offset;
  if (a > 255) throw new Error(`${address} cannot move by ${offset}`);
  return `127.${a}.${m[2]}.${m[3]}`;
}

export function shiftTopology(topology: Topology, offset = ADDRESS_OFFSET): Topology {
  const nodes: Topology['nodes'] = {};
  for (const [name, node] of Object.entries(topology.nodes))
    nodes[name] = { ...node, address: shiftAddress(node.address, offset) };
  return { domains: { ...topology.domains }, nodes };
}

export function shiftScenario(scenario: Scenario, offset = ADDRESS_OFFSET): Scenario {
  const t = scenario.topology;
  if (!t) return scenario;
  const move = <T extends Record<string, unknown>>(nodes: Record<string, T> | undefined) =>
    nodes &&
    Object.fromEntries(
      Object.entries(nodes).map(([k, n]) => [
        k,
        typeof n.address === 'string' ? { ...n, address: shiftAddress(n.address, offset) } : n,
      ]),
    );
  return {
    ...scenario,
    topology: {
      ...t,
      ...(t.add ? { add: move(t.add as Record<string, Record<string, unknown>>) } : {}),
      ...(t.set ? { set: move(t.set as Record<string, Record<string, unknown>>) } : {}),
    } as Scenario['topology'],
  };
}

export interface ScenarioListing {
  name: string;
  description?: string;
  runnable: boolean;
  reason?: string;
  steps: Array<{ index: number; title: string; useCaseStep?: number | string }>;
}

export interface ScenarioRunState {
  runId: number;
  name: string;
  status: 'running' | 'passed' | 'failed';
  steps: Array<{ index: number; status: 'passed' | 'failed' | 'skipped'; line: string }>;
  result?: ScenarioResult;
  mermaid?: string;
  junit?: string;
}

export type ScenarioEvent = { type: 'scenario'; run: ScenarioRunState };

export class ScenarioLauncher {
  private running: ScenarioRunState | undefined;
  private readonly last = new Map<string, ScenarioRunState>();
  private runs = 0;

  constructor(
    private readonly base: Topology,
    private readonly builtRoles: readonly string[],
    private readonly artifactsRoot: string,
    private readonly emit: (e: ScenarioEvent) => void,
    /** Where the scenario files are (default `scenarios/`). */
    private readonly dir?: string,
  ) {}

  list(): ScenarioListing[] {
    return loadCatalog(this.dir).flatMap((entry): ScenarioListing[] => {
      if (!entry.ok) return [];
      const s = entry.scenario;
      const r = runnability(s, this.base, [...this.builtRoles]);
      return [
        {
          name: s.name,
          ...(s.description ? { description: s.description.trim() } : {}),
          runnable: r.runnable,
          ...(r.runnable ? {} : { reason: r.reason }),
          steps: s.steps.map((step, i) => ({
            index: i + 1,
            title: describeStep(step),
            ...(step.useCaseStep !== undefined ? { useCaseStep: step.useCaseStep } : {}),
          })),
        },
      ];
    });
  }

  lastRun(name: string): ScenarioRunState | undefined {
    return this.running?.name === name ? this.running : this.last.get(name);
  }

  /** Starts `name`; answers at once with the run, whose steps then arrive as events. */
  start(name: string): ScenarioRunState {
    const entry = loadCatalog(this.dir).find((e) => e.ok && e.scenario.name === name);
    if (!entry?.ok) throw notFound(`no scenario "${name}"`);
    if (this.running) throw consoleProblem('scenario-busy', `${this.running.name} runs now`);
    const r = runnability(entry.scenario, this.base, [...this.builtRoles]);
    if (!r.runnable) throw consoleProblem('scenario-not-runnable', r.reason);
    const run: ScenarioRunState = { runId: ++this.runs, name, status: 'running', steps: [] };
    this.running = run;
    this.emit({ type: 'scenario', run });
    void this.execute(entry.scenario, run);
    return run;
  }

  private async execute(scenario: Scenario, run: ScenarioRunState): Promise<void> {
    const dir = join(this.artifactsRoot, 'console-runs');
    mkdirSync(dir, { recursive: true });
    const basePath = join(dir, 'base-topology.yaml');
    try {
      writeFileSync(basePath, stringify(shiftTopology(this.base)));
      const { result, artifacts } = await runScenario(shiftScenario(scenario), {
        baseTopologyPath: basePath,
        artifactsRoot: dir,
        log: (line) => {
          // formatStepLine: `  [ 3/24] ✓ §2 jane: authorize … (12 ms)`.
          const m = /^\s*\[\s*(\d+)\/\d+\]\s*([✓✗·])/.exec(line);
          if (!m) return;
          const status = m[2] === '✓' ? 'passed' : m[2] === '✗' ? 'failed' : 'skipped';
          run.steps.push({ index: Number(m[1]), status, line: line.split('\n')[0]?.trim() ?? '' });
          this.emit({ type: 'scenario', run });
        },
      });
      run.result = result;
      run.status = result.status;
      run.mermaid = readFileSync(artifacts.mermaid, 'utf8');
      run.junit = readFileSync(artifacts.junit, 'utf8');
    } catch (error) {
      run.status = 'failed';
      run.result = {
        name: scenario.name,
        status: 'failed',
        startedAt: Date.now(),
        durationMs: 0,
        steps: [],
        error: (error as Error).message,
      };
    } finally {
      this.running = undefined;
      this.last.set(run.name, run);
      this.emit({ type: 'scenario', run });
    }
  }
}
