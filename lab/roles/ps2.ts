import { startPs2 } from '../../domains/simple/server/ps2.ts';
import type { RoleStarter } from './role.ts';
import { domainOf, nodeWithRole, terminalUsers } from './terminal-users.ts';

/**
 * PS2, Domain2's SIMPLE server. Its users are the topology's `jane`-role nodes of its domain;
 * every other domain routes to the IWF (the static table standing in for DNS, DESIGN.md), which
 * is also the only source trusted to claim those domains' identities.
 */
export const start: RoleStarter = async (name, node, topology) => {
  const domain = domainOf(topology, name) ?? 'domain2.lab';
  const users = Object.fromEntries(terminalUsers(topology, 'jane', domain).map((u) => [u.name, u.password]));
  const iwf = nodeWithRole(topology, 'iwf')?.[1];
  const routes: Record<string, { address: string; port: number }> = {};
  const trustedPeers: Record<string, string> = {};
  for (const other of Object.keys(topology.domains)) {
    if (other === domain || !iwf) continue;
    routes[other] = { address: iwf.address, port: iwf.ports.sip ?? 5060 };
    trustedPeers[other] = iwf.address;
  }
  const visitedNetworks = Object.values(topology.nodes)
    .filter((n) => n.role === 'visited')
    .map((n) => ({ address: n.address, name: 'visited.lab', accessType: 'roaming' }));
  const rate = (node as { notifyMinIntervalMs?: unknown }).notifyMinIntervalMs;
  const ps2 = await startPs2({
    domain,
    address: node.address,
    sipPort: node.ports.sip ?? 5060,
    xcapPort: node.ports.xcap ?? 5080,
    users,
    routes,
    trustedPeers,
    visitedNetworks,
    ...(typeof rate === 'number' ? { notifyMinIntervalMs: rate } : {}),
    node: name,
  });
  return {
    endpoints: {
      sip: `udp+tcp ${ps2.sip.address}:${ps2.sip.port}`,
      xcap: ps2.xcap.rootUri,
      users: Object.keys(users).join(' '),
    },
    stop: () => ps2.stop(),
  };
};
