// SIPp as a foreign user agent against PS2 (domains/simple/server), over UDP and TCP: a watcher
// that is pending until Jane approves it over XCAP (her terminal does it, driven by the test) and
// then gets her PIDF; PUBLISH initial + refresh with SIP-If-Match; MESSAGE to a registered user;
// bad input (unknown event package → 489 + Allow-Events, malformed PIDF → 400). SIPp 3.6 computes
// MD5 Digest only and answers the first challenge it finds, while PS2 offers SHA-256 first (RFC
// 8760 §2.4): the flows run against a PS2 with `requireAuth: false` for PUBLISH/SUBSCRIBE/MESSAGE,
// and one case shows what SIPp does with PS2's default challenge (docs/interop.md).
//
// Addresses 127.0.56.100-119: PS2 .100 (SIP :5060, XCAP any port), SIPp .101, Jane .104,
// a PS2 with its default authentication .110.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SimpleTerminal } from '../../domains/simple/client/simple-terminal.ts';
import type { ControlEvent } from '../../domains/simple/client/terminal-control.ts';
import { type Ps2, startPs2 } from '../../domains/simple/server/ps2.ts';
import { SippHost } from './support/sipp-host.ts';
import { expectPass, receivedMessages, receivedStartLines } from './support/sipp-log.ts';
import { waitFor } from './support/waits.ts';

const PS2_IP = '127.0.56.100';
const SIPP_IP = '127.0.56.101';
const JANE_IP = '127.0.56.104';
const AUTH_PS2_IP = '127.0.56.110';
const DOMAIN = 'domain2.lab';
const JANE = `sip:jane@${DOMAIN}`;
const USERS: Record<string, string> = {
  jane: 'jane-pw',
  'sipp-udp': 'sipp-pw',
  'sipp-tcp': 'sipp-pw',
};
const NOTE = 'Jane à la réunion — 会議中';

describe('SIPp as a foreign UA against PS2', { timeout: 180_000 }, () => {
  let ps2: Ps2;
  let jane: SimpleTerminal;
  const janeEvents: ControlEvent[] = [];
  const sipp = new SippHost(SIPP_IP, 5100, {
    remote: { address: PS2_IP, port: 5060 },
    hardTimeoutMs: 15_000,
  });

  const uac = (
    scenario: string,
    transport: 'udp' | 'tcp',
    service: string,
    keys: Record<string, string>,
    hardTimeoutMs?: number,
  ) =>
    sipp.call(scenario, transport, {
      service,
      keys: { to_domain: DOMAIN, from_domain: DOMAIN, ...keys },
      ...(hardTimeoutMs === undefined ? {} : { hardTimeoutMs }),
    });

  before(async () => {
    ps2 = await startPs2({
      domain: DOMAIN,
      address: PS2_IP,
      sipPort: 5060,
      xcapPort: 0,
      users: USERS,
      notifyMinIntervalMs: 0,
      // SIPp cannot answer PS2's SHA-256-first challenge (see the last describe block).
      requireAuth: false,
    });
    jane = new SimpleTerminal({
      user: 'jane',
      domain: DOMAIN,
      password: USERS.jane!,
      address: JANE_IP,
      sipPort: 5060,
      home: { address: PS2_IP, port: ps2.sip.port },
      xcapRoot: ps2.xcap.rootUri,
    });
    jane.onEvent((e) => janeEvents.push(e));
    await jane.login({});
    await jane.setPresence({ basic: 'open', activities: ['meeting'], note: NOTE });
  });

  after(async () => {
    await jane?.stop().catch(() => {});
    await ps2?.stop();
  });

  for (const transport of ['udp', 'tcp'] as const) {
    const watcher = `sipp-${transport}`;
    const watcherUri = `sip:${watcher}@${DOMAIN}`;

    it(`SUBSCRIBE → 200 → NOTIFY pending → Jane approves over XCAP → NOTIFY active with her PIDF → un-SUBSCRIBE (${transport})`, async () => {
      const run = uac('uac-subscribe-authorized.xml', transport, 'jane', { from_user: watcher }, 30_000);
      try {
        // Jane learns of the pending watcher through her presence.winfo subscription (RFC 3857).
        await waitFor(`Jane sees ${watcherUri} pending`, () =>
          jane.state().watchers.some((w) => w.watcher === watcherUri && w.status === 'pending'),
        );
        const decision = await jane.authorize(watcherUri, 'approve');
        assert.equal(decision.decision, 'approve');
      } catch (error) {
        // SIPp is still waiting: let it reach its own timeout, and show what it saw.
        const r = await run;
        throw new Error(`${(error as Error).message}\n${r.errors()}\n${r.messages().slice(-4000)}`);
      }
      const r = await run;
      expectPass(r, 'uac-subscribe-authorized');
      // NOTIFYs go to the SUBSCRIBE's Contact (SIPp writes [transport] in capitals).
      const notify = `NOTIFY sip:${watcher}@${SIPP_IP}:${sipp.lastPort};transport=${transport.toUpperCase()} SIP/2.0`;
      assert.deepEqual(receivedStartLines(r), ['SIP/2.0 200 OK', notify, notify, 'SIP/2.0 200 OK', notify]);
      const notifies = receivedMessages(r).filter((m) => m.startsWith('NOTIFY '));
      assert.match(notifies[0]!, /^Subscription-State: pending/im);
      const active = notifies[1]!;
      assert.match(active, /^Subscription-State: active;expires=\d+/im);
      assert.match(active, /<basic>open<\/basic>/);
      // The UTF-8 note arrives byte for byte.
      assert.ok(active.includes(NOTE), active);
      assert.ok(active.includes(`entity="${JANE}"`), active);
      assert.match(notifies[2]!, /^Subscription-State: terminated/im);
      // Jane's winfo followed the watcher: active after the approval, gone after the un-SUBSCRIBE.
      assert.ok(
        janeEvents.some((e) => e.type === 'watcher' && e.watcher === watcherUri && e.status === 'active'),
      );
      await waitFor('watcher gone from Jane’s list', () =>
        jane.state().watchers.every((w) => w.watcher !== watcherUri),
      );
    });

    it(`PUBLISH initial → 200 + SIP-ETag, refresh with SIP-If-Match → 200 + new SIP-ETag (${transport})`, async () => {
      const r = await uac('uac-publish.xml', transport, watcher, { from_user: watcher });
      expectPass(r, 'uac-publish');
      const etags = receivedMessages(r).map((m) => /^SIP-ETag: *(\S+)/im.exec(m)?.[1]);
      assert.equal(etags.length, 2);
      assert.ok(etags[0] && etags[1]);
      // RFC 3903 §6 step 8: a refresh gets a new entity-tag.
      assert.notEqual(etags[0], etags[1]);
      assert.match(
        r.messages(),
        new RegExp(`SIP-If-Match: ${etags[0]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
      );
      const composed = JSON.stringify(ps2.publications.composed(`sip:${watcher}@${DOMAIN}`));
      assert.match(composed, /sipp-lab note/);
    });

    it(`MESSAGE to a registered user → 200, delivered to Jane's terminal (${transport})`, async () => {
      const before = janeEvents.length;
      const r = await uac('uac-message.xml', transport, 'jane', { from_user: watcher });
      expectPass(r, 'uac-message');
      assert.equal(receivedStartLines(r).at(-1), 'SIP/2.0 200 OK');
      await waitFor('Jane gets the message', () =>
        janeEvents.slice(before).some((e) => e.type === 'message'),
      );
      const m = janeEvents.slice(before).find((e) => e.type === 'message');
      assert.ok(m?.type === 'message');
      assert.equal(m.from, watcherUri);
      assert.equal(m.text.trim(), 'sipp-lab message 1');
      assert.equal(m.contentType, 'text/plain');
    });

    it(`SUBSCRIBE with an unknown event package → 489 with Allow-Events listing presence (${transport})`, async () => {
      const r = await uac('uac-subscribe-bad-event.xml', transport, 'jane', {
        from_user: watcher,
        event: 'x-no-such-package',
      });
      expectPass(r, 'uac-subscribe-bad-event');
      const [answer] = receivedMessages(r);
      assert.match(answer!, /^SIP\/2\.0 489 /);
      assert.match(answer!, /^Allow-Events: .*\bpresence\b/im);
    });

    it(`PUBLISH with a malformed PIDF → 400, nothing stored, PS2 keeps serving (${transport})`, async () => {
      const presentity = `sip:${watcher}@${DOMAIN}`;
      const stored = JSON.stringify(ps2.publications.composed(presentity));
      assert.match(stored, /sipp-lab note/);
      const r = await uac('uac-publish-malformed.xml', transport, watcher, { from_user: watcher });
      expectPass(r, 'uac-publish-malformed');
      const [answer] = receivedMessages(r);
      assert.match(answer!, /^SIP\/2\.0 400 /);
      assert.doesNotMatch(answer!, /^SIP-ETag:/im);
      assert.equal(JSON.stringify(ps2.publications.composed(presentity)), stored);
      // Still serving: a valid PUBLISH right after gets its 200.
      expectPass(
        await uac('uac-publish.xml', transport, watcher, { from_user: watcher }),
        'uac-publish after 400',
      );
    });
  }
});

describe("SIPp against PS2's default Digest challenge", { timeout: 60_000 }, () => {
  let ps2: Ps2;
  const sipp = new SippHost(SIPP_IP, 5190, { remote: { address: AUTH_PS2_IP, port: 5060 } });
  before(async () => {
    ps2 = await startPs2({ domain: DOMAIN, address: AUTH_PS2_IP, sipPort: 5060, xcapPort: 0, users: USERS });
  });
  after(async () => {
    await ps2?.stop();
  });

  it('SIPp 3.6 (MD5 only) takes the first challenge, SHA-256, and gives up: no binding', async () => {
    const r = await sipp.call('uac-register-auth.xml', 'udp', {
      keys: {
        to_domain: DOMAIN,
        from_user: 'sipp-udp',
        from_domain: DOMAIN,
        contact: `sip:sipp-udp@${SIPP_IP}:5099`,
        expires: '300',
      },
      extraArgs: ['-au', 'sipp-udp', '-ap', 'sipp-pw'],
      hardTimeoutMs: 10_000,
      keepLogs: false,
    });
    assert.notEqual(r.exitCode, 0);
    const [challenge] = receivedMessages(r);
    // RFC 8760 §2.4: PS2 lists SHA-256 before MD5; a UAC should use the first it supports.
    assert.match(
      challenge!,
      /^WWW-Authenticate: Digest [^\r\n]*algorithm=SHA-256[^\r\n]*\r?\nWWW-Authenticate: Digest [^\r\n]*algorithm=MD5/im,
    );
    assert.match(r.errors() + r.stderr + r.stdout, /authentication must use MD5/);
    assert.equal(ps2.location.lookup(`sip:sipp-udp@${DOMAIN}`).length, 0);
  });
});
