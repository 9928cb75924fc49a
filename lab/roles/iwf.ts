import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { startIwf } from '../../interworking/iwf.ts';
import { domainServer } from '../topology.ts';
import { NODE_START_ENV } from './index.ts';
import type { RoleStarter } from './role.ts';

/**
 * The Interworking Function. For every domain served by a `ps1` node it is the SSP peer
 * (PS1 at `http://<ps1>:<http>/ssp`, shared secret `sspSecret`, default `lab-ssp-secret`); for
 * every domain served by a `ps2` (or `kamailio`) node it routes SIP to that server. Its state
 * journal is `stateFile` when set, else beside the run's topology file (a `Lab.restart` resumes it;
 * the launcher's first start of a run removes the previous run's), else in the temp directory. `sipTimeoutMs`,
 * `sspTimeoutMs` and `subscribeExpires` tune the fault deadlines and the SIP expiry.
 */
export const start: RoleStarter = async (name, node, topology) => {
  const secretField = (node as { sspSecret?: unknown }).sspSecret;
  const secret = typeof secretField === 'string' ? secretField : 'lab-ssp-secret';
  const impsPeers: Record<string, { url: string; secret: string }> = {};
  const sipRoutes: Record<string, { address: string; port: number }> = {};
  let simpleDomain: string | undefined;
  for (const domain of Object.keys(topology.domains)) {
    const server = domainServer(topology, domain);
    if (!server) continue;
    const [, s] = server;
    if (s.role === 'ps1')
      impsPeers[domain] = { url: `http://${s.address}:${s.ports.http ?? 8081}/ssp`, secret };
    else if (s.role === 'ps2' || s.role === 'kamailio') {
      sipRoutes[domain] = { address: s.address, port: s.ports.sip ?? 5060 };
      simpleDomain ??= domain;
    }
  }
  const stateField = (node as { stateFile?: unknown }).stateFile;
  const topologyArg = process.argv[3];
  const stateFile =
    typeof stateField === 'string'
      ? resolve(stateField)
      : topologyArg && process.argv[2] === name
        ? join(dirname(resolve(topologyArg)), `${name}-state.jsonl`)
        : join(tmpdir(), `lab-${name}-${process.pid}-state.jsonl`);
  // The default journal lives beside the run's topology file, and a scenario's artifacts folder
  // is reused by its next run: on the launcher's first start of a run it is the previous run's
  // state, not this one's. A `stateFile` set in the topology is kept as asked; so is the
  // journal of a node started by hand (no NODE_START_ENV), as the IWF's own restart test does.
  if (typeof stateField !== 'string' && process.env[NODE_START_ENV] === 'initial')
    rmSync(stateFile, { force: true });
  const iwf = await startIwf({
    simpleDomain: simpleDomain ?? 'domain2.lab',
    address: node.address,
    sipPort: node.ports.sip ?? 5060,
    sspPort: node.ports.ssp ?? 8083,
    impsPeers,
    sipRoutes,
    stateFile,
    ...numberField(node, 'sipTimeoutMs', 'sipTimeoutMs'),
    ...numberField(node, 'sspTimeoutMs', 'sspTimeoutMs'),
    ...numberField(node, 'subscribeExpires', 'subscribeExpires'),
    node: name,
    log: (line) => console.error(line),
  });
  return {
    endpoints: {
      sip: `udp+tcp ${iwf.sip.address}:${iwf.sip.port}`,
      ssp: iwf.sspUrl,
      state: stateFile,
      imps: Object.keys(impsPeers).join(' '),
      simple: Object.keys(sipRoutes).join(' '),
    },
    stop: () => iwf.stop(),
  };
};

function numberField<K extends string>(node: object, field: string, key: K): Partial<Record<K, number>> {
  const v = (node as Record<string, unknown>)[field];
  return typeof v === 'number' ? ({ [key]: v } as Partial<Record<K, number>>) : {};
}
