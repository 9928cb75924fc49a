import { startConsole } from '../../web-ui/server/console-server.ts';
import { followDiagnostics, followIpc, TraceStore } from '../../web-ui/server/trace-store.ts';
import { ROLES } from './index.ts';
import type { RoleStarter } from './role.ts';

/**
 * The web console (docs/console.md) on the node's loopback address (default 127.0.0.1:8080). It
 * drives the topology's terminals through their control APIs. Its trace comes from the launcher
 * over IPC (`{ type: 'trace' | 'map', event }` relayed from the other nodes) and from any node
 * running in its own process.
 */
export const start: RoleStarter = async (_name, node, topology) => {
  const trace = new TraceStore();
  const offDiagnostics = followDiagnostics(trace);
  const offIpc = followIpc(trace);
  const server = await startConsole({
    topology,
    trace,
    address: node.address,
    port: node.ports.http ?? 8080,
    builtRoles: Object.keys(ROLES),
    traceSource:
      'the launcher relays the nodes’ trace to this console over IPC; if messages never appear here, run the lab with `node --import tsx web-ui/server/main.ts` (docs/console.md)',
  });
  return {
    endpoints: { console: server.url },
    stop: async () => {
      offIpc();
      offDiagnostics();
      await server.close();
    },
  };
};
