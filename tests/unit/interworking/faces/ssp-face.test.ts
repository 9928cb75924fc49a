import assert from 'node:assert/strict';
import http from 'node:http';
import { after, describe, it } from 'node:test';
import { SspEndpoint } from '../../../../domains/imps/ssp/ssp-endpoint.ts';
import type { SubscribeRequest } from '../../../../domains/imps/ssp/ssp-model.ts';
import { SspFace, type SspFaceHandlers, statusOf } from '../../../../interworking/faces/ssp-face.ts';

const IWF = '127.0.97.1';
const PEER = '127.0.97.2';
const SECRET = 's';
const subscribe: SubscribeRequest = {
  kind: 'SubscribeRequest',
  meta: { serviceId: 'wv:@domain2.lab', userId: 'wv:jane@domain2.lab' },
  userIds: ['wv:harry@domain1.lab'],
};

const seen: SubscribeRequest[] = [];
const handlers: SspFaceHandlers = {
  handleSspSubscribe: async (_c, r) => {
    seen.push(r);
    return { code: 200, description: 'Successful' };
  },
  handleSspUnsubscribe: async () => ({ code: 200 }),
  handleSspPresenceNotification: async () => ({ code: 200 }),
  handleSspGetPresence: async () => ({ status: { code: 200 }, presences: [] }),
  handleSspSendMessage: async () => ({ status: { code: 200 } }),
  handleSspDeliveryStatusReport: async () => {
    throw new Error('core failure');
  },
};

const closers: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const c of closers) await c();
});

function face(
  peers: Record<string, { url: string; secret: string }>,
  port: number,
  timeoutMs = 1000,
): SspFace {
  const f = new SspFace(
    { domain: 'domain2.lab', address: IWF, port, peers, node: 'iwf', timeoutMs },
    handlers,
  );
  closers.push(() => f.stop());
  return f;
}

describe('SspFace', () => {
  it('a domain outside the table → 516, never a throw', async () => {
    const f = face({}, 0);
    const out = await f.send('domain9.lab', subscribe);
    assert.deepEqual(statusOf(out).code, 516);
  });

  it('a peer that is down → 503 with the reason', async () => {
    const f = face({ 'domain1.lab': { url: `http://${PEER}:9/ssp`, secret: SECRET } }, 0);
    const out = await f.send('domain1.lab', subscribe);
    assert.equal(out.ok, false);
    assert.equal(statusOf(out).code, 503);
    assert.match(statusOf(out).description ?? '', /Service unavailable/);
  });

  it('a peer that acknowledges and never answers → 504 after the timeout', async () => {
    const silent = http.createServer((_req, res) => res.end());
    await new Promise<void>((r) => silent.listen(18_097, PEER, r));
    closers.push(() => new Promise((r) => silent.close(r)));
    const f = face({ 'domain1.lab': { url: `http://${PEER}:18097/ssp`, secret: SECRET } }, 0, 300);
    const t0 = Date.now();
    const out = await f.send('domain1.lab', subscribe);
    assert.equal(statusOf(out).code, 504);
    assert.ok(Date.now() - t0 < 2000);
  });

  it('serves PS1: requests reach the core handlers, a throwing handler is answered 500', async () => {
    const f = face({ 'domain1.lab': { url: `http://${PEER}:18098/ssp`, secret: SECRET } }, 18_099);
    await f.start();
    assert.equal(f.url, `http://${IWF}:18099/ssp`);
    const ps1 = new SspEndpoint({
      domain: 'domain1.lab',
      peers: { 'domain2.lab': { url: f.url, secret: SECRET } },
      node: 'ps1',
    });
    await ps1.listen(PEER, 18_098);
    closers.push(() => ps1.close());
    const answer = await ps1.request('domain2.lab', {
      kind: 'SubscribeRequest',
      meta: { serviceId: 'wv:@domain1.lab', userId: 'wv:harry@domain1.lab' },
      userIds: ['wv:jane@domain2.lab'],
    });
    assert.equal(answer.kind === 'Status' && answer.status.code, 200);
    assert.equal(seen.at(-1)?.meta.userId, 'wv:harry@domain1.lab');
    const failed = await ps1.request('domain2.lab', {
      kind: 'DeliveryStatusReport',
      meta: { serviceId: 'wv:@domain1.lab', userId: 'wv:harry@domain1.lab' },
      result: { code: 200 },
      message: { messageId: 'm', recipients: ['wv:harry@domain1.lab'], sender: 'wv:jane@domain2.lab' },
    });
    assert.equal(failed.kind === 'Status' && failed.status.code, 500);
  });

  it('statusOf reads the Status of any answer element', () => {
    assert.equal(statusOf({ ok: true, content: { kind: 'Status', status: { code: 201 } } }).code, 201);
    assert.equal(
      statusOf({ ok: true, content: { kind: 'SendMessageResponse', status: { code: 533 } } }).code,
      533,
    );
    assert.equal(
      statusOf({ ok: true, content: { kind: 'SendSecretToken', serviceId: 'x', secretToken: 't' } }).code,
      500,
    );
  });
});
