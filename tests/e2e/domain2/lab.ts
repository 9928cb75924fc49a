// Shared set-up of the Domain2 end-to-end tests: PS2 on a 127.0.9.x address with ports chosen by
// the system, user agents and terminals for the users on neighbouring addresses, XCAP clients.
import { SimpleTerminal, type SimpleTerminalConfig } from '../../../domains/simple/client/simple-terminal.ts';
import { XcapClient } from '../../../domains/simple/client/xcap-client.ts';
import { type Ps2, startPs2 } from '../../../domains/simple/server/ps2.ts';
import type { Ps2Config } from '../../../domains/simple/server/ps2-config.ts';
import { SipUserAgent, StaticRouter } from '../../../domains/simple/sip/core/index.ts';
import { waitFor as pollUntil } from '../../support/sip-node.ts';

export const PASSWORDS: Record<string, string> = {
  jane: 'jane-pw',
  bob: 'bob-pw',
  alice: 'alice-pw',
  carol: 'carol-pw',
  dave: 'dave-pw',
};

export interface Lab {
  ps2: Ps2;
  /** A user agent for `user` on `address` that routes domain2.lab to PS2 and answers challenges. */
  agent(user: string, address: string): Promise<{ ua: SipUserAgent; auth: SipUserAgent }>;
  xcap(user: string, password?: string): XcapClient;
  /** `user`'s SIMPLE terminal on `address` (SIP :5060) with PS2 as its home; not logged in yet. */
  terminal(user: string, address: string, extra?: Partial<SimpleTerminalConfig>): SimpleTerminal;
  /** Stops the terminals, PS2, then the agents. */
  stop(): Promise<void>;
}

export async function startLab(address: string, extra: Partial<Ps2Config> = {}): Promise<Lab> {
  const ps2 = await startPs2({
    domain: 'domain2.lab',
    address,
    // A fixed port on a test-only address: UDP and TCP share it, so a request over 1300 bytes
    // (RFC 3261 §18.1.1: sent over TCP) reaches the same port the Contact names.
    sipPort: 5060,
    xcapPort: 0,
    users: PASSWORDS,
    notifyMinIntervalMs: 0,
    ...extra,
  });
  const agents: SipUserAgent[] = [];
  const terminals: SimpleTerminal[] = [];
  return {
    ps2,
    async agent(user, addr) {
      const credentials = { username: user, password: PASSWORDS[user] ?? 'x' };
      const ua = new SipUserAgent({
        node: user,
        address: addr,
        port: 5060,
        router: new StaticRouter({ 'domain2.lab': { address, port: ps2.sip.port } }),
        credentials,
      });
      await ua.start();
      agents.push(ua);
      return { ua, auth: ua };
    },
    xcap(user, password) {
      return new XcapClient(
        ps2.xcap.rootUri,
        `sip:${user}@domain2.lab`,
        user,
        password ?? PASSWORDS[user] ?? '',
      );
    },
    terminal(user, addr, extra = {}) {
      const t = new SimpleTerminal({
        user,
        domain: 'domain2.lab',
        password: PASSWORDS[user]!,
        address: addr,
        sipPort: 5060,
        home: { address: ps2.sip.address, port: ps2.sip.port },
        xcapRoot: ps2.xcap.rootUri,
        ...extra,
      });
      terminals.push(t);
      return t;
    },
    async stop() {
      for (const t of terminals) await t.stop();
      await ps2.stop();
      for (const a of agents) await a.stop();
    },
  };
}

/** Polls `predicate` every 5 ms; rejects after `timeoutMs` (5 s: PS2 suites wait on NOTIFYs). */
export const waitFor = (predicate: () => boolean, timeoutMs = 5000): Promise<void> =>
  pollUntil(predicate, timeoutMs);

export function pidf(entity: string, basic: 'open' | 'closed', extra = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model" xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" entity="${entity}">
<tuple id="t1"><status><basic>${basic}</basic></status><contact>${entity}</contact></tuple>
<dm:person id="p1"><rpid:activities><rpid:meeting/></rpid:activities><rpid:mood><rpid:happy/></rpid:mood><dm:note>in a meeting</dm:note>${extra}</dm:person>
</presence>`;
}
