// One lab node as its own process: `node --import tsx lab/node-main.ts <node> [topology.yaml]`.
// Started by the launcher (with an IPC channel: readiness and trace events go to the parent), or
// by hand. SIGTERM / SIGINT / parent gone → stop() and exit.
import diagnostics_channel from 'node:diagnostics_channel';
import { traceChannels, type WireTraceEvent } from '../common/trace.ts';
import { ROLES } from './roles/index.ts';
import { loadTopology } from './topology.ts';

const [nodeName, topologyPath] = process.argv.slice(2);
if (!nodeName) {
  console.error('usage: node-main.ts <node> [topology.yaml]');
  process.exit(2);
}
const topology = loadTopology(topologyPath);
const node = topology.nodes[nodeName];
if (!node) {
  console.error(`no node "${nodeName}" in the topology`);
  process.exit(2);
}
const load = ROLES[node.role];
if (!load) {
  console.error(`role "${node.role}" is not available`);
  process.exit(3);
}

if (process.send) {
  diagnostics_channel.subscribe(traceChannels.wire.name, (message) => {
    const e = message as WireTraceEvent;
    process.send?.({ type: 'trace', event: { ...e, bytes: e.bytes.toString('base64') } });
  });
  // Which mapping rows produced what the IWF sent (the console's inspector shows them).
  diagnostics_channel.subscribe(traceChannels.iwfMap.name, (message) => {
    process.send?.({ type: 'map', event: message });
  });
}

const running = await (await load())(nodeName, node, topology);
const ready = { type: 'ready', node: nodeName, role: node.role, endpoints: running.endpoints };
if (process.send) process.send(ready);
else console.log(JSON.stringify(ready));

let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  const timer = setTimeout(() => process.exit(1), 5_000);
  try {
    await running.stop();
  } finally {
    clearTimeout(timer);
    process.exit(0);
  }
}
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
process.on('disconnect', () => void shutdown());
