// The IWF as its own process, outside the lab launcher:
//   node --import tsx interworking/main.ts [topology.yaml] [node-name]
// Reads the node (default `iwf`) from the topology and runs it until SIGTERM/SIGINT. Its state
// journal is the node's `stateFile`, else `<node>-state.jsonl` beside the topology file, so a
// restart with the same arguments resumes what the killed process held.
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { start } from '../lab/roles/iwf.ts';
import { loadTopology } from '../lab/topology.ts';

const [topologyPath, nodeName = 'iwf'] = process.argv.slice(2);
const topology = loadTopology(topologyPath);
const node = topology.nodes[nodeName];
if (!node) {
  console.error(`no node "${nodeName}" in the topology`);
  process.exit(2);
}
// Without a topology argument the journal goes to the temp directory, never into the checkout.
const stateDir = topologyPath ? dirname(resolve(topologyPath)) : join(tmpdir(), 'imps-simple-lab');
const stateFile = (node as { stateFile?: unknown }).stateFile ?? join(stateDir, `${nodeName}-state.jsonl`);
const running = await start(nodeName, { ...node, stateFile }, topology);
console.log(JSON.stringify({ node: nodeName, endpoints: running.endpoints }));
const shutdown = () => void running.stop().finally(() => process.exit(0));
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
