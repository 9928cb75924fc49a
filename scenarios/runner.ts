// Runs one scenario headless: starts the nodes it needs with the Lab launcher (one process per
// node, on loopback), drives the actors through their terminals' control API, checks what each
// user sees and which messages cross which hop, and writes the artifacts (Mermaid diagram, JUnit
// XML, pcap, the topology used, the step log). The lab is stopped in every case.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { Lab } from '../lab/launcher.ts';
import { ROLES } from '../lab/roles/index.ts';
import { loadTopology, type Topology } from '../lab/topology.ts';
import { describeHopExpectation, findOnHop, parseHop, seenOnHop } from './expectations.ts';
import { toJUnit } from './reports/junit.ts';
import { participantLabel, toMermaid } from './reports/mermaid.ts';
import { formatHeader, formatStepLine, formatSummary } from './reports/step-log.ts';
import type { ScenarioResult, StepResult } from './reports/step-result.ts';
import { buildLadder } from './reports/trace-ladder.ts';
import { actionOf, type Scenario, type StepAction } from './scenario-schema.ts';
import { actorNode, addressBook, participantOrder, scenarioTopology } from './scenario-topology.ts';
import { callFor, describeStep } from './step-actions.ts';
import { ControlCallError, TerminalClient } from './terminal-client.ts';

export const DEFAULT_STEP_TIMEOUT_MS = 10_000;

/**
 * Capabilities beyond the roles that the lab has today: `node-restart` (`Lab.restart`, the
 * `restart` step), `buddy-list-api` (`PUT /api/v1/lists/{list}`) and `subscription-options-api`
 * (`attributes` / `onlyChanges` on subscribe) — docs/control-api.md.
 */
export const CAPABILITIES: readonly string[] = ['node-restart', 'buddy-list-api', 'subscription-options-api'];

/** What a scenario needs beyond its `requires`, from the steps it uses. */
export function impliedRequirements(scenario: Scenario): string[] {
  const out = new Set<string>();
  for (const step of scenario.steps) {
    const action = actionOf(step);
    if (action.name === 'restart') out.add('node-restart');
    if (action.name === 'setBuddyList') out.add('buddy-list-api');
    if (
      action.name === 'subscribe' &&
      (action.args.attributes !== undefined || action.args.onlyChanges !== undefined)
    )
      out.add('subscription-options-api');
  }
  return [...out];
}

export interface RunOptions {
  /** The lab topology the scenario's overrides apply to (default lab/topology.yaml). */
  baseTopologyPath?: string;
  /** Where `<name>/` is written (default artifacts/scenarios). */
  artifactsRoot?: string;
  log?: (line: string) => void;
  readyTimeoutMs?: number;
  /** Ctrl-C: ends the current wait; the lab is stopped as always. */
  signal?: AbortSignal;
}

export interface ScenarioArtifacts {
  dir: string;
  mermaid: string;
  junit: string;
  pcap: string;
  topology: string;
  log: string;
}

export interface ScenarioRun {
  result: ScenarioResult;
  artifacts: ScenarioArtifacts;
}

export type Runnability = { runnable: true } | { runnable: false; reason: string };

/** Can this scenario run in the lab as built today, and if not, why not. */
export function runnability(scenario: Scenario, base: Topology, available = Object.keys(ROLES)): Runnability {
  const have = new Set([...available, ...CAPABILITIES]);
  const needs = new Set([...(scenario.requires ?? []), ...impliedRequirements(scenario)]);
  let topology: Topology;
  try {
    topology = scenarioTopology(base, scenario);
  } catch (error) {
    return { runnable: false, reason: (error as Error).message };
  }
  for (const node of Object.values(topology.nodes)) if (node.role !== 'console') needs.add(node.role);
  const missing = [...needs].filter((n) => !have.has(n)).sort();
  if (missing.length === 0) return { runnable: true };
  return { runnable: false, reason: `needs ${missing.join(', ')} — not part of the lab yet` };
}

class StepFailure extends Error {}

export async function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<ScenarioRun> {
  const lines: string[] = [];
  const log = (line: string) => {
    lines.push(line);
    options.log?.(line);
  };
  const dir = join(options.artifactsRoot ?? 'artifacts/scenarios', scenario.name);
  mkdirSync(dir, { recursive: true });
  const artifacts: ScenarioArtifacts = {
    dir,
    mermaid: join(dir, 'sequence.mmd'),
    junit: join(dir, 'junit.xml'),
    pcap: join(dir, 'trace.pcap'),
    topology: join(dir, 'topology.yaml'),
    log: join(dir, 'steps.log'),
  };
  const startedAt = Date.now();
  const result: ScenarioResult = {
    name: scenario.name,
    ...(scenario.description ? { description: scenario.description.trim() } : {}),
    status: 'failed',
    startedAt,
    durationMs: 0,
    steps: [],
  };
  log(formatHeader(scenario.name, scenario.description, scenario.steps.length));

  let topology: Topology | undefined;
  let lab: Lab | undefined;
  const clients = new Map<string, TerminalClient>();
  const onAbort = () => void lab?.stop(1_000);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    topology = scenarioTopology(loadTopology(options.baseTopologyPath), scenario);
    writeFileSync(artifacts.topology, stringify(topology));
    // A hop naming a node that is not in this run is a typo: say so before starting anything.
    const names = Object.keys(topology.nodes);
    for (const step of scenario.steps) {
      const action = actionOf(step);
      if (action.name === 'expect') parseHop(action.args.hop, names);
    }
    lab = new Lab({ topologyPath: artifacts.topology, readyTimeoutMs: options.readyTimeoutMs ?? 30_000 });
    const t0 = Date.now();
    await lab.start();
    if (options.signal?.aborted) throw new Error('interrupted');
    log(`  lab: ${lab.nodes.map((n) => n.name).join(', ')} ready in ${Date.now() - t0} ms`);
    for (const actor of Object.keys(scenario.actors)) {
      const node = actorNode(scenario, actor);
      const url = lab.nodes.find((n) => n.name === node)?.endpoints.control;
      if (!url) throw new Error(`actor "${actor}": node "${node}" reported no control endpoint`);
      const client = new TerminalClient(actor, url);
      await client.connect(5_000);
      clients.set(actor, client);
    }
    await runSteps(scenario, topology, lab, clients, result, log, options.signal);
  } catch (error) {
    result.error = (error as Error).message;
    log(`  ✗ ${result.error}`);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    for (const c of clients.values()) c.close();
    await lab?.stop();
  }
  // Steps never reached (a failure, Ctrl-C, a lab that did not start) are reported as skipped.
  for (let i = result.steps.length; i < scenario.steps.length; i++) {
    const step = scenario.steps[i];
    if (!step) continue;
    result.steps.push({
      index: i + 1,
      title: describeStep(step),
      ...(step.useCaseStep !== undefined ? { useCaseStep: step.useCaseStep } : {}),
      status: 'skipped',
      startedAt: Date.now(),
      durationMs: 0,
    });
  }
  result.durationMs = Date.now() - startedAt;
  result.status =
    result.error === undefined && result.steps.every((s) => s.status === 'passed') ? 'passed' : 'failed';
  log(formatSummary(result));
  writeArtifacts(result, topology, lab, artifacts);
  writeFileSync(artifacts.log, `${lines.join('\n')}\n`);
  return { result, artifacts };
}

async function runSteps(
  scenario: Scenario,
  topology: Topology,
  lab: Lab,
  clients: Map<string, TerminalClient>,
  result: ScenarioResult,
  log: (line: string) => void,
  signal: AbortSignal | undefined,
): Promise<void> {
  const book = addressBook(topology);
  const nodes = Object.keys(topology.nodes);
  const vars = new Map<string, string>();
  let lastActionAt = result.startedAt;
  const total = scenario.steps.length;
  for (const [i, step] of scenario.steps.entries()) {
    if (signal?.aborted) throw new Error('interrupted (Ctrl-C)');
    const action = actionOf(step);
    const timeoutMs = step.timeoutMs ?? scenario.timeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
    const startedAt = Date.now();
    const record: StepResult = {
      index: i + 1,
      title: describeStep(step),
      ...(step.useCaseStep !== undefined ? { useCaseStep: step.useCaseStep } : {}),
      status: 'passed',
      startedAt,
      durationMs: 0,
    };
    if (isActorAction(action)) lastActionAt = startedAt;
    // A step that holds on purpose (wait, expectNoEvent, absent) gets its hold time on top.
    const holdMs =
      action.name === 'wait'
        ? action.args.ms
        : action.name === 'expectNoEvent'
          ? action.args.forMs
          : action.name === 'expect'
            ? (action.args.forMs ?? 0)
            : 0;
    try {
      await withDeadline(
        runStep(action, step.expectError, {
          clients,
          lab,
          book,
          nodes,
          vars,
          lastActionAt,
          timeoutMs,
          signal,
        }),
        timeoutMs + holdMs + 2_000,
        `step did not finish within ${timeoutMs + holdMs} ms`,
      );
    } catch (error) {
      record.status = 'failed';
      record.error = (error as Error).message;
    }
    record.durationMs = Date.now() - startedAt;
    result.steps.push(record);
    log(formatStepLine(record, total));
    if (record.status === 'failed') return;
  }
}

function isActorAction(action: StepAction): boolean {
  return !['expectEvent', 'expectNoEvent', 'expectState', 'expect', 'wait'].includes(action.name);
}

interface StepContext {
  clients: Map<string, TerminalClient>;
  lab: Lab;
  book: Map<string, string>;
  nodes: string[];
  vars: Map<string, string>;
  lastActionAt: number;
  timeoutMs: number;
  signal: AbortSignal | undefined;
}

async function runStep(action: StepAction, expectError: string | undefined, ctx: StepContext): Promise<void> {
  const client = (actor: string) => {
    const c = ctx.clients.get(actor);
    if (!c) throw new StepFailure(`no terminal for actor "${actor}"`);
    return c;
  };
  switch (action.name) {
    case 'expectEvent':
      await client(action.args.actor).waitForEvent(
        action.args.type,
        action.args.match,
        ctx.vars,
        ctx.timeoutMs,
        ctx.signal,
      );
      return;
    case 'expectNoEvent':
      await client(action.args.actor).expectNoEvent(
        action.args.type,
        action.args.match,
        ctx.vars,
        action.args.forMs,
        ctx.signal,
      );
      return;
    case 'expectState':
      await client(action.args.actor).waitForState(action.args.match, ctx.vars, ctx.timeoutMs, ctx.signal);
      return;
    case 'expect':
      await expectHop(action.args, ctx);
      return;
    case 'wait':
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, action.args.ms);
        ctx.signal?.addEventListener('abort', () => {
          clearTimeout(t);
          resolve();
        });
      });
      return;
    case 'restart': {
      // A crash (SIGKILL), as the use case's "the IWF is killed": nothing of its shutdown runs.
      if (!ctx.nodes.includes(action.args.node))
        throw new StepFailure(`no node "${action.args.node}" in this run (${ctx.nodes.join(', ')})`);
      await ctx.lab.restart(action.args.node, { signal: 'SIGKILL' });
      return;
    }
    default:
      break;
  }
  let answer: unknown;
  try {
    answer = await callFor(action, client(action.args.actor), ctx.timeoutMs);
  } catch (error) {
    if (expectError !== undefined && error instanceof ControlCallError && error.code === expectError) return;
    throw error;
  }
  if (expectError !== undefined)
    throw new StepFailure(`expected ${expectError}, got ${JSON.stringify(answer)}`);
  if (action.name === 'sendMessage') {
    const sent = answer as { id?: unknown; status?: unknown };
    if (action.args.as && typeof sent.id === 'string') ctx.vars.set(action.args.as, sent.id);
    if (action.args.status !== undefined && sent.status !== action.args.status)
      throw new StepFailure(`message ${String(sent.status)}, expected ${action.args.status}`);
  }
}

async function expectHop(
  args: Extract<StepAction, { name: 'expect' }>['args'],
  ctx: StepContext,
): Promise<void> {
  const hop = parseHop(args.hop, ctx.nodes);
  const since = args.since === 'run' ? 0 : ctx.lastActionAt;
  const what = describeHopExpectation(args);
  if (args.absent) {
    await new Promise((r) => setTimeout(r, args.forMs ?? 0));
    const hits = findOnHop(buildLadder(ctx.lab.trace, ctx.book), hop, args, since);
    if (hits.length > 0) throw new StepFailure(`${what}: but ${hits[0]?.summary.label} crossed`);
    return;
  }
  const deadline = Date.now() + ctx.timeoutMs;
  for (;;) {
    const ladder = buildLadder(ctx.lab.trace, ctx.book);
    if (findOnHop(ladder, hop, args, since).length > 0) return;
    if (Date.now() >= deadline || ctx.signal?.aborted)
      throw new StepFailure(`${what}: not seen within ${ctx.timeoutMs} ms\n${seenOnHop(ladder, hop, since)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function withDeadline<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StepFailure(message)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

function writeArtifacts(
  result: ScenarioResult,
  topology: Topology | undefined,
  lab: Lab | undefined,
  artifacts: ScenarioArtifacts,
): void {
  writeFileSync(artifacts.junit, toJUnit(result));
  const book = topology ? addressBook(topology) : new Map<string, string>();
  const ladder = buildLadder(lab?.trace ?? [], book);
  const participants = (topology ? participantOrder(topology) : []).map((node) => ({
    node,
    label: participantLabel(node),
  }));
  // One note where the use case's step changes, so the diagram reads as the numbered flow.
  const notes: Array<{ time: number; text: string }> = [];
  let current: string | undefined;
  for (const s of result.steps) {
    if (s.useCaseStep === undefined || String(s.useCaseStep) === current || s.status === 'skipped') continue;
    current = String(s.useCaseStep);
    notes.push({ time: s.startedAt, text: `use case step ${current}: ${s.title}` });
  }
  writeFileSync(artifacts.mermaid, toMermaid(ladder, { participants, notes, title: result.name }));
  if (lab) lab.writePcap(artifacts.pcap);
  else writeFileSync(artifacts.pcap, Buffer.alloc(0));
}
