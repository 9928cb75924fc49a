import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../../../../../common/manual-clock.ts';
import { DigestAuthenticator, MemoryHa1Store } from '../../../../../../domains/simple/sip/auth/index.ts';
import {
  Dialog,
  forwardRequest,
  Notifier,
  Publisher,
  Registration,
  SipUserAgent,
  Subscriber,
} from '../../../../../../domains/simple/sip/core/index.ts';
import type { SubscriberDelegate } from '../../../../../../domains/simple/sip/core/subscriber.ts';
import { LocationService, processRegister } from '../../../../../../domains/simple/sip/registrar/index.ts';

// Dialog usages over real loopback UDP: early NOTIFY, Timer N, proxying, registration with
// Digest, publication with entity-tags.

async function waitFor(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('Subscriber edge cases', () => {
  const watcher = new SipUserAgent({ node: 'w', address: '127.0.79.1', port: 0, protocols: ['udp'] });
  const notifier = new SipUserAgent({ node: 'n', address: '127.0.79.2', port: 0, protocols: ['udp'] });
  before(async () => {
    await watcher.start();
    await notifier.start();
  });
  after(async () => {
    await watcher.stop();
    await notifier.stop();
  });

  it('creates the dialog from a NOTIFY that arrives before the 2xx (RFC 6665 §4.1.2.4)', async () => {
    notifier.on('SUBSCRIBE', async (req) => {
      const dialog = Dialog.asUas(req.request, 'nt1', `<${notifier.contactUri('udp')}>`);
      const notify = dialog.createRequest('NOTIFY', {
        headers: [
          ['Event', 'presence'],
          ['Subscription-State', 'active;expires=600'],
        ],
        body: Buffer.from('early'),
        contentType: 'text/plain',
      });
      const answered = await notifier.send(notify);
      assert.equal(answered.status, 200, 'the watcher accepted the early NOTIFY');
      req.reply(202, 'Accepted', { toTag: 'nt1', headers: [['Expires', '600']] });
    });
    const sub = new Subscriber(watcher, {
      target: `sip:x@127.0.79.2:${notifier.local().port}`,
      from: 'sip:w@a.lab',
      event: 'presence',
      expires: 600,
    });
    const bodies: string[] = [];
    sub.on('notify', (n) => bodies.push(n.body.toString()));
    const res = await sub.subscribe();
    assert.equal(res.status, 202, '202 is accepted like 200');
    assert.deepEqual(bodies, ['early']);
    assert.equal(sub.state, 'active');
    assert.equal(sub.dialog?.state.remoteTag, 'nt1');
    sub.terminate({ reason: 'test-done' });
    notifier.off('SUBSCRIBE');
  });

  it('answers 481 to a NOTIFY for no subscription, 489 to a wrong Event', async () => {
    notifier.on('SUBSCRIBE', (req) => req.reply(200, 'OK', { toTag: 'nt2', headers: [['Expires', '60']] }));
    const sub = new Subscriber(watcher, {
      target: `sip:x@127.0.79.2:${notifier.local().port}`,
      from: 'sip:w@a.lab',
      event: 'presence',
      expires: 60,
    });
    await sub.subscribe();
    const request = sub.dialog!;
    // A NOTIFY in the watcher's dialog but with another package.
    const peer = new Dialog({
      ...request.state,
      localTag: request.state.remoteTag,
      remoteTag: request.state.localTag,
      localUri: request.state.remoteUri,
      remoteUri: request.state.localUri,
      remoteTarget: watcher.contactUri('udp'),
      routeSet: [],
      localSeq: 10,
      remoteSeq: undefined,
      localContact: `<${notifier.contactUri('udp')}>`,
    });
    const wrong = peer.createRequest('NOTIFY', {
      headers: [
        ['Event', 'dialog'],
        ['Subscription-State', 'active'],
      ],
    });
    assert.equal((await notifier.send(wrong)).status, 489);
    const missing = peer.createRequest('NOTIFY', { headers: [['Event', 'presence']] });
    assert.equal((await notifier.send(missing)).status, 400);
    sub.terminate({ reason: 'test-done' });
    const stray = peer.createRequest('NOTIFY', {
      headers: [
        ['Event', 'presence'],
        ['Subscription-State', 'active'],
      ],
    });
    assert.equal((await notifier.send(stray)).status, 481);
    notifier.off('SUBSCRIBE');
  });
});

describe('Timer N with a manual clock', () => {
  it('ends a subscription whose NOTIFY never comes after 64*T1', async () => {
    const clock = new ManualClock();
    const w = new SipUserAgent({ node: 'w', address: '127.0.79.3', port: 0, protocols: ['udp'], clock });
    const n = new SipUserAgent({ node: 'n', address: '127.0.79.4', port: 0, protocols: ['udp'] });
    await w.start();
    await n.start();
    try {
      n.on('SUBSCRIBE', (req) => req.reply(200, 'OK', { headers: [['Expires', '3600']] }));
      const sub = new Subscriber(w, {
        target: `sip:x@127.0.79.4:${n.local().port}`,
        from: 'sip:w@a.lab',
        event: 'presence',
      });
      const res = await sub.subscribe();
      assert.equal(res.status, 200);
      assert.equal(sub.state, 'notify-wait');
      clock.advance(31_999);
      assert.equal(sub.state, 'notify-wait');
      clock.advance(1);
      assert.equal(sub.state, 'terminated');
      assert.equal(sub.termination?.reason, 'timer-n');
    } finally {
      await w.stop();
      await n.stop();
    }
  });
});

describe('Subscriber usages at scale', () => {
  it('refreshes from the agent’s one schedule, reports to a delegate, and keeps no initial request', async () => {
    const clock = new ManualClock();
    const w = new SipUserAgent({ node: 'w', address: '127.0.79.5', port: 0, protocols: ['udp'], clock });
    const n = new SipUserAgent({ node: 'n', address: '127.0.79.6', port: 0, protocols: ['udp'] });
    await w.start();
    await n.start();
    try {
      let refreshes = 0;
      const notifier = new Notifier(
        n,
        { events: ['presence'] },
        {
          onSubscribe: () => ({ state: 'active', body: 'x', contentType: 'text/plain' }),
          currentContent: () => {
            refreshes++;
            return { body: 'y', contentType: 'text/plain' };
          },
        },
      );
      const notified: string[] = [];
      const ended: string[] = [];
      const delegate: SubscriberDelegate = {
        onNotify: (sub, info) => notified.push(`${sub.id === undefined ? '?' : 'd'}:${info.body}`),
        onTerminated: (_sub, info) => ended.push(info.reason),
      };
      const subs = [0, 1, 2].map(
        (i) =>
          new Subscriber(
            w,
            {
              target: `sip:p${i}@127.0.79.6:${n.local().port}`,
              from: 'sip:w@a.lab',
              event: 'presence',
              expires: 60,
            },
            delegate,
          ),
      );
      for (const sub of subs) assert.equal((await sub.subscribe()).status, 200);
      await waitFor(() => notified.length === 3);
      assert.deepEqual(notified, ['d:x', 'd:x', 'd:x'], 'the delegate saw each first NOTIFY');
      await assert.rejects(subs[0]!.subscribe(), /already has a dialog/, 'the initial request is gone');
      clock.advance(49_999);
      assert.equal(refreshes, 0);
      clock.advance(1); // expires − 10 s: every usage refreshes, from one Clock timer
      await waitFor(() => refreshes === 3 && notified.length === 6);
      subs[2]!.terminate({ reason: 'test-done' });
      assert.deepEqual(ended, ['test-done']);
      clock.advance(50_000); // the two others refresh again; the ended one never does
      await waitFor(() => refreshes === 5);
      for (const sub of subs.slice(0, 2)) sub.terminate({ reason: 'test-done' });
      clock.advance(3_600_000);
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(refreshes, 5);
      assert.equal(notifier.size, 3, 'the notifier still serves them (they were never unsubscribed)');
    } finally {
      await w.stop();
      await n.stop();
    }
  });
});

describe('forwardRequest (stateful proxy)', () => {
  const alice = new SipUserAgent({ node: 'alice', address: '127.0.79.5', port: 0, protocols: ['udp'] });
  const proxy = new SipUserAgent({ node: 'proxy', address: '127.0.79.6', port: 0, protocols: ['udp'] });
  const bob = new SipUserAgent({ node: 'bob', address: '127.0.79.7', port: 0, protocols: ['udp'] });
  before(async () => {
    await Promise.all([alice.start(), proxy.start(), bob.start()]);
    alice.outboundProxy = { protocol: 'udp', address: '127.0.79.6', port: proxy.local().port };
    proxy.router.set('b.lab', { address: '127.0.79.7', port: bob.local().port });
  });
  after(async () => {
    await Promise.all([alice.stop(), proxy.stop(), bob.stop()]);
  });

  it('relays a request and its response, decrementing Max-Forwards and record-routing', async () => {
    proxy.on('SUBSCRIBE', (req) => void forwardRequest(proxy, req, { recordRoute: true }));
    let seen: { mf?: string; rr?: string; vias: number } = { vias: 0 };
    bob.on('SUBSCRIBE', (req) => {
      seen = {
        mf: req.request.headers.get('Max-Forwards'),
        rr: req.request.headers.get('Record-Route'),
        vias: req.request.vias.length,
      };
      req.reply(200, 'OK', { toTag: 'bobtag', headers: [['Expires', '60']] });
    });
    const res = await alice.request({
      method: 'SUBSCRIBE',
      uri: 'sip:bob@b.lab',
      from: 'sip:alice@a.lab',
      headers: [['Event', 'presence']],
    });
    assert.equal(res.status, 200);
    assert.equal(res.toTag, 'bobtag');
    assert.equal(res.vias.length, 1, 'the proxy removed its own Via');
    assert.equal(seen.mf, '69');
    assert.equal(seen.vias, 2);
    assert.match(seen.rr ?? '', new RegExp(`^<sip:127\\.0\\.79\\.6:${proxy.local().port};lr>$`));
    assert.equal(res.headers.get('Record-Route'), seen.rr, 'Record-Route comes back in the response');
  });

  it('answers 483 when Max-Forwards reaches zero', async () => {
    proxy.on('MESSAGE', (req) => void forwardRequest(proxy, req));
    const res = await alice.request({
      method: 'MESSAGE',
      uri: 'sip:bob@b.lab',
      from: 'sip:alice@a.lab',
      headers: [],
      body: 'x',
    });
    assert.notEqual(res.status, 483);
    const request = alice.createRequest({ method: 'MESSAGE', uri: 'sip:bob@b.lab', from: 'sip:alice@a.lab' });
    request.headers.set('Max-Forwards', '0');
    const r2 = await alice.send(request);
    assert.equal(r2.status, 483);
  });
});

describe('Registration and Publisher against helpers', () => {
  const clockless = new SipUserAgent({ node: 'ua', address: '127.0.79.8', port: 0, protocols: ['udp'] });
  const server = new SipUserAgent({ node: 'srv', address: '127.0.79.9', port: 0, protocols: ['udp'] });
  before(async () => {
    await clockless.start();
    await server.start();
    clockless.router.set('d.lab', { address: '127.0.79.9', port: server.local().port });
  });
  after(async () => {
    await clockless.stop();
    await server.stop();
  });

  it('registers with Digest (401 answered once), is refreshed, and unregisters', async () => {
    const store = new LocationService({ clock: server.clock });
    const auth = new DigestAuthenticator({
      realm: 'd.lab',
      store: new MemoryHa1Store().addUser('jane', 'd.lab', 'pw'),
      clock: server.clock,
      ids: server.ids,
    });
    let challenges = 0;
    server.on('REGISTER', (req) => {
      const result = auth.authenticate(req.request);
      if (!result.ok) {
        challenges++;
        req.reply(result.status, result.reason, { headers: result.headers.map((h) => [h.name, h.value]) });
        return;
      }
      const outcome = processRegister(req.request, store, server.clock.now());
      req.reply(outcome.status, outcome.reason, { headers: outcome.headers.map((h) => [h.name, h.value]) });
    });
    const reg = new Registration(clockless, {
      aor: 'sip:jane@d.lab',
      registrar: 'sip:d.lab',
      expires: 120,
      credentials: { username: 'jane', password: 'pw' },
    });
    const action = await reg.register();
    assert.equal(action.kind, 'registered');
    assert.equal(challenges, 1);
    assert.equal(store.lookup('sip:jane@d.lab').length, 1);
    const gone = await reg.unregister();
    assert.equal(gone.kind, 'unregistered');
    assert.equal(store.lookup('sip:jane@d.lab').length, 0);
  });

  it('publishes, modifies with SIP-If-Match, recovers from 412, and removes', async () => {
    const etags: Array<string | undefined> = [];
    let current = 0;
    server.on('PUBLISH', (req) => {
      const ifMatch = req.request.headers.get('SIP-If-Match');
      etags.push(ifMatch);
      if (ifMatch !== undefined && ifMatch !== `e${current}`) {
        req.reply(412, 'Conditional Request Failed');
        return;
      }
      current++;
      req.reply(200, 'OK', {
        headers: [
          ['SIP-ETag', `e${current}`],
          ['Expires', req.request.headers.get('Expires') ?? '3600'],
        ],
      });
    });
    const pub = new Publisher(clockless, {
      target: 'sip:jane@d.lab',
      from: 'sip:jane@d.lab',
      event: 'presence',
      contentType: 'application/pidf+xml',
      expires: 600,
      autoRefresh: false,
    });
    assert.equal((await pub.publish('<a/>')).status, 200);
    assert.equal(pub.etag, 'e1');
    assert.equal((await pub.publish('<b/>')).status, 200);
    assert.equal(pub.etag, 'e2');
    current = 99; // the server forgot our entity-tag
    assert.equal((await pub.refresh())?.status, 200, 'republished after 412');
    assert.equal(pub.etag, 'e100');
    assert.deepEqual(etags, [undefined, 'e1', 'e2', undefined]);
    assert.equal((await pub.unpublish())?.status, 200);
    assert.equal(etags.at(-1), 'e100');
  });
});

void waitFor;

describe('agent credentials and shared ports', () => {
  it('a Subscriber answers a 407 with the agent’s credentials and its refresh continues the CSeq', async () => {
    const watcher = new SipUserAgent({
      node: 'w',
      address: '127.0.79.10',
      port: 0,
      credentials: { username: 'w', password: 'pw' },
    });
    const server = new SipUserAgent({ node: 's', address: '127.0.79.11', port: 0 });
    await watcher.start();
    await server.start();
    try {
      const auth = new DigestAuthenticator({
        realm: 'd.lab',
        role: 'proxy',
        store: new MemoryHa1Store().addUser('w', 'd.lab', 'pw'),
        clock: server.clock,
        ids: server.ids,
      });
      const seqs: number[] = [];
      server.on('SUBSCRIBE', (req) => {
        const result = auth.authenticate(req.request);
        if (!result.ok) {
          req.reply(result.status, result.reason, { headers: result.headers.map((h) => [h.name, h.value]) });
          return;
        }
        seqs.push(req.request.cseq.seq);
        req.reply(200, 'OK', { toTag: 'st', headers: [['Expires', '60']] });
      });
      server.setFallbackHandler((req) => {
        seqs.push(req.request.cseq.seq);
        req.reply(200, 'OK', { headers: [['Expires', '60']] });
      });
      const sub = new Subscriber(watcher, {
        target: `sip:x@127.0.79.11:${server.local().port}`,
        from: 'sip:w@d.lab',
        event: 'presence',
        expires: 60,
        autoRefresh: false,
      });
      assert.equal((await sub.subscribe()).status, 200);
      assert.equal((await sub.refresh())?.status, 200);
      assert.equal(seqs.length, 2);
      assert.ok(seqs[1]! > seqs[0]!, `refresh CSeq ${seqs[1]} follows the authenticated one ${seqs[0]}`);
      sub.terminate({ reason: 'test-done' });
    } finally {
      await watcher.stop();
      await server.stop();
    }
  });

  it('with port 0, UDP and TCP listen on the same port number', async () => {
    const ua = new SipUserAgent({ node: 'p', address: '127.0.79.12', port: 0 });
    await ua.start();
    try {
      assert.equal(ua.local('udp').port, ua.local('tcp').port);
      assert.notEqual(ua.local('udp').port, 0);
    } finally {
      await ua.stop();
    }
  });
});
