// Shared setup of the Domain1 end-to-end tests: a PS1 on 127.0.1.1 (free ports), IMPS clients
// bound to 127.0.1.x, and helpers that wait for client events.
import type { EventEmitter } from 'node:events';
import type { Clock } from '../../../common/clock.ts';
import { ImpsClient, type ImpsClientOptions } from '../../../domains/imps/client/imps-client.ts';
import { type Ps1, startPs1 } from '../../../domains/imps/server/ps1.ts';
import type { Ps1Config } from '../../../domains/imps/server/ps1-config.ts';

export const USERS = [
  { userId: 'wv:harry@domain1.lab', password: 'harry-pw' },
  { userId: 'wv:sally@domain1.lab', password: 'sally-pw' },
  { userId: 'wv:tom@domain1.lab', password: 'tom-pw' },
];

export async function ps1(extra: Partial<Ps1Config> = {}): Promise<Ps1> {
  return startPs1({
    domain: 'domain1.lab',
    address: '127.0.1.1',
    port: 0,
    cirTcpPort: 0,
    users: USERS,
    ...extra,
  });
}

const ADDRESS: Record<string, string> = { harry: '127.0.1.10', sally: '127.0.1.11', tom: '127.0.1.12' };

export function client(
  server: Ps1,
  user: 'harry' | 'sally' | 'tom',
  o: Partial<ImpsClientOptions> = {},
): ImpsClient {
  const u = USERS.find((x) => x.userId.startsWith(`wv:${user}@`))!;
  return new ImpsClient({
    serverUrl: server.url,
    userId: u.userId,
    password: u.password,
    clientId: `WV:${user}-terminal`,
    localAddress: ADDRESS[user]!,
    cir: 'STCP',
    node: user,
    ...o,
  });
}

/** Resolves with the next `event` whose payload passes `match` (rejects after `ms`). */
export function next<T>(
  emitter: EventEmitter,
  event: string,
  match: (v: T) => boolean = () => true,
  ms = 3000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      emitter.off(event, on);
      reject(new Error(`no ${event} within ${ms} ms`));
    }, ms);
    const on = (v: T) => {
      if (!match(v)) return;
      clearTimeout(timer);
      emitter.off(event, on);
      resolve(v);
    };
    emitter.on(event, on);
  });
}

/** Collects every `event` payload into an array (for "nothing else arrived" assertions). */
export function collect<T>(emitter: EventEmitter, event: string): T[] {
  const out: T[] = [];
  emitter.on(event, (v: T) => out.push(v));
  return out;
}

export const settle = (ms = 150) => new Promise((r) => setTimeout(r, ms));

export type { Clock };
