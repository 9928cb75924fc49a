// Jane's SIMPLE terminal (domains/simple/client) against two presence servers with ONE table of
// cases: PS2 (ours) and Kamailio 5.6 in Domain2 mode (lab/kamailio/kamailio-domain2.cfg,
// reactive authorization through pres-rules in its integrated XCAP server, msilo for offline
// MESSAGE). Jane is driven through her control API (HTTP + JSON), the other users through the
// terminal's library API. Where Kamailio differs from PS2 by design, the case states each server's
// own answer in `PROFILES` and asserts it (docs/interop.md "Jane's terminal against PS2 and
// Kamailio"); nothing is skipped and no assertion is shared loosely.
//
// Addresses: Kamailio 127.0.55.1 (SIP :5060, XCAP :8055), its users 127.0.55.10-14;
// PS2 127.0.56.1 (SIP :5060, XCAP any port), its users 127.0.56.10-14.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type ControlServer, startControlServer } from '../../domains/simple/client/control-server.ts';
import { ruleElementXml, ruleFor, ruleSelector } from '../../domains/simple/client/pres-rules-editor.ts';
import { SimpleTerminal } from '../../domains/simple/client/simple-terminal.ts';
import type {
  AuthorizationDecision,
  ControlEvent,
  ControlPresence,
} from '../../domains/simple/client/terminal-control.ts';
import { startPs2 } from '../../domains/simple/server/ps2.ts';
import { KamailioFixture } from './support/kamailio-fixture.ts';
import { waitFor as waitUpTo } from './support/waits.ts';

const PASSWORDS: Record<string, string> = {
  jane: 'jane-pw',
  bob: 'bob-pw',
  carol: 'carol-pw',
  dave: 'dave-pw',
  erin: 'erin-pw',
};
const JANE = 'sip:jane@domain2.lab';
const BOB = 'sip:bob@domain2.lab';
const CAROL = 'sip:carol@domain2.lab';
const DAVE = 'sip:dave@domain2.lab';

/** What each server does where the two differ by design (each difference is in docs/interop.md). */
interface Profile {
  /** REGISTER challenged with Digest: a wrong password is refused. */
  authenticatesRegister: boolean;
  /**
   * The answer to an element-level pres-rules PUT (RFC 4825 §6.3 node selector with the §6.4
   * `?xmlns()` query). Kamailio's xcap_server passes the query to libxml2's XPath evaluator and
   * answers 500; the terminal then rewrites the whole document (If-Match), so Jane's decisions
   * work the same against both servers.
   */
  elementXcapStatus: number;
  /** Reason of the NOTIFY that ends a watcher removed from the pres-rules (RFC 5025 §3.2.1 / RFC 6665 §4.2.2). */
  revokedReason: string;
  /** A new SUBSCRIBE from a blocked watcher: refused with this status, or accepted (200) and then terminated. */
  blockedSubscribeStatus: number;
  /** An offline MESSAGE is delivered on registration as the original CPIM, or flattened by msilo. */
  offlineDelivery: 'cpim' | 'msilo-text';
}

const PROFILES: Record<'PS2' | 'Kamailio', Profile> = {
  PS2: {
    authenticatesRegister: true,
    elementXcapStatus: 201, // a new element (RFC 4825 §8.2.1: 201 Created)
    revokedReason: 'deactivated',
    blockedSubscribeStatus: 403,
    offlineDelivery: 'cpim',
  },
  Kamailio: {
    authenticatesRegister: false,
    elementXcapStatus: 500,
    revokedReason: 'probation',
    blockedSubscribeStatus: 200,
    offlineDelivery: 'msilo-text',
  },
};

interface Server {
  home: { address: string; port: number };
  xcapRoot: string;
  /** The terminals' addresses are `${userNet}.10` … `.14`. */
  userNet: string;
  registered(aor: string): boolean;
  stop(): Promise<void>;
}

async function startPs2Server(): Promise<Server> {
  const ps2 = await startPs2({
    domain: 'domain2.lab',
    address: '127.0.56.1',
    sipPort: 5060,
    xcapPort: 0,
    users: PASSWORDS,
    notifyMinIntervalMs: 0,
  });
  return {
    home: { address: ps2.sip.address, port: ps2.sip.port },
    xcapRoot: ps2.xcap.rootUri,
    userNet: '127.0.56',
    registered: (aor) => ps2.location.lookup(aor).length > 0,
    stop: () => ps2.stop(),
  };
}

const userOf = (aor: string) => aor.replace(/^sip:/, '').split('@')[0]!;

async function startKamailioServer(): Promise<Server> {
  const lab = new KamailioFixture({
    mode: 'domain2',
    listenIp: '127.0.55.1',
    substdefs: { XCAP_PORT: '8055', IWF_IP: '127.0.55.9', IWF_PORT: '5060' },
  });
  // Kamailio's children open the fresh SQLite file at the same moment; msilo's child_init has been
  // seen to lose that race ("database is locked", the process exits). One more start, once.
  const k = await lab.start().catch(() => lab.start());
  return {
    home: { address: k.listenIp, port: k.port },
    xcapRoot: 'http://127.0.55.1:8055/xcap-root',
    userNet: '127.0.55',
    // usrloc without use_domain keys AoRs by user part; an AoR without bindings answers
    // "error: 500 - AOR not found in location table".
    registered: (aor) => /\bAddress: sip:/.test(k.kamcmd('ul.lookup', 'location', userOf(aor))),
    stop: () => lab.stop(),
  };
}

/** Polls `predicate` every 10 ms; rejects after 5 s with `what`. */
const waitFor = (what: string, predicate: () => boolean) => waitUpTo(what, predicate, 5000);

const PUBLISHED: ControlPresence = {
  basic: 'open',
  activities: ['meeting'],
  mood: ['happy'],
  note: 'Réunion à Paris — 会議',
  placeType: 'office',
};

function presenceTable(name: 'PS2' | 'Kamailio', start: () => Promise<Server>): void {
  const profile = PROFILES[name];
  describe(`Jane's terminal against ${name}`, () => {
    let server: Server;
    let control: ControlServer;
    const terminals: Record<string, SimpleTerminal> = {};
    const events: Record<string, ControlEvent[]> = {};

    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`http://${server.userNet}.10:${control.port}/api/v1${path}`, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(10_000),
      });
      return { status: res.status, json: (await res.json()) as Record<string, unknown> };
    };
    const terminal = (user: string): SimpleTerminal => {
      const t = terminals[user];
      assert.ok(t, user);
      return t;
    };
    const eventsOf = (user: string) => events[user] ?? [];
    const subscriptionTo = (user: string, target: string) =>
      terminal(user)
        .state()
        .subscriptions.find((s) => s.target === target);
    const terminated = (user: string) =>
      eventsOf(user).find(
        (e): e is Extract<ControlEvent, { type: 'subscription' }> =>
          e.type === 'subscription' && e.state === 'terminated' && e.reason !== undefined,
      );
    const janeWatcher = (watcher: string) =>
      terminal('jane')
        .state()
        .watchers.find((w) => w.watcher === watcher);

    /** Jane decides through the control API; the terminal writes the rule (element or document). */
    const decide = async (watcher: string, decision: AuthorizationDecision) => {
      const r = await api('POST', '/authorizations', { watcher, decision });
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.equal(r.json.decision, decision);
      return r;
    };

    before(async () => {
      server = await start();
      for (const [i, user] of ['jane', 'bob', 'carol', 'dave', 'erin'].entries()) {
        const t = new SimpleTerminal({
          user,
          domain: 'domain2.lab',
          password: PASSWORDS[user]!,
          address: `${server.userNet}.${10 + i}`,
          sipPort: 5060,
          home: server.home,
          xcapRoot: server.xcapRoot,
          registerExpires: 600,
        });
        const list: ControlEvent[] = [];
        t.onEvent((e) => list.push(e));
        terminals[user] = t;
        events[user] = list;
      }
      control = await startControlServer(terminal('jane'), { address: `${server.userNet}.10`, port: 0 });
    });

    after(async () => {
      await control?.close().catch(() => {});
      for (const t of Object.values(terminals)) await t.stop().catch(() => {});
      await server?.stop();
    });

    it('REGISTER: a wrong password is refused where the server authenticates', async () => {
      const erin = terminal('erin');
      if (profile.authenticatesRegister) {
        await assert.rejects(
          erin.login({ password: 'wrong' }),
          (e: { code?: string; protocolStatus?: number }) => {
            assert.equal(e.code, 'TERM_ERR_AUTH_FAILED');
            return true;
          },
        );
        assert.equal(server.registered('sip:erin@domain2.lab'), false);
      } else {
        // Kamailio's Domain2 config has no auth module: any password registers.
        const r = await erin.login({ password: 'wrong' });
        assert.equal(r.loggedIn, true);
        assert.equal(server.registered('sip:erin@domain2.lab'), true);
        await erin.logout();
        assert.equal(server.registered('sip:erin@domain2.lab'), false);
      }
    });

    it('Jane logs in (control API) and her binding is in the location service', async () => {
      const r = await api('POST', '/login', { password: PASSWORDS.jane });
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.equal(r.json.loggedIn, true);
      assert.equal(typeof r.json.expires, 'number');
      assert.ok((r.json.expires as number) > 0 && (r.json.expires as number) <= 600);
      assert.equal(server.registered(JANE), true);
      await terminal('bob').login({});
      assert.equal(server.registered(BOB), true);
    });

    it('Jane publishes her presence (PUBLISH → 200 with an entity tag)', async () => {
      const r = await api('POST', '/presence', PUBLISHED);
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.equal(r.json.published, true);
      assert.equal(typeof r.json.etag, 'string');
    });

    it('Bob without a rule is pending and Jane sees him pending in her watcherinfo', async () => {
      const sub = await terminal('bob').subscribe(JANE);
      assert.equal(sub.kind, 'user');
      await waitFor('Jane sees Bob pending', () => janeWatcher(BOB)?.status === 'pending');
      assert.ok(
        eventsOf('jane').some((e) => e.type === 'watcher' && e.watcher === BOB && e.status === 'pending'),
      );
      const state = (await api('GET', '/state')).json;
      assert.deepEqual(
        (state.watchers as Array<{ watcher: string; status: string }>).map((w) => [w.watcher, w.status]),
        [[BOB, 'pending']],
      );
      assert.equal(subscriptionTo('bob', JANE)?.state, 'pending');
      assert.equal(subscriptionTo('bob', JANE)?.presence, undefined);
      assert.equal(
        eventsOf('bob').some((e) => e.type === 'presence'),
        false,
      );
    });

    it('Jane approves Bob: he becomes active with her full presence (basic, activities, mood, note, place)', async () => {
      await decide(BOB, 'approve');
      // What the server answers to a single-rule PUT (the terminal falls back when refused); the
      // rule names a watcher nobody plays, so it changes nothing here
      // (the document exists now: Jane's decision created it).
      const nobody = 'sip:nobody@domain2.lab';
      const direct = await terminal('jane').xcap.putElement(
        'pres-rules',
        ruleSelector(nobody),
        ruleElementXml(ruleFor(nobody, 'deny')),
      );
      assert.equal(direct.status, profile.elementXcapStatus);
      await waitFor('Bob sees Jane', () => subscriptionTo('bob', JANE)?.presence !== undefined);
      const sub = subscriptionTo('bob', JANE);
      assert.equal(sub?.state, 'active');
      const p = sub?.presence;
      assert.equal(p?.basic, 'open');
      assert.deepEqual(p?.activities, ['meeting']);
      assert.deepEqual(p?.mood, ['happy']);
      assert.equal(p?.note, PUBLISHED.note);
      assert.equal(p?.placeType, 'office');
      await waitFor('Jane sees Bob active', () => janeWatcher(BOB)?.status === 'active');
    });

    it('a new PUBLISH reaches the active watcher', async () => {
      const r = await api('POST', '/presence', { basic: 'closed', activities: ['away'], note: 'Back at 5' });
      assert.equal(r.status, 200, JSON.stringify(r.json));
      await waitFor('Bob sees the update', () => subscriptionTo('bob', JANE)?.presence?.note === 'Back at 5');
      const p = subscriptionTo('bob', JANE)?.presence;
      assert.equal(p?.basic, 'closed');
      assert.deepEqual(p?.activities, ['away']);
    });

    it('MESSAGE both ways between registered users, text unchanged', async () => {
      const out = await api('POST', '/messages', { to: BOB, text: 'Bonjour Bob ☕' });
      assert.equal(out.status, 202, JSON.stringify(out.json));
      assert.equal(out.json.status, 'sent');
      assert.equal(out.json.protocolStatus, 200);
      await waitFor('Bob gets the message', () => eventsOf('bob').some((e) => e.type === 'message'));
      const atBob = eventsOf('bob').find((e) => e.type === 'message');
      assert.ok(atBob?.type === 'message');
      assert.equal(atBob.from, JANE);
      assert.equal(atBob.text, 'Bonjour Bob ☕');

      const back = await terminal('bob').sendMessage(JANE, 'Salut Jane');
      assert.equal(back.status, 'sent');
      assert.equal(back.protocolStatus, 200);
      await waitFor('Jane gets the reply', () => eventsOf('jane').some((e) => e.type === 'message'));
      const atJane = eventsOf('jane').find((e) => e.type === 'message');
      assert.ok(atJane?.type === 'message');
      assert.equal(atJane.from, BOB);
      assert.equal(atJane.text, 'Salut Jane');
    });

    it('Jane blocks Bob: his subscription ends with reason=rejected', async () => {
      await decide(BOB, 'deny');
      await waitFor('Bob terminated', () => terminated('bob') !== undefined);
      assert.equal(terminated('bob')?.reason, 'rejected');
      assert.equal(subscriptionTo('bob', JANE), undefined);
    });

    it('a blocked watcher that subscribes again is refused, or accepted and terminated;reason=rejected', async () => {
      events.bob!.length = 0;
      if (profile.blockedSubscribeStatus >= 300) {
        await assert.rejects(terminal('bob').subscribe(JANE), (e: { protocolStatus?: number }) => {
          assert.equal(e.protocolStatus, profile.blockedSubscribeStatus);
          return true;
        });
      } else {
        // Kamailio answers 200 and then NOTIFY terminated;reason=rejected (RFC 6665 §4.2.1 allows
        // either: the 2xx only says the SUBSCRIBE was understood).
        const sub = await terminal('bob').subscribe(JANE);
        assert.equal(sub.target, JANE);
        await waitFor('Bob terminated again', () => terminated('bob') !== undefined);
        assert.equal(terminated('bob')?.reason, 'rejected');
      }
      assert.equal(
        eventsOf('bob').some((e) => e.type === 'presence'),
        false,
      );
    });

    it('Jane revokes Carol: removing her rule ends the subscription', async () => {
      await terminal('carol').login({});
      await terminal('carol').subscribe(JANE);
      await waitFor('Jane sees Carol pending', () => janeWatcher(CAROL)?.status === 'pending');
      await decide(CAROL, 'approve');
      await waitFor('Carol active', () => subscriptionTo('carol', JANE)?.state === 'active');

      const r = await api('DELETE', `/authorizations/${encodeURIComponent(CAROL)}`);
      assert.equal(r.status, 200, JSON.stringify(r.json));
      assert.equal(r.json.revoked, true);
      await waitFor('Carol terminated', () => terminated('carol') !== undefined);
      assert.equal(terminated('carol')?.reason, profile.revokedReason);
    });

    it('an offline MESSAGE is stored (202) and delivered when the user registers', async () => {
      assert.equal(server.registered(DAVE), false);
      const r = await api('POST', '/messages', { to: DAVE, text: 'Call me — Jane' });
      assert.equal(r.status, 202, JSON.stringify(r.json));
      assert.equal(r.json.status, 'stored');
      assert.equal(r.json.protocolStatus, 202);
      await terminal('dave').login({});
      await waitFor('Dave gets the stored message', () => eventsOf('dave').some((e) => e.type === 'message'));
      const m = eventsOf('dave').find((e) => e.type === 'message');
      assert.ok(m?.type === 'message');
      assert.equal(m.from, JANE);
      if (profile.offlineDelivery === 'cpim') {
        assert.equal(m.text, 'Call me — Jane');
        assert.equal(m.contentType, 'text/plain');
      } else {
        // msilo re-sends the stored body as text/plain (content_type_hdr) prefixed with the date
        // (add_date): the CPIM wrapper reaches Dave as text.
        assert.equal(m.contentType, 'text/plain');
        assert.match(m.text, /^\[Offline message - [^\]]+\] From: <sip:jane@domain2\.lab>\r\n/);
        assert.match(m.text, /\r\nContent-Type: text\/plain;charset=UTF-8\r\n\r\nCall me — Jane$/);
      }
    });

    it('Jane logs out: her binding is removed', async () => {
      const r = await api('POST', '/logout', {});
      assert.equal(r.json.loggedIn, false);
      await waitFor('binding removed', () => !server.registered(JANE));
    });
  });
}

presenceTable('PS2', startPs2Server);
presenceTable('Kamailio', startKamailioServer);
