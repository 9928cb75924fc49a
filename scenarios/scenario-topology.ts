// The topology a scenario runs on: the lab's topology file with the scenario's overrides (which
// nodes, added users, changed fields such as the visited network's delay) and its actors'
// terminal settings (user, password, CSP version/encoding) written onto their nodes. Pure.
import { type Topology, TopologySchema } from '../lab/topology.ts';
import type { Scenario } from './scenario-schema.ts';

export function scenarioTopology(base: Topology, scenario: Scenario): Topology {
  const t = scenario.topology ?? {};
  const nodes: Record<string, Record<string, unknown>> = {};
  for (const [name, node] of Object.entries(base.nodes)) nodes[name] = { ...node };
  for (const [name, node] of Object.entries(t.add ?? {})) {
    if (nodes[name]) throw new Error(`topology.add: node "${name}" already exists (use topology.set)`);
    nodes[name] = { ...node };
  }
  for (const [name, fields] of Object.entries(t.set ?? {})) {
    const node = nodes[name];
    if (!node) throw new Error(`topology.set: no node "${name}"`);
    nodes[name] = { ...node, ...fields };
  }
  for (const [actor, a] of Object.entries(scenario.actors)) {
    const name = a.node ?? actor;
    const node = nodes[name];
    if (!node) throw new Error(`actor "${actor}": no node "${name}" in the topology`);
    if (node.role !== 'jane' && node.role !== 'harry')
      throw new Error(`actor "${actor}": node "${name}" is a ${String(node.role)}, not a terminal`);
    nodes[name] = {
      ...node,
      ...(a.user !== undefined ? { user: a.user } : {}),
      ...(a.password !== undefined ? { password: a.password } : {}),
      ...(a.csp !== undefined ? { csp: a.csp } : {}),
    };
  }
  const wanted = t.nodes;
  if (wanted) {
    for (const n of wanted) if (!nodes[n]) throw new Error(`topology.nodes: no node "${n}"`);
    for (const n of Object.keys(nodes)) if (!wanted.includes(n)) delete nodes[n];
  }
  for (const [actor, a] of Object.entries(scenario.actors)) {
    const name = a.node ?? actor;
    if (!nodes[name]) throw new Error(`actor "${actor}": node "${name}" is not in topology.nodes`);
  }
  const domains = { ...base.domains, ...(t.domains ?? {}) };
  const parsed = TopologySchema.safeParse({ domains, nodes });
  if (!parsed.success)
    throw new Error(
      `scenario topology: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  const seen = new Map<string, string>();
  for (const [name, node] of Object.entries(parsed.data.nodes)) {
    // Hops are told apart by address: two nodes on one address would make the ladder ambiguous.
    const other = seen.get(node.address);
    if (other) throw new Error(`nodes "${other}" and "${name}" share ${node.address}`);
    seen.set(node.address, name);
  }
  return parsed.data;
}

/** Address → node name, for the ladder. */
export function addressBook(topology: Topology): Map<string, string> {
  return new Map(Object.entries(topology.nodes).map(([name, node]) => [node.address, name]));
}

/** The actor's terminal node name. */
export function actorNode(scenario: Scenario, actor: string): string {
  return scenario.actors[actor]?.node ?? actor;
}

/** Diagram order: IMPS users | PS1 | visited | IWF | PS2 (or Kamailio) | SIMPLE users | others. */
export function participantOrder(topology: Topology): string[] {
  const rank: Record<string, number> = { harry: 0, ps1: 1, visited: 2, iwf: 3, ps2: 4, kamailio: 4, jane: 5 };
  return Object.entries(topology.nodes)
    .map(([name, node], i) => ({ name, r: rank[node.role] ?? 6, i, main: name === node.role ? 0 : 1 }))
    .sort((a, b) => a.r - b.r || (a.r === 0 ? b.main - a.main : a.main - b.main) || a.i - b.i)
    .map((x) => x.name);
}
