// The lab and its console in one process: `node --import tsx web-ui/server/main.ts
// [--topology file] [--address 127.0.0.1] [--port 8080]`. The launcher runs every node of the
// topology (but a `console` node) as its own process, as `npm start` does, and the console here
// reads the launcher's trace directly. The browser tests start the lab this way.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { Lab } from '../../lab/launcher.ts';
import { ROLES } from '../../lab/roles/index.ts';
import { loadTopology } from '../../lab/topology.ts';
import { startConsole } from './console-server.ts';
import { followLab, TraceStore } from './trace-store.ts';

const { values } = parseArgs({
  options: {
    topology: { type: 'string' },
    address: { type: 'string' },
    port: { type: 'string' },
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
const lab = new Lab({ ...(topologyPath ? { topologyPath } : {}), log: (l) => console.log(l) });
await lab.start();
const trace = new TraceStore();
const offLab = followLab(trace, lab);
const server = await startConsole({
  topology,
  trace,
  address: values.address ?? consoleNode?.[1].address ?? '127.0.0.1',
  port: Number(values.port ?? consoleNode?.[1].ports.http ?? 8080),
  builtRoles: Object.keys(ROLES),
});
console.log(`console: ${server.url}`);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  offLab();
  await server.close();
  await lab.stop();
  process.exit(0);
}
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
process.on('disconnect', () => void stop());
