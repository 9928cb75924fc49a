// The lab and its console in one process: `node --import tsx web-ui/server/main.ts
// [--topology file] [--address 127.0.0.1] [--port 8080] [--in-process iwf] [--scenarios dir]`. The launcher runs
// every node of the topology (but a `console` node) as its own process, as `npm start` does, and
// the console here reads the launcher's trace directly. The roles named by --in-process (default:
// the IWF) run inside this process instead, so their `lab:iwf:map` reports, which node processes
// do not forward, reach the console's inspector. The browser tests start the lab this way.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { Lab } from '../../lab/launcher.ts';
import { ROLES, type RunningNode } from '../../lab/roles/index.ts';
import { loadTopology } from '../../lab/topology.ts';
import { startConsole } from './console-server.ts';
import { followDiagnostics, followLab, TraceStore } from './trace-store.ts';

const { values } = parseArgs({
  options: {
    topology: { type: 'string' },
    address: { type: 'string' },
    port: { type: 'string' },
    'in-process': { type: 'string', default: 'iwf' },
    scenarios: { type: 'string' },
  },
});
const topology = loadTopology(values.topology);
// The launcher runs every other node; the console is this process.
const consoleNode = Object.entries(topology.nodes).find(([, n]) => n.role === 'console');
let topologyPath = values.topology;
if (consoleNode) {
  delete topology.nodes[consoleNode[0]];
  topologyPath = 'artifacts/console/topology.yaml';
  mkdirSync(dirname(topologyPath), { recursive: true });
  writeFileSync(topologyPath, stringify(topology));
}
const builtRoles = Object.keys(ROLES);
const trace = new TraceStore();
const offDiagnostics = followDiagnostics(trace);
// The launcher skips roles it does not find: take the in-process ones out while it starts, and
// put them back at once (scenario runs from the console launch every role as its own process).
const inProcess = new Map<string, NonNullable<(typeof ROLES)[string]>>();
for (const role of (values['in-process'] ?? '').split(',').filter(Boolean)) {
  const load = ROLES[role];
  if (load) inProcess.set(role, load);
}
for (const role of inProcess.keys()) delete ROLES[role];
const lab = new Lab({ ...(topologyPath ? { topologyPath } : {}), log: (l) => console.log(l) });
try {
  await lab.start();
} finally {
  for (const [role, load] of inProcess) ROLES[role] = load;
}
const offLab = followLab(trace, lab);
const local: RunningNode[] = [];
for (const [name, node] of Object.entries(topology.nodes)) {
  const load = inProcess.get(node.role);
  if (!load) continue;
  local.push(await (await load())(name, node, topology));
  console.log(`lab: ${name} (${node.role}) runs in the console's process`);
}
const server = await startConsole({
  topology,
  trace,
  address: values.address ?? consoleNode?.[1].address ?? '127.0.0.1',
  port: Number(values.port ?? consoleNode?.[1].ports.http ?? 8080),
  builtRoles,
  ...(values.scenarios ? { scenariosDir: values.scenarios } : {}),
});
console.log(`console: ${server.url}`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  offLab();
  offDiagnostics();
  await server.close();
  for (const node of local) await node.stop();
  await lab.stop();
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
process.on('disconnect', () => void stop());
