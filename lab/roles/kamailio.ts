import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
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
  await reapPrevious(name);
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
  const pidFile = pidFileOf(name);
  if (pidFile) writeFileSync(pidFile, String(kamailio.pid));
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
      if (pidFile) rmSync(pidFile, { force: true });
    },
  };
};

/**
 * Where this node records Kamailio's pid: beside the run's topology file (as the IWF's journal),
 * when the launcher started the node. A node killed with SIGKILL (`Lab.restart`) cannot stop
 * Kamailio, which runs in its own process group; its next start finds the pid here.
 */
function pidFileOf(name: string): string | undefined {
  const topologyArg = process.argv[3];
  return topologyArg && process.argv[2] === name
    ? join(dirname(resolve(topologyArg)), `${name}-kamailio.pid`)
    : undefined;
}

/** SIGKILL to the process group of a Kamailio left behind by this node's previous life. */
async function reapPrevious(name: string): Promise<void> {
  const pidFile = pidFileOf(name);
  if (!pidFile) return;
  let pid = 0;
  try {
    pid = Number(readFileSync(pidFile, 'utf8').trim());
  } catch {
    return; // no previous life, or it stopped cleanly
  }
  rmSync(pidFile, { force: true });
  // Only a process whose command line is Kamailio's: the pid may have been reused since.
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 1 || !cmdline.includes('kamailio')) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    return; // already gone
  }
  // Its sockets are released when the group is gone: wait for that before binding port 5060.
  for (let i = 0; i < 40; i++) {
    try {
      process.kill(-pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
