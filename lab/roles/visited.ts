import { domainServer } from '../topology.ts';
import { VisitedNetwork } from '../visited-network/index.ts';
import type { RoleStarter } from './role.ts';

/** The visited network: SIP edge toward Domain2's server, HTTP relay toward Domain1's. */
export const start: RoleStarter = async (_name, node, topology) => {
  const sipHomes: Record<string, { address: string; port: number }> = {};
  for (const domain of Object.keys(topology.domains)) {
    const server = domainServer(topology, domain);
    const sipPort = server?.[1].ports.sip;
    if (server && sipPort !== undefined) sipHomes[domain] = { address: server[1].address, port: sipPort };
  }
  const imps = Object.keys(topology.domains)
    .map((d) => domainServer(topology, d)?.[1])
    .find((n) => n?.role === 'ps1');
  const visited = new VisitedNetwork({
    address: node.address,
    sipPort: node.ports.sip ?? 5060,
    httpPort: node.ports.http ?? 8084,
    sipHomes,
    httpHome: { address: imps?.address ?? '127.0.1.1', port: imps?.ports.http ?? 8081 },
    ...(node.delayMs !== undefined ? { delayMs: node.delayMs } : {}),
    ...(node.lossRate !== undefined ? { lossRate: node.lossRate } : {}),
  });
  await visited.start();
  const sip = visited.sip.ua.local('udp');
  return {
    endpoints: {
      sip: `udp+tcp ${sip.address}:${sip.port}`,
      http: `http://${node.address}:${visited.http.port}/`,
    },
    stop: () => visited.stop(),
  };
};
