// Shared setup of the Domain1 end-to-end tests: a PS1 on 127.0.1.1 (free ports), IMPS clients
// bound to 127.0.1.x, and helpers that wait for client events.
import assert from 'node:assert/strict';
import type { EventEmitter } from 'node:events';
import { afterEach, beforeEach } from 'node:test';
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

export interface Ps1PerTest {
  /** This test's PS1. */
  readonly server: Ps1;
  /** A client of this test's PS1 for `user`, not logged in yet, closed after the test. */
  client(user: 'harry' | 'sally' | 'tom', o?: Partial<ImpsClientOptions>): ImpsClient;
  /** A client of this test's PS1 for `user`, logged in (asserts 200), closed after the test. */
  login(user: 'harry' | 'sally' | 'tom', o?: Partial<ImpsClientOptions>): Promise<ImpsClient>;
}

/**
 * A fresh PS1 for every test of the calling describe (its beforeEach / afterEach), so no test
 * sees another's sessions, lists or queued messages. `config` runs before each test: a suite on a
 * ManualClock makes a new one there.
 */
export function ps1PerTest(config: () => Partial<Ps1Config> = () => ({})): Ps1PerTest {
  let current: Ps1 | undefined;
  const open: ImpsClient[] = [];
  beforeEach(async () => {
    current = await ps1(config());
  });
  afterEach(async () => {
    for (const c of open.splice(0)) c.close();
    await current?.stop();
  });
  const server = (): Ps1 => {
    assert.ok(current, 'ps1PerTest: no PS1 outside a test');
    return current;
  };
  const opened = (user: 'harry' | 'sally' | 'tom', o: Partial<ImpsClientOptions> = {}) => {
    const c = client(server(), user, o);
    open.push(c);
    return c;
  };
  return {
    get server() {
      return server();
    },
    client: opened,
    login: async (user, o = {}) => {
      const c = opened(user, o);
      assert.equal((await c.login()).code, 200);
      return c;
    },
  };
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
