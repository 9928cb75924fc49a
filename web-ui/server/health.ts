// Each node's health at a glance: is its role part of the lab as built, and does it accept a TCP
// connection on its first TCP port (control API, HTTP, SSP, XCAP, then SIP over TCP). Only the
// topology's own loopback addresses are probed.
import { connect } from 'node:net';
import type { Topology } from '../../lab/topology.ts';

export type NodeHealth = 'up' | 'down' | 'not-built';

export interface NodeStatus {
  node: string;
  role: string;
  address: string;
  port?: number;
  health: NodeHealth;
  /** Round trip of the TCP handshake, ms. */
  rttMs?: number;
}

const PORT_ORDER = ['control', 'http', 'ssp', 'xcap', 'sip'];

export function probePort(node: Topology['nodes'][string]): number | undefined {
  for (const key of PORT_ORDER) {
    const p = node.ports[key];
    if (p !== undefined && p > 0) return p;
  }
  return undefined;
}

export function tcpProbe(address: string, port: number, timeoutMs = 800): Promise<number | undefined> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const socket = connect({ host: address, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok ? Math.round((performance.now() - t0) * 10) / 10 : undefined);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export async function nodeHealth(topology: Topology, builtRoles: readonly string[]): Promise<NodeStatus[]> {
  return Promise.all(
    Object.entries(topology.nodes).map(async ([name, node]): Promise<NodeStatus> => {
      const base = { node: name, role: node.role, address: node.address };
      if (!builtRoles.includes(node.role)) return { ...base, health: 'not-built' };
      const port = probePort(node);
      if (port === undefined) return { ...base, health: 'down' };
      const rtt = await tcpProbe(node.address, port);
      return rtt === undefined
        ? { ...base, port, health: 'down' }
        : { ...base, port, health: 'up', rttMs: rtt };
    }),
  );
}
