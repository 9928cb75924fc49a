// The IWF as its own process, outside the lab launcher:
//   node --import tsx interworking/main.ts [topology.yaml] [node-name]
// Reads the node (default `iwf`) from the topology and runs it until SIGTERM/SIGINT.
import { start } from '../lab/roles/iwf.ts';
import { loadTopology } from '../lab/topology.ts';

const [topologyPath, nodeName = 'iwf'] = process.argv.slice(2);
const topology = loadTopology(topologyPath);
const node = topology.nodes[nodeName];
if (!node) {
  console.error(`no node "${nodeName}" in the topology`);
  process.exit(2);
}
const running = await start(nodeName, node, topology);
console.log(JSON.stringify({ node: nodeName, endpoints: running.endpoints }));
const shutdown = () => void running.stop().finally(() => process.exit(0));
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
