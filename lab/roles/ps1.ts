import { startPs1 } from '../../domains/imps/server/ps1.ts';
import type { RoleStarter } from './role.ts';
import { domainOf, nodeWithRole, terminalUsers } from './terminal-users.ts';

/**
 * PS1, Domain1's IMPS server. Its users are the topology's `harry`-role nodes of its domain;
 * every other domain is reached over SSP at the IWF (`http://<iwf>:<ssp>/ssp`, shared secret
 * `sspSecret` of the IWF node, default `lab-ssp-secret`).
 */
export const start: RoleStarter = async (name, node, topology) => {
  const domain = domainOf(topology, name) ?? 'domain1.lab';
  const users = terminalUsers(topology, 'harry', domain).map((u) => ({
    userId: `wv:${u.name}@${u.domain}`,
    password: u.password,
  }));
  const iwf = nodeWithRole(topology, 'iwf')?.[1];
  const secret = (iwf as { sspSecret?: unknown } | undefined)?.sspSecret;
  const routes: Record<string, { url: string; secret: string }> = {};
  for (const other of Object.keys(topology.domains)) {
    if (other === domain || !iwf) continue;
    routes[other] = {
      url: `http://${iwf.address}:${iwf.ports.ssp ?? 8083}/ssp`,
      secret: typeof secret === 'string' ? secret : 'lab-ssp-secret',
    };
  }
  const ps1 = await startPs1({
    domain,
    address: node.address,
    port: node.ports.http ?? 8081,
    cirTcpPort: node.ports.cir ?? 3171,
    users,
    routes,
    visitedRelayAddresses: Object.values(topology.nodes)
      .filter((n) => n.role === 'visited')
      .map((n) => n.address),
    node: name,
  });
  return {
    endpoints: {
      csp: ps1.url,
      ssp: ps1.sspUrl,
      cir: `tcp ${ps1.address}:${ps1.cirTcpPort}`,
      users: users.map((u) => u.userId).join(' '),
    },
    stop: () => ps1.stop(),
  };
};
