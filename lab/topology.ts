import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';

// The topology file (lab/topology.yaml) as typed, validated data. Every address must be in
// 127.0.0.0/8: the lab never binds or sends anywhere else.

const loopback = z
  .string()
  .regex(/^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/, 'must be an address in 127.0.0.0/8')
  .refine((a) => a.split('.').every((p) => Number(p) <= 255), 'not an IPv4 address');

const port = z.number().int().min(0).max(65_535);

export const NodeSchema = z
  .object({
    role: z.enum(['ps1', 'ps2', 'iwf', 'harry', 'jane', 'visited', 'console', 'kamailio']),
    address: loopback,
    ports: z.record(z.string(), port),
    user: z.string().optional(),
    delayMs: z.number().min(0).max(10_000).optional(),
    lossRate: z.number().min(0).max(0.5).optional(),
  })
  .passthrough();

export const TopologySchema = z.object({
  domains: z.record(z.string(), z.object({ server: z.string() })),
  nodes: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), NodeSchema),
});

export type Topology = z.infer<typeof TopologySchema>;
export type TopologyNode = z.infer<typeof NodeSchema>;

export const DEFAULT_TOPOLOGY_PATH = new URL('./topology.yaml', import.meta.url);

export function parseTopology(text: string): Topology {
  const result = TopologySchema.safeParse(parse(text, { maxAliasCount: 10 }));
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid topology: ${issues}`);
  }
  return result.data;
}

export function loadTopology(path: string | URL = DEFAULT_TOPOLOGY_PATH): Topology {
  return parseTopology(readFileSync(path, 'utf8'));
}

/** The node that serves `domain` (its `server` entry), or undefined. */
export function domainServer(topology: Topology, domain: string): [string, TopologyNode] | undefined {
  const name = topology.domains[domain]?.server;
  const node = name ? topology.nodes[name] : undefined;
  return name && node ? [name, node] : undefined;
}
