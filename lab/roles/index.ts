import type { RoleStarter } from './role.ts';

// Which module starts each role. Loaded lazily so a node process only loads its own code.
// Roles not listed here are not part of the lab yet; the launcher says so and goes on.
export const ROLES: Record<string, () => Promise<RoleStarter>> = {
  visited: async () => (await import('./visited.ts')).start,
  ps1: async () => (await import('./ps1.ts')).start,
  harry: async () => (await import('./harry.ts')).start,
  ps2: async () => (await import('./ps2.ts')).start,
  jane: async () => (await import('./jane.ts')).start,
  iwf: async () => (await import('./iwf.ts')).start,
  console: async () => (await import('./console.ts')).start,
  kamailio: async () => (await import('./kamailio.ts')).start,
};

/** How the launcher started a node: a run's first start, or `Lab.restart`. */
export type NodeStart = 'initial' | 'restart';
/** The environment variable that tells a node process its `NodeStart` (unset: started by hand). */
export const NODE_START_ENV = 'LAB_NODE_START';

export type { RoleStarter, RunningNode } from './role.ts';
