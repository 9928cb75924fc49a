import type { Topology, TopologyNode } from '../topology.ts';

// Which users each server serves, read from the terminal nodes of the topology: a `jane`-role
// node is a SIMPLE user, a `harry`-role node an IMPS user; `user` names the address of record
// and `password` the credentials (default `<user part>-pw`, as the e2e suites use).

export interface TerminalUser {
  node: string;
  /** `jane` / `harry` (user part, lower case). */
  name: string;
  domain: string;
  password: string;
}

/** `sip:jane@domain2.lab` / `wv:harry@domain1.lab` / `jane@domain2.lab` → parts. */
export function splitUser(user: string): { name: string; domain: string } | undefined {
  const m = /^(?:sips?:|wv:|pres:|im:)?([^@:;\s]+)@([^;>\s]+)$/i.exec(user.trim());
  return m?.[1] && m[2] ? { name: m[1].toLowerCase(), domain: m[2].toLowerCase() } : undefined;
}

export function passwordOf(node: TopologyNode, name: string): string {
  const p = (node as { password?: unknown }).password;
  return typeof p === 'string' ? p : `${name}-pw`;
}

export function terminalUsers(topology: Topology, role: 'jane' | 'harry', domain: string): TerminalUser[] {
  const out: TerminalUser[] = [];
  for (const [nodeName, node] of Object.entries(topology.nodes)) {
    if (node.role !== role || !node.user) continue;
    const parts = splitUser(node.user);
    if (!parts || parts.domain !== domain.toLowerCase()) continue;
    out.push({
      node: nodeName,
      name: parts.name,
      domain: parts.domain,
      password: passwordOf(node, parts.name),
    });
  }
  return out;
}

/** The first node of `role` (the IWF, the visited network), if the topology has one. */
export function nodeWithRole(
  topology: Topology,
  role: TopologyNode['role'],
): [string, TopologyNode] | undefined {
  return Object.entries(topology.nodes).find(([, n]) => n.role === role);
}

/** The domain whose `server` is `nodeName`. */
export function domainOf(topology: Topology, nodeName: string): string | undefined {
  return Object.entries(topology.domains).find(([, d]) => d.server === nodeName)?.[0];
}
