import type { Topology, TopologyNode } from '../topology.ts';

/** A node running in this process: where it listens, and how to stop it. */
export interface RunningNode {
  /** Human-readable endpoints, e.g. { sip: 'udp+tcp 127.0.2.1:5060', xcap: 'http://…' }. */
  endpoints: Record<string, string>;
  stop(): Promise<void>;
}

/** Starts one node of the topology (each role module exports one). */
export type RoleStarter = (name: string, node: TopologyNode, topology: Topology) => Promise<RunningNode>;
