// The HTTP + JSON control API with its WebSocket event stream (docs/control-api.md), over any
// TerminalControl: Jane's SIMPLE terminal and Harry's IMPS terminal share this server.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import {
  type AuthorizationDecision,
  CONTROL_ERROR_STATUS,
  ControlError,
  type ControlEvent,
  type ControlPresence,
  PRESENCE_FIELDS,
  type PresenceField,
  type SubscribeOptions,
  type TerminalControl,
} from './terminal-control.ts';

export interface ControlServerOptions {
  address: string;
  /** 0 = any free port. */
  port?: number;
  /** Largest JSON body accepted. */
  maxBodyBytes?: number;
  /** Time source for the `at` of events (ISO string). */
  now?: () => number;
}

export interface ControlServer {
  readonly address: string;
  readonly port: number;
  close(): Promise<void>;
}

const BASE = '/api/v1';
const DECISIONS: readonly AuthorizationDecision[] = ['approve', 'deny', 'polite-block'];

export async function startControlServer(
  terminal: TerminalControl,
  options: ControlServerOptions,
): Promise<ControlServer> {
  const maxBody = options.maxBodyBytes ?? 64 * 1024;
  const now = options.now ?? Date.now;
  const server: Server = createServer((req, res) => {
    void handle(terminal, req, res, maxBody).catch((error: unknown) => sendError(res, error));
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, socket, head) => {
    if ((req.url ?? '').split('?')[0] !== `${BASE}/events`) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const stamp = (e: ControlEvent) => JSON.stringify({ ...e, at: new Date(now()).toISOString() });
      ws.send(stamp({ type: 'hello', state: terminal.state() }));
      const off = terminal.onEvent((e) => {
        if (ws.readyState === ws.OPEN) ws.send(stamp(e));
      });
      ws.on('close', off);
      ws.on('error', off);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8090, options.address, () => resolve());
  });
  const bound = server.address() as AddressInfo;
  return {
    address: bound.address,
    port: bound.port,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function handle(
  t: TerminalControl,
  req: IncomingMessage,
  res: ServerResponse,
  maxBody: number,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://control');
  const path = url.pathname;
  const method = req.method ?? 'GET';
  if (!path.startsWith(`${BASE}/`)) throw new ControlError('TERM_ERR_NOT_FOUND', `no route ${path}`);
  const rest = path.slice(BASE.length + 1);
  const [head, ...tail] = rest.split('/');
  const param = tail.length ? decodeURIComponent(tail.join('/')) : undefined;
  const route = `${method} ${head}${param === undefined ? '' : '/:p'}`;
  switch (route) {
    case 'GET state':
      return sendJson(res, 200, t.state());
    case 'POST login': {
      const b = await readJson(req, maxBody);
      const via = optionalString(b, 'via');
      if (via !== undefined && via !== 'home' && via !== 'visited') bad('via must be "home" or "visited"');
      const password = optionalString(b, 'password');
      return sendJson(
        res,
        200,
        await t.login({
          ...(password !== undefined ? { password } : {}),
          ...(via !== undefined ? { via: via as 'home' | 'visited' } : {}),
        }),
      );
    }
    case 'POST logout':
      await readJson(req, maxBody);
      return sendJson(res, 200, await t.logout());
    case 'POST presence': {
      const b = await readJson(req, maxBody);
      return sendJson(res, 200, await t.setPresence(readPresence(b)));
    }
    case 'POST subscriptions': {
      const b = await readJson(req, maxBody);
      const target = requiredString(b, 'target');
      return sendJson(res, 202, await t.subscribe(target, readSubscribeOptions(b)));
    }
    case 'PUT lists/:p': {
      const b = await readJson(req, maxBody);
      const members = stringList(b, 'members');
      if (members === undefined) bad('members is required');
      if (members.length > 500) bad('at most 500 members');
      if (t.setBuddyList === undefined) notSupported('buddy lists');
      return sendJson(res, 200, await t.setBuddyList(param!, members));
    }
    case 'GET lists/:p':
      if (t.getBuddyList === undefined) notSupported('buddy lists');
      return sendJson(res, 200, await t.getBuddyList(param!));
    case 'DELETE subscriptions/:p':
      return sendJson(res, 200, await t.unsubscribe(param!));
    case 'POST authorizations': {
      const b = await readJson(req, maxBody);
      const watcher = requiredString(b, 'watcher');
      const decision = requiredString(b, 'decision') as AuthorizationDecision;
      if (!DECISIONS.includes(decision)) bad(`decision must be one of ${DECISIONS.join(', ')}`);
      const provide = b.provide;
      if (provide !== undefined && (typeof provide !== 'object' || provide === null))
        bad('provide must be an object');
      return sendJson(
        res,
        200,
        await t.authorize(watcher, decision, provide as Record<string, boolean> | undefined),
      );
    }
    case 'DELETE authorizations/:p':
      return sendJson(res, 200, await t.revoke(param!));
    case 'POST messages': {
      const b = await readJson(req, maxBody);
      const to = requiredString(b, 'to');
      const text = requiredString(b, 'text');
      return sendJson(res, 202, await t.sendMessage(to, text, { deliveryReport: b.deliveryReport === true }));
    }
    default:
      throw new ControlError('TERM_ERR_NOT_FOUND', `no route ${method} ${path}`);
  }
}

function notSupported(what: string): never {
  throw new ControlError('TERM_ERR_NOT_SUPPORTED', `${what}: not supported by this terminal`);
}

/** `list`, `attributes` (common presence model field names, at least one) and `onlyChanges`. */
export function readSubscribeOptions(b: Record<string, unknown>): SubscribeOptions {
  const options: SubscribeOptions = { list: b.list === true };
  const attributes = stringList(b, 'attributes');
  if (attributes !== undefined) {
    if (attributes.length === 0) bad('attributes must name at least one field (omit it for all)');
    const unknown = attributes.filter((a) => !PRESENCE_FIELDS.includes(a as PresenceField));
    if (unknown.length > 0)
      bad(`unknown attributes ${unknown.join(', ')}; use ${PRESENCE_FIELDS.join(', ')}`);
    options.attributes = [...new Set(attributes as PresenceField[])];
  }
  if (b.onlyChanges !== undefined) {
    if (typeof b.onlyChanges !== 'boolean') bad('onlyChanges must be a boolean');
    options.onlyChanges = b.onlyChanges;
  }
  return options;
}

function bad(message: string): never {
  throw new ControlError('TERM_ERR_BAD_REQUEST', message);
}

function optionalString(b: Record<string, unknown>, name: string): string | undefined {
  const v = b[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') bad(`${name} must be a string`);
  return v;
}

function requiredString(b: Record<string, unknown>, name: string): string {
  const v = optionalString(b, name);
  if (v === undefined || v === '') bad(`${name} is required`);
  return v;
}

function stringList(b: Record<string, unknown>, name: string): string[] | undefined {
  const v = b[name];
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) bad(`${name} must be a list of strings`);
  return v as string[];
}

/** Validates the common presence model (docs/control-api.md). */
export function readPresence(b: Record<string, unknown>): ControlPresence {
  const p: ControlPresence = {};
  const basic = optionalString(b, 'basic');
  if (basic !== undefined) {
    if (basic !== 'open' && basic !== 'closed') bad('basic must be "open" or "closed"');
    p.basic = basic;
  }
  const availability = optionalString(b, 'availability');
  if (availability !== undefined) {
    if (!['available', 'discreet', 'not-available'].includes(availability)) bad('bad availability');
    p.availability = availability as ControlPresence['availability'] & string;
  }
  const activities = stringList(b, 'activities');
  if (activities) p.activities = activities;
  const mood = stringList(b, 'mood');
  if (mood) p.mood = mood;
  for (const k of ['note', 'placeType', 'statusIcon'] as const) {
    const v = optionalString(b, k);
    if (v !== undefined) p[k] = v;
  }
  return p;
}

async function readJson(req: IncomingMessage, maxBody: number): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBody) bad('body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    bad('body is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) bad('body must be a JSON object');
  return value as Record<string, unknown>;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  if (error instanceof ControlError) {
    sendJson(res, CONTROL_ERROR_STATUS[error.code], {
      error: {
        code: error.code,
        message: error.message,
        ...(error.protocolStatus !== undefined ? { protocolStatus: error.protocolStatus } : {}),
      },
    });
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  sendJson(res, 500, { error: { code: 'TERM_ERR_INTERNAL', message } });
}
