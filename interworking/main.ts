// The IWF as its own process, outside the lab launcher:
//   node --import tsx interworking/main.ts [topology.yaml] [node-name]
// Reads the node (default `iwf`) from the topology and runs it until SIGTERM/SIGINT. Its state
// journal is the node's `stateFile`, else `<node>-state.jsonl` beside the topology file, so a
// restart with the same arguments resumes what the killed process held.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { start } from '../lab/roles/iwf.ts';
import { DEFAULT_TOPOLOGY_PATH, loadTopology } from '../lab/topology.ts';

const [topologyPath, nodeName = 'iwf'] = process.argv.slice(2);
const topology = loadTopology(topologyPath);
const node = topology.nodes[nodeName];
if (!node) {
  console.error(`no node "${nodeName}" in the topology`);
  process.exit(2);
}
const topologyFile = topologyPath ? resolve(topologyPath) : fileURLToPath(DEFAULT_TOPOLOGY_PATH);
const stateFile =
  (node as { stateFile?: unknown }).stateFile ?? join(dirname(topologyFile), `${nodeName}-state.jsonl`);
const running = await start(nodeName, { ...node, stateFile }, topology);
console.log(JSON.stringify({ node: nodeName, endpoints: running.endpoints }));
const shutdown = () => void running.stop().finally(() => process.exit(0));
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
