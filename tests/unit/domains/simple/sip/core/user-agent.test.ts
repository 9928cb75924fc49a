import assert from 'node:assert/strict';
import diagnostics_channel from 'node:diagnostics_channel';
import { after, before, describe, it } from 'node:test';
import type { WireTraceEvent } from '../../../../../../common/trace.ts';
import { Notifier, SipUserAgent, Subscriber } from '../../../../../../domains/simple/sip/core/index.ts';

// Two user agents on loopback talking through the whole stack (real UDP and TCP sockets).

describe('SipUserAgent', () => {
  const alice = new SipUserAgent({ node: 'alice', address: '127.0.77.1', port: 0 });
  const bob = new SipUserAgent({ node: 'bob', address: '127.0.77.2', port: 0 });

  before(async () => {
    await alice.start();
    await bob.start();
    alice.router.set('b.lab', { address: '127.0.77.2', port: bob.local('udp').port });
  });
  after(async () => {
    await alice.stop();
    await bob.stop();
  });

  it('sends MESSAGE and gets the handler’s 200, over UDP', async () => {
    const received: string[] = [];
    bob.on('MESSAGE', (req) => {
      received.push(req.request.body.toString('utf8'));
      req.reply(200);
    });
    const res = await alice.request({
      method: 'MESSAGE',
      uri: 'sip:bob@b.lab',
      from: 'sip:alice@a.lab',
      body: 'hyvää päivää',
      contentType: 'text/plain;charset=UTF-8',
    });
    assert.equal(res.status, 200);
    assert.deepEqual(received, ['hyvää päivää']);
  });

  it('answers 405 with Allow for a known method without handler, 501 for an unknown one', async () => {
    const r1 = await alice.request({ method: 'PUBLISH', uri: 'sip:bob@b.lab', from: 'sip:alice@a.lab' });
    assert.equal(r1.status, 405);
    assert.match(r1.headers.get('Allow') ?? '', /MESSAGE/);
    const r2 = await alice.request({ method: 'FOO', uri: 'sip:bob@b.lab', from: 'sip:alice@a.lab' });
    assert.equal(r2.status, 501);
  });

  it('refuses a domain that is not in the routing table without sending anything', async () => {
    const res = await alice.request({ method: 'MESSAGE', uri: 'sip:x@example.org', from: 'sip:alice@a.lab' });
    assert.equal(res.status, 404);
    assert.match(res.reason, /no route/);
  });

  for (const protocol of ['udp', 'tcp'] as const) {
    it(`subscribes, gets NOTIFYs, refreshes and unsubscribes (${protocol})`, async () => {
      const notifier = new Notifier(
        bob,
        { events: ['presence'], minExpires: 10 },
        {
          onSubscribe: () => ({ state: 'active', body: '<doc>1</doc>', contentType: 'application/pidf+xml' }),
          currentContent: () => ({ body: '<doc>2</doc>', contentType: 'application/pidf+xml' }),
        },
      );
      const target = `sip:bob@127.0.77.2:${bob.local(protocol).port}${protocol === 'tcp' ? ';transport=tcp' : ''}`;
      const sub = new Subscriber(alice, {
        target,
        from: 'sip:alice@a.lab',
        event: 'presence',
        expires: 60,
        protocol,
      });
      const bodies: string[] = [];
      const states: string[] = [];
      sub.on('notify', (n) => {
        bodies.push(n.body.toString());
        states.push(n.state.state);
      });
      const res = await sub.subscribe();
      assert.equal(res.status, 200);
      await waitFor(() => bodies.length >= 1);
      assert.equal(sub.state, 'active');
      assert.equal(notifier.size, 1);
      const refresh = await sub.refresh();
      assert.equal(refresh?.status, 200);
      await waitFor(() => bodies.length >= 2);
      const ended = new Promise((resolve) => sub.once('terminated', resolve));
      await sub.unsubscribe();
      const info = (await ended) as { reason: string };
      assert.equal(info.reason, 'timeout');
      assert.deepEqual(states, ['active', 'active', 'terminated']);
      assert.deepEqual(bodies, ['<doc>1</doc>', '<doc>2</doc>', '<doc>2</doc>']);
      assert.equal(notifier.size, 0);
      bob.off('SUBSCRIBE');
    });
  }

  it('a SUBSCRIBE routed over TCP names a TCP Contact, so its NOTIFYs come back over TCP', async () => {
    alice.router.set('t.lab', { address: '127.0.77.2', port: bob.local('tcp').port, protocol: 'tcp' });
    const contacts: string[] = [];
    new Notifier(
      bob,
      { events: ['presence'], minExpires: 10 },
      {
        onSubscribe: (_s, req) => {
          contacts.push(req.request.headers.get('Contact') ?? '');
          return { state: 'active', body: '<doc/>', contentType: 'application/pidf+xml' };
        },
      },
    );
    const notifyTransports: string[] = [];
    const watch = (m: unknown) => {
      const e = m as WireTraceEvent;
      if (e.node === 'alice' && e.direction === 'rx' && e.bytes.subarray(0, 7).toString() === 'NOTIFY ')
        notifyTransports.push(e.transport);
    };
    diagnostics_channel.subscribe('lab:wire', watch);
    try {
      const sub = new Subscriber(alice, {
        target: 'sip:bob@t.lab',
        from: 'sip:alice@a.lab',
        event: 'presence',
      });
      const notified = new Promise((resolve) => sub.once('notify', resolve));
      assert.equal((await sub.subscribe()).status, 200);
      await notified;
      assert.match(contacts[0] ?? '', /;transport=tcp>$/);
      assert.deepEqual(notifyTransports, ['tcp']);
      await sub.unsubscribe();
    } finally {
      diagnostics_channel.unsubscribe('lab:wire', watch);
      bob.off('SUBSCRIBE');
    }
  });

  it('answers 489 with Allow-Events for an unknown package and 423 with Min-Expires', async () => {
    new Notifier(bob, { events: ['presence'], minExpires: 30 }, { onSubscribe: () => ({ state: 'active' }) });
    const target = `sip:bob@127.0.77.2:${bob.local('udp').port}`;
    const bad = new Subscriber(alice, { target, from: 'sip:alice@a.lab', event: 'dialog' });
    const r1 = await bad.subscribe();
    assert.equal(r1.status, 489);
    assert.equal(r1.headers.get('Allow-Events'), 'presence');
    assert.equal(bad.state, 'terminated');
    const short = new Subscriber(alice, { target, from: 'sip:alice@a.lab', event: 'presence', expires: 5 });
    const r2 = await short.subscribe();
    assert.equal(r2.status, 200, 'retried with Min-Expires');
    assert.equal(short.expires, 30);
    await short.unsubscribe();
    bob.off('SUBSCRIBE');
  });
});

async function waitFor(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 5));
  }
}
