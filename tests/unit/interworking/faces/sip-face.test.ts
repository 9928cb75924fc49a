import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ManualClock } from '../../../../common/manual-clock.ts';
import {
  type IncomingRequest,
  Notifier,
  type NotifierSubscription,
  SipUserAgent,
  StaticRouter,
  Subscriber,
} from '../../../../domains/simple/sip/core/index.ts';
import type { SipResponse } from '../../../../domains/simple/sip/message/sip-message.ts';
import { SipFace, type SipFaceHandlers } from '../../../../interworking/faces/sip-face.ts';
import { loadDialog, storeDialog } from '../../../../interworking/subscriptions/link-store.ts';

const IWF = '127.0.98.1';
const PEER = '127.0.98.2';

const messages: IncomingRequest[] = [];
const served: NotifierSubscription[] = [];
const handlers: SipFaceHandlers = {
  handleSipSubscribe: async (sub) => {
    served.push(sub);
    return { state: 'active', body: 'first', contentType: 'text/plain' };
  },
  currentContent: () => ({ body: 'current', contentType: 'text/plain' }),
  handleSipSubscriptionEnded: () => undefined,
  handleSipMessage: async (req) => {
    messages.push(req);
    req.reply(202);
  },
};

const stops: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const s of stops.reverse()) await s();
});

async function startFace(port = 5060): Promise<SipFace> {
  const face = new SipFace(
    { node: 'iwf', address: IWF, port, routes: { 'domain2.lab': { address: PEER, port: 5060 } } },
    handlers,
  );
  await face.start();
  return face;
}

describe('SipFace', () => {
  it('withDeadline answers 408 when the SIMPLE side stays silent past the deadline', async () => {
    const clock = new ManualClock();
    const face = new SipFace(
      { node: 'iwf', address: IWF, port: 5070, routes: {}, clock, requestTimeoutMs: 4000 },
      handlers,
    );
    const never = new Promise<SipResponse>(() => {});
    const answer = face.withDeadline(never);
    clock.advance(3999);
    await Promise.resolve();
    clock.advance(1);
    const r = await answer;
    assert.equal(r.status, 408);
    assert.match(r.reason, /no answer/);
  });

  it('an IWF subscription resumed from stored dialog state receives the next NOTIFY', async () => {
    const peer = new SipUserAgent({ node: 'ps2', address: PEER, port: 5060 });
    let notifierSub: NotifierSubscription | undefined;
    new Notifier(
      peer,
      { events: ['presence'] },
      {
        onSubscribe: (sub) => {
          notifierSub = sub;
          return { state: 'active', body: 'v1', contentType: 'text/plain' };
        },
        currentContent: () => ({ body: 'refreshed', contentType: 'text/plain' }),
      },
    );
    await peer.start();
    stops.push(() => peer.stop());

    const first = await startFace();
    const options = { target: 'sip:jane@domain2.lab', from: 'sip:harry@domain1.lab', event: 'presence' };
    const sub = first.subscriber(options);
    const firstNotify = new Promise((r) => sub.once('notify', r));
    assert.equal((await sub.subscribe()).status, 200);
    await firstNotify;
    const stored = loadDialog(storeDialog(sub.dialog!.state))!;
    sub.terminate({ reason: 'deactivated' });
    await first.stop();

    const second = await startFace();
    stops.push(() => second.stop());
    stored.localSeq += 1000;
    const resumed = second.resumeSubscriber(options, stored, true);
    const bodies: string[] = [];
    resumed.on('notify', (n) => bodies.push(n.body.toString()));
    const refresh = await resumed.refresh(600);
    assert.equal(refresh?.status, 200, 'the notifier still knows the dialog');
    await notifierSub!.notify({ body: 'v2', contentType: 'text/plain' });
    assert.deepEqual(bodies, ['refreshed', 'v2']);
    assert.equal(resumed.state, 'active');
    resumed.terminate({ reason: 'deactivated' });
  });

  it('a served subscription resumed from stored state answers the watcher’s refresh', async () => {
    const face = await startFace(5061);
    const watcher = new SipUserAgent({
      node: 'jane',
      address: PEER,
      port: 5062,
      router: new StaticRouter({ 'domain1.lab': { address: IWF, port: 5061 } }),
    });
    await watcher.start();
    stops.push(() => watcher.stop());
    const sub = new Subscriber(watcher, {
      target: 'sip:harry@domain1.lab',
      from: 'sip:jane@domain2.lab',
      event: 'presence',
      expires: 600,
    });
    const bodies: string[] = [];
    sub.on('notify', (n) => bodies.push(n.body.toString()));
    assert.equal((await sub.subscribe()).status, 200);
    const servedSub = served.at(-1)!;
    const state = loadDialog(storeDialog(servedSub.dialog.state))!;
    await face.stop();

    const again = await startFace(5061);
    stops.push(() => again.stop());
    state.localSeq += 1000;
    const resumed = again.resumeNotifierSubscription(
      state,
      'presence',
      'sip:jane@domain2.lab',
      300,
      'active',
    );
    assert.ok(resumed);
    const r = await sub.refresh(600);
    assert.equal(r?.status, 200);
    await new Promise((res) => setTimeout(res, 100));
    assert.deepEqual(bodies, ['first', 'current']);
    sub.terminate({ reason: 'deactivated' });
    assert.equal(
      again.resumeNotifierSubscription(state, '', 'sip:jane@domain2.lab', 300, 'active'),
      undefined,
    );
  });

  it('MESSAGE goes to the core, which answers', async () => {
    const face = await startFace(5063);
    stops.push(() => face.stop());
    const sender = new SipUserAgent({ node: 'x', address: PEER, port: 5064 });
    await sender.start();
    stops.push(() => sender.stop());
    const r = await sender.request({
      method: 'MESSAGE',
      uri: 'sip:harry@domain1.lab',
      from: 'sip:jane@domain2.lab',
      body: 'hi',
      contentType: 'text/plain',
      target: { protocol: 'udp', address: IWF, port: 5063 },
    });
    assert.equal(r.status, 202);
    assert.equal(messages.at(-1)?.request.body.toString(), 'hi');
  });
});
