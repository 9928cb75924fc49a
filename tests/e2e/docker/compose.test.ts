import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { stringify } from 'yaml';
import { Lab } from '../../../lab/launcher.ts';
import { loadTopology, type Topology } from '../../../lab/topology.ts';
import { parseScenario } from '../../../scenarios/scenario-file.ts';
import { actionOf, type Scenario } from '../../../scenarios/scenario-schema.ts';
import { scenarioTopology } from '../../../scenarios/scenario-topology.ts';
import { callFor, describeStep } from '../../../scenarios/step-actions.ts';
import { type ControlCallError, TerminalClient } from '../../../scenarios/terminal-client.ts';

// The compose lab (docs/docker.md) brought up by testcontainers and driven through the normal
// flow, §5.3.5 steps 1–7. The containers' trace never leaves them, so the flow is checked as the
// users see it — every actor step and every expectEvent / expectState — and the hop expectations
// are left to tests/e2e/scenarios. The same driver runs once against the launcher's processes on
// this host, so the flow the Docker test runs is known to pass where no Docker engine answers.

const root = join(import.meta.dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'lab-compose-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function normalFlow(): Scenario {
  const text = readFileSync(join(root, 'scenarios', 'usecase-normal-flow.yaml'), 'utf8');
  const parsed = parseScenario(text);
  if (!parsed.ok) assert.fail(`usecase-normal-flow.yaml: ${JSON.stringify(parsed.problems)}`);
  return parsed.scenario;
}

/** Runs the scenario's steps through the terminals' control APIs; returns the hop steps passed over. */
async function driveThroughControlApis(
  scenario: Scenario,
  controlUrl: (actor: string) => string,
): Promise<{ checked: number; hops: number }> {
  const clients = new Map<string, TerminalClient>();
  const vars = new Map<string, string>();
  let checked = 0;
  let hops = 0;
  try {
    for (const actor of Object.keys(scenario.actors)) {
      const client = new TerminalClient(actor, controlUrl(actor));
      await client.connect(10_000);
      clients.set(actor, client);
    }
    const client = (actor: string) => clients.get(actor) ?? assert.fail(`no terminal for ${actor}`);
    for (const [i, step] of scenario.steps.entries()) {
      const action = actionOf(step);
      const timeoutMs = step.timeoutMs ?? scenario.timeoutMs ?? 10_000;
      const where = `step ${i + 1} (${describeStep(step)})`;
      try {
        switch (action.name) {
          case 'expect':
            hops++;
            continue;
          case 'expectEvent':
            await client(action.args.actor).waitForEvent(
              action.args.type,
              action.args.match,
              vars,
              timeoutMs,
            );
            break;
          case 'expectNoEvent':
            await client(action.args.actor).expectNoEvent(
              action.args.type,
              action.args.match,
              vars,
              action.args.forMs,
            );
            break;
          case 'expectState':
            await client(action.args.actor).waitForState(action.args.match, vars, timeoutMs);
            break;
          case 'wait':
            await new Promise((resolve) => setTimeout(resolve, action.args.ms));
            break;
          case 'restart':
            assert.fail('the normal flow restarts no node');
            break;
          default: {
            let answer: unknown;
            try {
              answer = await callFor(action, client(action.args.actor), timeoutMs);
            } catch (error) {
              if (step.expectError !== undefined && (error as ControlCallError).code === step.expectError)
                break;
              throw error;
            }
            if (step.expectError !== undefined)
              assert.fail(`expected ${step.expectError}, got ${JSON.stringify(answer)}`);
            if (action.name === 'sendMessage') {
              const sent = answer as { id?: unknown; status?: unknown };
              if (action.args.as && typeof sent.id === 'string') vars.set(action.args.as, sent.id);
              if (action.args.status !== undefined) assert.equal(sent.status, action.args.status);
            }
          }
        }
      } catch (error) {
        assert.fail(`${where}: ${(error as Error).message}`);
      }
      checked++;
    }
  } finally {
    for (const c of clients.values()) c.close();
  }
  return { checked, hops };
}

/** The scenario's topology settings on every node of the lab (compose runs them all). */
function composeTopology(scenario: Scenario): Topology {
  const { nodes: _only, ...rest } = scenario.topology ?? {};
  return scenarioTopology(loadTopology(join(root, 'lab', 'topology.yaml')), { ...scenario, topology: rest });
}

it('the normal flow passes through the terminals’ control APIs (launcher, this host)', async () => {
  const scenario = normalFlow();
  // The scenario's own topology, moved to 127.93.x.y so it cannot meet another test's lab.
  const topology = scenarioTopology(loadTopology(join(root, 'lab', 'topology.yaml')), scenario);
  for (const node of Object.values(topology.nodes))
    node.address = node.address.replace(/^127\.0\./, '127.93.');
  const path = join(dir, 'host-topology.yaml');
  writeFileSync(path, stringify(topology));
  const lab = new Lab({ topologyPath: path, readyTimeoutMs: 60_000 });
  await lab.start();
  try {
    const url = (actor: string) =>
      lab.nodes.find((n) => n.name === (scenario.actors[actor]?.node ?? actor))?.endpoints.control ??
      assert.fail(`${actor}: no control endpoint`);
    const { checked, hops } = await driveThroughControlApis(scenario, url);
    assert.equal(checked + hops, scenario.steps.length);
    assert.ok(checked > 0 && hops > 0, `${checked} user-visible steps, ${hops} hops`);
  } finally {
    await lab.stop();
  }
});

/** Why no Docker engine can be used, or undefined when one answers. */
async function noDockerEngine(): Promise<string | undefined> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
    return undefined;
  } catch (error) {
    return `no Docker engine answers (${(error as Error).message}); docs/docker.md`;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** GET / from the console, naming the Host it expects (its DNS-rebinding guard). */
function consolePage(port: number, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { host }, timeout: 10_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('console: no answer within 10 s')));
    req.on('error', reject);
    req.end();
  });
}

it('docker compose: brings the lab up as containers and runs the normal flow', {
  timeout: 900_000,
}, async (t) => {
  const reason = await noDockerEngine();
  if (reason) {
    t.diagnostic(reason);
    t.skip(reason);
    return;
  }
  const { DockerComposeEnvironment, Wait } = await import('testcontainers');
  // Ryuk (testcontainers' reaper) is an image pulled at run time; down() below cleans up instead.
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  const scenario = normalFlow();
  const topology = composeTopology(scenario);
  const topologyPath = join(dir, 'compose-topology.yaml');
  writeFileSync(topologyPath, stringify(topology));
  chmodSync(topologyPath, 0o644);
  const ports = { console: await freePort(), harry: await freePort(), jane: await freePort() };
  const started = await new DockerComposeEnvironment(root, 'docker-compose.yml')
    .withBuild()
    .withEnvironment({
      LAB_TOPOLOGY: topologyPath,
      LAB_CONSOLE_PORT: String(ports.console),
      LAB_HARRY_PORT: String(ports.harry),
      LAB_JANE_PORT: String(ports.jane),
    })
    .withDefaultWaitStrategy(Wait.forHealthCheck())
    .withStartupTimeout(300_000)
    .up();
  try {
    const consoleNode = topology.nodes.console;
    assert.ok(consoleNode);
    const page = await consolePage(ports.console, `${consoleNode.address}:${consoleNode.ports.http ?? 8080}`);
    assert.equal(page.status, 200);
    assert.match(page.body, /<html/i);
    const url = (actor: string) => {
      const node = scenario.actors[actor]?.node ?? actor;
      const port = node === 'harry' ? ports.harry : node === 'jane' ? ports.jane : undefined;
      return port
        ? `http://127.0.0.1:${port}/api/v1`
        : assert.fail(`${actor}: not published by the compose file`);
    };
    const { checked, hops } = await driveThroughControlApis(scenario, url);
    assert.equal(checked + hops, scenario.steps.length);
    t.diagnostic(
      `${checked} user-visible steps passed in containers; ${hops} hop expectations left to the host run`,
    );
  } finally {
    await started.down({ removeVolumes: true });
  }
});
