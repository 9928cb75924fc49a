import { startControlServer } from '../../domains/simple/client/control-server.ts';
import { SimpleTerminal } from '../../domains/simple/client/simple-terminal.ts';
import { domainServer } from '../topology.ts';
import type { RoleStarter } from './role.ts';
import { nodeWithRole, passwordOf, splitUser } from './terminal-users.ts';

/** PS2 serves XCAP under `/xcap`, Kamailio's xcap_server under `/xcap-root` (its config). */
function xcapRootPath(role: string): string {
  return role === 'kamailio' ? '/xcap-root' : '/xcap';
}

/**
 * A SIMPLE user's terminal (Jane, or any other `jane`-role node): the UA registers with its
 * domain's server, or through the visited network's proxy when logged in `via: visited`, and
 * serves the control API on its own address (docs/control-api.md). The domain's server is PS2 or
 * Kamailio, whichever the topology's `domains` entry names.
 */
export const start: RoleStarter = async (name, node, topology) => {
  const parts = splitUser(node.user ?? `sip:${name}@domain2.lab`);
  if (!parts) throw new Error(`${name}: user "${node.user}" is not an address of record`);
  const home = domainServer(topology, parts.domain)?.[1];
  if (!home) throw new Error(`${name}: no server for ${parts.domain} in the topology`);
  const visited = nodeWithRole(topology, 'visited')?.[1];
  const terminal = new SimpleTerminal({
    user: parts.name,
    domain: parts.domain,
    password: passwordOf(node, parts.name),
    address: node.address,
    sipPort: node.ports.sip ?? 5060,
    home: { address: home.address, port: home.ports.sip ?? 5060 },
    ...(visited ? { visited: { address: visited.address, port: visited.ports.sip ?? 5060 } } : {}),
    xcapRoot: `http://${home.address}:${home.ports.xcap ?? 5080}${xcapRootPath(home.role)}`,
  });
  await terminal.start();
  const control = await startControlServer(terminal, {
    address: node.address,
    port: node.ports.control ?? 8090,
  });
  return {
    endpoints: {
      user: terminal.aor,
      control: `http://${control.address}:${control.port}/api/v1`,
      sip: `udp+tcp ${node.address}:${node.ports.sip ?? 5060}`,
    },
    stop: async () => {
      await control.close();
      await terminal.stop();
    },
  };
};
