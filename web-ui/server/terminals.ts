// The simulated users' terminals the console may drive: exactly the `harry`/`jane` nodes of the
// topology, at the control API address the topology gives them (docs/control-api.md). The console
// forwards only the calls listed in ACTIONS, each body checked first, and relays each terminal's
// event stream to the browser. No other address or path is ever requested.
import WebSocket from 'ws';
import { z } from 'zod';
import type { Topology } from '../../lab/topology.ts';
import { CAPABILITIES } from '../../scenarios/runner.ts';
import { badRequest, consoleProblem, notFound, ProblemError } from './problem.ts';

export interface TerminalInfo {
  node: string;
  role: 'harry' | 'jane';
  protocol: 'imps' | 'simple';
  /** Address of record (`wv:harry@domain1.lab`, `sip:jane@domain2.lab`). */
  user: string;
  /** `name@domain`, for the ladder's user filter. */
  bare: string;
  domain: string;
  controlUrl: string;
  /** IMPS: the CSP version and encoding the terminal was started with. */
  csp?: { version: string; encoding: string };
}

export function terminalsOf(topology: Topology): TerminalInfo[] {
  const out: TerminalInfo[] = [];
  for (const [node, n] of Object.entries(topology.nodes)) {
    if (n.role !== 'harry' && n.role !== 'jane') continue;
    const imps = n.role === 'harry';
    const user = n.user ?? (imps ? `wv:${node}@domain1.lab` : `sip:${node}@domain2.lab`);
    const bare = user.replace(/^[a-z]+:/i, '').toLowerCase();
    const csp = (n as { csp?: { version?: string; encoding?: string } }).csp;
    out.push({
      node,
      role: n.role,
      protocol: imps ? 'imps' : 'simple',
      user,
      bare,
      domain: bare.slice(bare.indexOf('@') + 1),
      controlUrl: `http://${n.address}:${n.ports.control ?? 8090}/api/v1`,
      ...(imps ? { csp: { version: csp?.version ?? '1.2', encoding: csp?.encoding ?? 'xml' } } : {}),
    });
  }
  return out;
}

const address = z.string().min(3).max(256);
const presence = z
  .object({
    basic: z.enum(['open', 'closed']).optional(),
    availability: z.enum(['available', 'discreet', 'not-available']).optional(),
    activities: z.array(z.string().max(64)).max(16).optional(),
    mood: z.array(z.string().max(64)).max(16).optional(),
    note: z.string().max(1024).optional(),
    placeType: z.string().max(64).optional(),
    statusIcon: z.string().max(512).optional(),
  })
  .strict();

/** The lab actions: console action → the control API call it becomes. */
export const ACTIONS = {
  login: {
    body: z
      .object({ password: z.string().max(256).optional(), via: z.enum(['home', 'visited']).optional() })
      .strict(),
    call: () => ({ method: 'POST', path: '/login' }),
  },
  logout: { body: z.object({}).strict(), call: () => ({ method: 'POST', path: '/logout' }) },
  presence: { body: presence, call: () => ({ method: 'POST', path: '/presence' }) },
  subscribe: {
    body: z
      .object({
        target: address,
        list: z.boolean().optional(),
        attributes: z.array(z.string().max(64)).max(32).optional(),
        onlyChanges: z.boolean().optional(),
      })
      .strict(),
    call: () => ({ method: 'POST', path: '/subscriptions' }),
  },
  unsubscribe: {
    body: z.object({ target: address }).strict(),
    call: (b: { target: string }) => ({
      method: 'DELETE',
      path: `/subscriptions/${encodeURIComponent(b.target)}`,
      noBody: true,
    }),
  },
  authorize: {
    body: z
      .object({
        watcher: address,
        decision: z.enum(['approve', 'deny', 'polite-block']),
        provide: z.record(z.string(), z.boolean()).optional(),
      })
      .strict(),
    call: () => ({ method: 'POST', path: '/authorizations' }),
  },
  revoke: {
    body: z.object({ watcher: address }).strict(),
    call: (b: { watcher: string }) => ({
      method: 'DELETE',
      path: `/authorizations/${encodeURIComponent(b.watcher)}`,
      noBody: true,
    }),
  },
  message: {
    body: z
      .object({ to: address, text: z.string().min(1).max(8192), deliveryReport: z.boolean().optional() })
      .strict(),
    call: () => ({ method: 'POST', path: '/messages' }),
  },
} as const;

export type ActionName = keyof typeof ACTIONS;

export function isAction(name: string): name is ActionName {
  return Object.hasOwn(ACTIONS, name);
}

export interface TerminalAnswer {
  status: number;
  body: unknown;
}

/** Checks `body` for `action`, then makes the one control API call it maps to. */
export async function callTerminal(
  terminal: TerminalInfo,
  action: string,
  body: unknown,
  timeoutMs = 15_000,
): Promise<TerminalAnswer> {
  if (!isAction(action))
    throw notFound(`no lab action "${action}" (known: ${Object.keys(ACTIONS).join(', ')})`);
  const spec = ACTIONS[action];
  const parsed = spec.body.safeParse(body ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
    throw badRequest(`${action}: ${issues}`);
  }
  const data = parsed.data as { attributes?: unknown; onlyChanges?: unknown };
  // Attribute subsets / change-only pass through to the terminal (docs/control-api.md
  // "Subscription options") when the lab has subscription-options-api; a lab without it refuses
  // here rather than let a terminal drop the subset silently.
  if (
    action === 'subscribe' &&
    (data.attributes !== undefined || data.onlyChanges !== undefined) &&
    !CAPABILITIES.includes('subscription-options-api')
  )
    throw consoleProblem(
      'not-supported',
      'the control API has no attribute subset or change-only option on subscribe (subscription-options-api); subscribe to every attribute, or narrow what a watcher sees with the authorization’s "provide"',
    );
  const call = (spec.call as (b: unknown) => { method: string; path: string; noBody?: boolean })(parsed.data);
  return request(terminal, call.method, call.path, call.noBody ? undefined : parsed.data, timeoutMs);
}

export async function terminalState(terminal: TerminalInfo, timeoutMs = 3_000): Promise<TerminalAnswer> {
  return request(terminal, 'GET', '/state', undefined, timeoutMs);
}

async function request(
  terminal: TerminalInfo,
  method: string,
  path: string,
  body: unknown,
  timeoutMs: number,
): Promise<TerminalAnswer> {
  let res: Response;
  try {
    res = await fetch(`${terminal.controlUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw consoleProblem(
      'terminal-unreachable',
      `${terminal.node}: ${method} ${terminal.controlUrl}${path}: ${(error as Error).message}`,
    );
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    json = { text: text.slice(0, 512) };
  }
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string } }).error;
    throw new ProblemError(
      res.status,
      'terminal-refused',
      err?.code ?? `terminal answered ${res.status}`,
      err?.message ?? text.slice(0, 512),
      json,
    );
  }
  return { status: res.status, body: json };
}

/** Follows one terminal's event stream, reconnecting while the console runs. */
export function followTerminalEvents(
  terminal: TerminalInfo,
  onEvent: (event: Record<string, unknown>) => void,
  retryMs = 1_000,
): () => void {
  let stopped = false;
  let ws: WebSocket | undefined;
  let timer: NodeJS.Timeout | undefined;
  const connect = () => {
    if (stopped) return;
    ws = new WebSocket(`${terminal.controlUrl.replace(/^http/, 'ws')}/events`);
    ws.on('message', (data) => {
      try {
        const e = JSON.parse(String(data)) as Record<string, unknown>;
        if (e && typeof e === 'object') onEvent(e);
      } catch {
        // A frame that is not JSON is not an event (control-api.md: one JSON object per frame).
      }
    });
    ws.on('error', () => {});
    ws.on('close', () => {
      if (stopped) return;
      timer = setTimeout(connect, retryMs);
      timer.unref();
    });
  };
  connect();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    ws?.terminate();
  };
}
