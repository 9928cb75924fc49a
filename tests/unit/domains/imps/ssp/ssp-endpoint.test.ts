// Two SSP endpoints on loopback: mutual login, an asynchronous answer, sender verification,
// a delegate without the handler (501), no route (never contacted).
import assert from 'node:assert/strict';
import diagnostics_channel from 'node:diagnostics_channel';
import { after, before, describe, it } from 'node:test';
import type { WireTraceEvent } from '../../../../../common/trace.ts';
import { SspEndpoint, SspNoRouteError } from '../../../../../domains/imps/ssp/ssp-endpoint.ts';

describe('SspEndpoint', () => {
  let a: SspEndpoint;
  let b: SspEndpoint;
  before(async () => {
    a = new SspEndpoint({
      domain: 'a.lab',
      peers: { 'b.lab': { url: 'http://127.0.1.31:0/ssp', secret: 'k' } },
      timeoutMs: 3000,
    });
    const la = await a.listen('127.0.1.30', 0);
    b = new SspEndpoint({
      domain: 'b.lab',
      peers: { 'a.lab': { url: la.url, secret: 'k' } },
      timeoutMs: 3000,
    });
    const lb = await b.listen('127.0.1.31', 0);
    // a learns b's real port now that it is bound (test-only reach into the routing table).
    (a as unknown as { peers: Map<string, { url: string }> }).peers.get('b.lab')!.url = lb.url;
    b.delegate = {
      handleSspSubscribe: async (ctx, r) => ({
        code: 200,
        description: `${ctx.peerDomain} ${r.userIds.join(',')}`,
      }),
    };
  });
  after(async () => {
    await a.close();
    await b.close();
  });

  it('sets the session up on first use and returns the asynchronous answer', async () => {
    const r = await a.request('b.lab', {
      kind: 'SubscribeRequest',
      meta: { serviceId: 'wv:@a.lab', userId: 'wv:x@a.lab' },
      userIds: ['wv:y@b.lab'],
    });
    assert.deepEqual(r, { kind: 'Status', status: { code: 200, description: 'a.lab wv:y@b.lab' } });
    assert.ok(a.isUp('b.lab') && b.isUp('a.lab'), 'mutual');
  });

  it('reports acceptance when the POST is acknowledged, before the answer', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const previous = b.delegate;
    b.delegate = {
      handleSspPresenceNotification: async () => {
        await held;
        return { code: 200 };
      },
    };
    try {
      let accepted = false;
      let answered = false;
      const answer = a
        .request(
          'b.lab',
          {
            kind: 'PresenceNotification',
            meta: { serviceId: 'wv:@a.lab', userId: 'wv:x@a.lab' },
            recipients: ['wv:y@b.lab'],
            presences: [],
          },
          () => {
            accepted = true;
          },
        )
        .then((r) => {
          answered = true;
          return r;
        });
      for (let i = 0; !accepted && i < 400; i++) await new Promise((r) => setTimeout(r, 5));
      assert.equal(accepted, true, 'the POST was acknowledged within 2 s');
      assert.equal(answered, false, 'accepted while the answer is still held by the peer');
      release();
      assert.deepEqual(await answer, { kind: 'Status', status: { code: 200 } });
    } finally {
      b.delegate = previous;
    }
  });

  it('a requestor of another domain is 403; a missing handler is 501', async () => {
    const forged = await a.request('b.lab', {
      kind: 'SubscribeRequest',
      meta: { serviceId: 'wv:@a.lab', userId: 'wv:x@evil.lab' },
      userIds: ['wv:y@b.lab'],
    });
    assert.equal(forged.kind === 'Status' && forged.status.code, 403);
    const none = await a.request('b.lab', {
      kind: 'UnsubscribeRequest',
      meta: { serviceId: 'wv:@a.lab' },
      userIds: ['wv:y@b.lab'],
    });
    assert.equal(none.kind === 'Status' && none.status.code, 501);
  });

  it('a domain outside the table is never contacted', async () => {
    await assert.rejects(
      a.request('c.lab', { kind: 'UnsubscribeRequest', meta: { serviceId: 'wv:@a.lab' }, userIds: [] }),
      SspNoRouteError,
    );
    assert.throws(
      () => new SspEndpoint({ domain: 'x', peers: { y: { url: 'http://10.0.0.1/ssp', secret: 's' } } }),
      /loopback/,
    );
  });
});

describe('SspEndpoint under load', () => {
  async function pair(batching: { maxInFlight: number; maxBatch: number }, maxBodyBytes?: number) {
    const limit = maxBodyBytes === undefined ? {} : { maxBodyBytes };
    const a = new SspEndpoint({
      domain: 'a.lab',
      node: 'a-load',
      peers: { 'b.lab': { url: 'http://127.0.1.35:0/ssp', secret: 'k' } },
      timeoutMs: 3000,
      batching,
      ...limit,
    });
    const la = await a.listen('127.0.1.34', 0);
    const b = new SspEndpoint({
      domain: 'b.lab',
      node: 'b-load',
      peers: { 'a.lab': { url: la.url, secret: 'k' } },
      timeoutMs: 3000,
      batching,
      ...limit,
      delegate: { handleSspSubscribe: async (_c, r) => ({ code: 200, description: r.userIds[0] }) },
    });
    const lb = await b.listen('127.0.1.35', 0);
    (a as unknown as { peers: Map<string, { url: string }> }).peers.get('b.lab')!.url = lb.url;
    return { a, b };
  }
  const subscribeMany = (a: SspEndpoint, n: number) =>
    Promise.all(
      Array.from({ length: n }, (_, i) =>
        a.request('b.lab', {
          kind: 'SubscribeRequest',
          meta: { serviceId: 'wv:@a.lab', userId: 'wv:x@a.lab' },
          userIds: [`wv:u${i}@b.lab`],
        }),
      ),
    );

  it('a batch over the body limit leaves as smaller POSTs; nothing is refused 413', async () => {
    const { a, b } = await pair({ maxInFlight: 1, maxBatch: 32 }, 1800);
    try {
      const answers = await subscribeMany(a, 60);
      assert.deepEqual(
        answers,
        answers.map((_, i) => ({ kind: 'Status', status: { code: 200, description: `wv:u${i}@b.lab` } })),
      );
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('coalesces transactions into shared POSTs both ways, and answers each one', async () => {
    const { a, b } = await pair({ maxInFlight: 1, maxBatch: 16 });
    const posts = { a: 0, b: 0 };
    const count = (m: unknown) => {
      const e = m as WireTraceEvent;
      if (e.protocol === 'ssp' && e.direction === 'tx' && e.bytes.includes('<Session'))
        if (e.node === 'a-load') posts.a++;
        else if (e.node === 'b-load') posts.b++;
    };
    diagnostics_channel.subscribe('lab:wire', count);
    try {
      const N = 100;
      const answers = await subscribeMany(a, N);
      assert.deepEqual(
        answers,
        answers.map((_, i) => ({ kind: 'Status', status: { code: 200, description: `wv:u${i}@b.lab` } })),
      );
      // One POST in flight at a time, at most 16 transactions each: between N/16 and N-1 POSTs.
      for (const side of ['a', 'b'] as const) {
        assert.ok(posts[side] >= Math.ceil(N / 16), `${side}: ${posts[side]} POSTs`);
        assert.ok(posts[side] < N, `${side}: ${posts[side]} POSTs for ${N} transactions (none coalesced)`);
      }
    } finally {
      diagnostics_channel.unsubscribe('lab:wire', count);
      await a.close();
      await b.close();
    }
  });
});

describe('SspEndpoint after the peer restarts', () => {
  it('an answer sent on the forgotten session is refused 401, then delivered on a new session', async () => {
    const a = new SspEndpoint({
      domain: 'a.lab',
      peers: { 'b.lab': { url: 'http://127.0.1.33:0/ssp', secret: 'k' } },
      timeoutMs: 3000,
    });
    const la = await a.listen('127.0.1.32', 0);
    a.delegate = {
      handleSspSubscribe: async (ctx, r) => ({
        code: 200,
        description: `${ctx.peerDomain} ${r.userIds.join(',')}`,
      }),
    };
    const makeB = async (port: number) => {
      const b = new SspEndpoint({
        domain: 'b.lab',
        peers: { 'a.lab': { url: la.url, secret: 'k' } },
        timeoutMs: 3000,
      });
      const lb = await b.listen('127.0.1.33', port);
      (a as unknown as { peers: Map<string, { url: string }> }).peers.get('b.lab')!.url = lb.url;
      return { b, port: Number(new URL(lb.url).port) };
    };
    const first = await makeB(0);
    const subscribe = (b: SspEndpoint) =>
      b.request('a.lab', {
        kind: 'SubscribeRequest',
        meta: { serviceId: 'wv:@b.lab', userId: 'wv:jane@b.lab' },
        userIds: ['wv:harry@a.lab'],
      });
    try {
      // Both directions up: a holds an outbound session to the first b.
      assert.equal((await subscribe(first.b)).kind, 'Status');
      await a.request('b.lab', { kind: 'UnsubscribeRequest', meta: { serviceId: 'wv:@a.lab' }, userIds: [] });
      await first.b.close();
      // b restarts on the same address and port with no memory of a's session.
      const second = await makeB(first.port);
      try {
        const answer = await subscribe(second.b);
        assert.deepEqual(answer, {
          kind: 'Status',
          status: { code: 200, description: 'b.lab wv:harry@a.lab' },
        });
      } finally {
        await second.b.close();
      }
    } finally {
      await a.close();
    }
  });
});
