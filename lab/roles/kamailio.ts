import { startKamailio } from '../kamailio/kamailio.ts';
import type { RoleStarter } from './role.ts';
import { domainOf, nodeWithRole } from './terminal-users.ts';

/**
 * Kamailio's presence server as a domain's SIMPLE server, in the shared notes' Domain2 mode
 * (`domains: { domain2.lab: { server: kamailio } }` in the topology): SIP on the node's address,
 * port 5060 UDP+TCP (fixed by the config), XCAP on `ports.xcap` under `/xcap-root`, requests for
 * the other domain routed to the topology's IWF (`IWF_IP`/`IWF_PORT`), which is also the only
 * source trusted to claim that domain's identities. Each start gets a fresh run folder and
 * database; stop is SIGTERM then SIGKILL to Kamailio's process group, and the folder is removed.
 * docs/interop.md lists how it differs from PS2 (no Digest, no XCAP node selectors, …).
 */
export const start: RoleStarter = async (name, node, topology) => {
  const sipPort = node.ports.sip ?? 5060;
  if (sipPort !== 5060) throw new Error(`${name}: Kamailio's config listens on port 5060, not ${sipPort}`);
  const domain = domainOf(topology, name);
  if (!domain) throw new Error(`${name}: no domain names this node as its server`);
  // The config routes one peer domain to the IWF; the lab has two domains, so it is the other one.
  const peer = Object.keys(topology.domains).find((d) => d !== domain) ?? 'domain1.lab';
  const iwf = nodeWithRole(topology, 'iwf')?.[1];
  const xcapPort = node.ports.xcap ?? 8002;
  const kamailio = await startKamailio({
    mode: 'domain2',
    listenIp: node.address,
    substdefs: {
      XCAP_PORT: String(xcapPort),
      MY_DOMAIN: domain,
      PEER_DOMAIN: peer,
      // Without an IWF the peer route points at an address nobody serves; nothing is trusted.
      IWF_IP: iwf?.address ?? '127.0.0.254',
      IWF_PORT: String(iwf?.ports.sip ?? 5060),
    },
  });
  // Kamailio runs in its own process group: should this node exit without stop() (node-main's
  // 5 s shutdown deadline), the group must not outlive it and hold the address's port 5060.
  const reap = () => {
    try {
      process.kill(-kamailio.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  process.once('exit', reap);
  return {
    endpoints: {
      sip: `udp+tcp ${node.address}:5060`,
      xcap: `http://${node.address}:${xcapPort}/xcap-root`,
      domain,
      pid: String(kamailio.pid),
    },
    stop: async () => {
      await kamailio.stop();
      process.off('exit', reap);
    },
  };
};
