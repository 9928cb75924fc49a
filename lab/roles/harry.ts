import { startImpsTerminal } from '../../domains/imps/client/imps-terminal.ts';
import type { CspEncoding, CspVersion } from '../../domains/imps/csp/csp-version.ts';
import { domainServer } from '../topology.ts';
import type { RoleStarter } from './role.ts';
import { nodeWithRole, passwordOf, splitUser } from './terminal-users.ts';

/**
 * An IMPS user's terminal (Harry, or any other `harry`-role node): the CSP client toward its
 * domain's server (through the visited network's HTTP relay when logged in `via: visited`) and
 * the control API on its own address. `csp: { version, encoding }` on the node picks the
 * client's CSP version (1.1/1.2/1.3) and XML or WBXML.
 */
export const start: RoleStarter = async (name, node, topology) => {
  const parts = splitUser(node.user ?? `wv:${name}@domain1.lab`);
  if (!parts) throw new Error(`${name}: user "${node.user}" is not an address`);
  const home = domainServer(topology, parts.domain)?.[1];
  if (!home) throw new Error(`${name}: no server for ${parts.domain} in the topology`);
  const visited = nodeWithRole(topology, 'visited')?.[1];
  const csp = (node as { csp?: { version?: CspVersion; encoding?: CspEncoding } }).csp ?? {};
  const handle = await startImpsTerminal({
    userId: `wv:${parts.name}@${parts.domain}`,
    password: passwordOf(node, parts.name),
    serverUrl: `http://${home.address}:${home.ports.http ?? 8081}`,
    address: node.address,
    controlPort: node.ports.control ?? 8090,
    ...(visited
      ? {
          visitedServerUrl: `http://${visited.address}:${visited.ports.http ?? 8084}`,
          visitedAddress: visited.address,
        }
      : {}),
    ...(csp.version ? { version: csp.version } : {}),
    ...(csp.encoding ? { encoding: csp.encoding } : {}),
    node: name,
  });
  return {
    endpoints: {
      user: `wv:${parts.name}@${parts.domain}`,
      control: `http://${handle.control.address}:${handle.control.port}/api/v1`,
      csp: `${csp.version ?? '1.2'} ${csp.encoding ?? 'xml'}`,
    },
    stop: () => handle.stop(),
  };
};
