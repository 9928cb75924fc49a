import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { it } from 'node:test';
import { parse } from 'yaml';
import { loadTopology } from '../../../lab/topology.ts';

// CI's check of the compose file (docs/docker.md): Debian's docker-compose (1.29, `apt-get install
// docker-compose`) must accept it — `config` reads and resolves the file without a Docker engine —
// and the resolved file must run every node of lab/topology.yaml on one shared loopback.

const root = join(import.meta.dirname, '..', '..', '..');
const topology = loadTopology(join(root, 'lab', 'topology.yaml'));

interface Service {
  command?: string[];
  network_mode?: string;
  environment?: Record<string, string>;
  healthcheck?: { test?: string[] };
  ports?: string[];
  volumes?: string[];
  image?: string;
  build?: unknown;
}

function composeConfig(env: Record<string, string> = {}): { services: Record<string, Service> } {
  let out: string;
  try {
    out = execFileSync('docker-compose', ['-f', 'docker-compose.yml', 'config'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT')
      assert.fail('docker-compose is not installed (Debian: apt-get install docker-compose; .ci/run does)');
    assert.fail(`docker-compose config refused the file:\n${e.stderr ?? e.message}`);
  }
  return parse(out) as { services: Record<string, Service> };
}

it('docker-compose config -q accepts the file', () => {
  execFileSync('docker-compose', ['-f', 'docker-compose.yml', 'config', '-q'], { cwd: root, stdio: 'pipe' });
});

it('runs one service per topology node, each its own node-main with the same topology file', () => {
  const { services } = composeConfig();
  const nodes = Object.keys(topology.nodes).sort();
  assert.deepEqual(Object.keys(services).sort(), [...nodes, 'lab-net'].sort());
  const image = services['lab-net']?.image;
  assert.ok(image, 'lab-net builds the image');
  assert.ok(services['lab-net']?.build, 'lab-net builds the image');
  for (const name of nodes) {
    const s = services[name];
    assert.ok(s, name);
    assert.equal(s.image, image, `${name}: one image for every node`);
    assert.deepEqual(s.command, ['node', '--import', 'tsx', 'lab/node-main.ts', name, 'lab/topology.yaml']);
    assert.ok(
      s.volumes?.includes(`${join(root, 'lab', 'topology.yaml')}:/app/lab/topology.yaml:ro`),
      `${name} mounts lab/topology.yaml: ${JSON.stringify(s.volumes)}`,
    );
  }
});

it('puts every node in the network namespace of lab-net, the only service with ports', () => {
  const { services } = composeConfig();
  for (const [name, s] of Object.entries(services)) {
    if (name === 'lab-net') continue;
    assert.equal(s.network_mode, 'service:lab-net', name);
    assert.equal(s.ports, undefined, `${name} publishes nothing itself`);
  }
  assert.equal(services['lab-net']?.network_mode, undefined);
});

it('publishes the console and both control APIs on the host’s 127.0.0.1 only, relayed to the nodes', () => {
  const { services } = composeConfig();
  const net = services['lab-net'];
  assert.ok(net);
  const wanted = [
    ['console', topology.nodes.console?.ports.http],
    ['harry', topology.nodes.harry?.ports.control],
    ['jane', topology.nodes.jane?.ports.control],
  ] as const;
  const rules = new Map(
    (net.environment?.LAB_PUBLISH ?? '').split(' ').map((r) => r.split('=') as [string, string]),
  );
  for (const [node, port] of wanted) {
    assert.ok(port, `${node} has the port in the topology`);
    assert.ok(net.ports?.includes(`127.0.0.1:${port}:${port}/tcp`), `${node}: ${JSON.stringify(net.ports)}`);
    assert.equal(rules.get(String(port)), `${topology.nodes[node]?.address}:${port}`, node);
  }
  assert.equal(net.ports?.length, wanted.length);
  for (const p of net.ports ?? []) assert.match(p, /^127\.0\.0\.1:/);
});

it('lets LAB_TOPOLOGY and the LAB_*_PORT variables pick the file and the host ports', () => {
  const { services } = composeConfig({
    LAB_TOPOLOGY: '/tmp/other-topology.yaml',
    LAB_CONSOLE_PORT: '18080',
    LAB_HARRY_PORT: '18090',
    LAB_JANE_PORT: '18091',
  });
  assert.deepEqual(services['lab-net']?.ports, [
    '127.0.0.1:18080:8080/tcp',
    '127.0.0.1:18090:8090/tcp',
    '127.0.0.1:18091:8091/tcp',
  ]);
  assert.deepEqual(services.iwf?.volumes, ['/tmp/other-topology.yaml:/app/lab/topology.yaml:ro']);
});

it('health-checks each node on its own loopback address and TCP port from the topology', () => {
  const { services } = composeConfig();
  for (const [name, node] of Object.entries(topology.nodes)) {
    const s = services[name];
    assert.ok(s?.healthcheck?.test, `${name} has a healthcheck`);
    assert.equal(s.environment?.HEALTH_ADDR, node.address, name);
    const port = Number(s.environment?.HEALTH_PORT);
    assert.ok(Object.values(node.ports).includes(port), `${name}: ${port} is one of its ports`);
    assert.match(node.address, /^127\./);
  }
});

function runCheck(script: string, address: string, port: number): Promise<number> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-e', script],
      { env: { ...process.env, HEALTH_ADDR: address, HEALTH_PORT: String(port) }, timeout: 10_000 },
      (error) => resolve(error ? Number((error as { code?: number }).code ?? 1) : 0),
    );
  });
}

it('the healthcheck passes when the port accepts and fails when nothing listens', async () => {
  const { services } = composeConfig();
  const test = services.ps1?.healthcheck?.test ?? [];
  assert.deepEqual(test.slice(0, 3), ['CMD', 'node', '-e']);
  const script = test[3] ?? '';
  const server = createServer((s) => s.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.97.1', resolve));
  const { port } = server.address() as { port: number };
  try {
    assert.equal(await runCheck(script, '127.0.97.1', port), 0);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  assert.equal(await runCheck(script, '127.0.97.1', port), 1);
});

it('the image is node:20-bookworm-slim with npm ci, and the build context keeps what the nodes read', () => {
  const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
  assert.match(dockerfile, /^FROM node:20-bookworm-slim$/m);
  assert.match(dockerfile, /^RUN npm ci\b/m);
  const ignored = readFileSync(join(root, '.dockerignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  // node-main's imports and the files read at run time (the console reads docs/mapping.md).
  for (const kept of [
    'lab',
    'common',
    'domains',
    'interworking',
    'web-ui',
    'scenarios',
    'docs',
    'package.json',
  ])
    assert.ok(!ignored.includes(kept), `.dockerignore must keep ${kept}`);
  assert.ok(ignored.includes('node_modules'), 'the host’s node_modules stays out (npm ci builds its own)');
});
