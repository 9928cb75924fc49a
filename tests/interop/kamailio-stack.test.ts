// The lab's own SIP stack as a client of Kamailio's presence server (presence mode config,
// lab/kamailio/kamailio-presence.cfg), on loopback: REGISTER (core Registration on
// RegisterClientState), PUBLISH (core Publisher on PublisherState), SUBSCRIBE to presence and
// presence.winfo (core Subscriber), and MESSAGE relayed by Kamailio to a registered contact.
// Addresses 127.0.53.x: Kamailio .1, Bob's UA (watcher, IM recipient) .2, Alice's UA (publisher,
// winfo owner) .3.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  Publisher,
  Registration,
  type SipUserAgent,
  Subscriber,
} from '../../domains/simple/sip/core/index.ts';
import { KamailioFixture } from './support/kamailio-fixture.ts';
import { nextTermination, notifyMatching } from './support/waits.ts';

const KAM = '127.0.53.1';
const BOB_IP = '127.0.53.2';
const ALICE_IP = '127.0.53.3';
const ALICE = `sip:alice@${KAM}`;
const BOB = `sip:bob@${KAM}`;
const PIDF = 'application/pidf+xml';

const pidf = (note: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="${ALICE}"><tuple id="a1"><status><basic>open</basic></status><note>${note}</note></tuple></presence>`;

describe('the stack as a client of Kamailio (presence mode)', { timeout: 120_000 }, () => {
  const lab = new KamailioFixture({ mode: 'presence', listenIp: KAM });
  let bob: SipUserAgent;
  let alice: SipUserAgent;
  let publisher: Publisher;
  let registration: Registration;
  const bobInbox: string[] = [];

  before(async () => {
    await lab.start();
    bob = await lab.user('bob', BOB_IP);
    alice = await lab.user('alice', ALICE_IP);
    bob.on('MESSAGE', (incoming) => {
      bobInbox.push(incoming.request.body.toString('utf8'));
      incoming.reply(200);
    });
    publisher = new Publisher(alice, {
      target: ALICE,
      from: ALICE,
      event: 'presence',
      contentType: PIDF,
      expires: 600,
      autoRefresh: false,
    });
  });

  after(async () => {
    publisher?.cancel();
    registration?.cancel();
    await lab.stop();
  });

  /** Alice's MESSAGE to Bob's AOR, which Kamailio relays to his registered contact. */
  const messageToBob = (body: string, contentType: string, protocol?: 'tcp') =>
    alice.request({
      method: 'MESSAGE',
      uri: BOB,
      from: ALICE,
      body,
      contentType,
      ...(protocol ? { protocol } : {}),
    });

  it('REGISTER: Kamailio grants the binding', async () => {
    registration = new Registration(bob, { aor: BOB, registrar: `sip:${KAM}`, expires: 300 });
    const action = await registration.register();
    assert.equal(action.kind, 'registered');
    if (action.kind !== 'registered') return;
    assert.ok(action.expires > 0 && action.expires <= 300, `granted ${action.expires}`);
    assert.ok(
      action.contacts.some((c) => c.includes(BOB_IP)),
      action.contacts.join(' | '),
    );
  });

  it('PUBLISH: initial → SIP-ETag, refresh without body → a new SIP-ETag; the presentity row carries it', async () => {
    const first = await publisher.publish(pidf('Alice – in the lab ☕'));
    assert.equal(first.status, 200);
    const etag1 = publisher.etag;
    assert.ok(etag1);
    const refreshed = await publisher.refresh();
    assert.equal(refreshed?.status, 200);
    assert.ok(publisher.etag && publisher.etag !== etag1, 'RFC 3903 §4.1: a new entity-tag per PUBLISH');
    const rows = lab.kamailio.sql(`SELECT etag FROM presentity WHERE username='alice' AND event='presence';`);
    assert.ok(rows.split('\n').includes(publisher.etag), `presentity rows: ${rows}`);
  });

  for (const protocol of ['udp', 'tcp'] as const) {
    it(`SUBSCRIBE presence (${protocol}): NOTIFY with the published PIDF (UTF-8 kept), a new NOTIFY on modify, terminated on unsubscribe; the owner's winfo lists the watcher`, async () => {
      // known state first (the previous iteration left its own note)
      assert.equal((await publisher.publish(pidf('Alice – in the lab ☕'))).status, 200);
      const winfo = new Subscriber(alice, {
        target: ALICE,
        from: ALICE,
        event: 'presence.winfo',
        expires: 600,
      });
      const winfoFirst = notifyMatching(winfo, () => true, 'first winfo NOTIFY');
      assert.equal((await winfo.subscribe()).status, 200);
      const first = await winfoFirst;
      assert.equal(first.state.state, 'active');
      const watcherListed = notifyMatching(
        winfo,
        (i) => i.body.toString('utf8').includes(`sip:bob@${KAM}`),
        'winfo NOTIFY listing bob',
      );

      const sub = new Subscriber(bob, {
        target: ALICE,
        from: BOB,
        event: 'presence',
        expires: 600,
        accept: [PIDF],
        protocol,
      });
      const initial = notifyMatching(sub, (i) => i.body.length > 0, 'NOTIFY with PIDF');
      assert.equal((await sub.subscribe()).status, 200);
      const info = await initial;
      assert.equal(info.state.state, 'active');
      assert.equal(info.contentType, PIDF);
      assert.match(info.body.toString('utf8'), /<note>Alice – in the lab ☕<\/note>/);
      assert.equal(info.request.headers.get('Subscription-State')?.startsWith('active'), true);

      const winfoNotify = await watcherListed;
      assert.equal(winfoNotify.contentType, 'application/watcherinfo+xml');
      assert.match(winfoNotify.body.toString('utf8'), /status="active"/);

      const changed = notifyMatching(
        sub,
        (i) => i.body.toString('utf8').includes(`busy ${protocol}`),
        'NOTIFY after modify',
      );
      assert.equal((await publisher.publish(pidf(`busy ${protocol}`))).status, 200);
      await changed;

      const ended = nextTermination(sub);
      await sub.unsubscribe();
      assert.equal((await ended).reason, 'timeout');
      const winfoEnded = nextTermination(winfo);
      await winfo.unsubscribe();
      await winfoEnded;
    });
  }

  it('MESSAGE to the registered AOR is relayed to its contact', async () => {
    const response = await messageToBob('Hei Bob – tervehdys Kamailion kautta', 'text/plain;charset=UTF-8');
    assert.equal(response.status, 200);
    assert.equal(bobInbox.at(-1), 'Hei Bob – tervehdys Kamailion kautta');
  });

  it('MESSAGE over TCP is relayed too', async () => {
    const response = await messageToBob('over tcp', 'text/plain', 'tcp');
    assert.equal(response.status, 200);
    assert.equal(bobInbox.at(-1), 'over tcp');
  });

  it('after un-REGISTER the AOR has no contact: MESSAGE → 404', async () => {
    const action = await registration.unregister();
    assert.equal(action.kind, 'unregistered');
    const response = await messageToBob('x', 'text/plain');
    assert.equal(response.status, 404);
  });

  it('PUBLISH removal (Expires: 0) deletes the presentity row; a stale SIP-If-Match then gets 412', async () => {
    const etag = publisher.etag!;
    const removed = await publisher.unpublish();
    assert.equal(removed?.status, 200);
    // Kamailio may answer before its DB delete lands (seen once in ~10 runs): poll briefly.
    let rows = '';
    for (let i = 0; i < 20; i++) {
      rows = lab.kamailio.sql(`SELECT count(*) FROM presentity WHERE username='alice';`).trim();
      if (rows === '0') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(rows, '0');
    const stale = await alice.request({
      method: 'PUBLISH',
      uri: ALICE,
      from: ALICE,
      headers: [
        ['Event', 'presence'],
        ['SIP-If-Match', etag],
        ['Expires', '600'],
      ],
    });
    assert.equal(stale.status, 412);
  });
});
