import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { traceChannels, type WireTraceEvent } from '../../../common/trace.ts';
import { SipUserAgent, StaticRouter, Subscriber } from '../../../domains/simple/sip/core/index.ts';
import { formatUri } from '../../../domains/simple/sip/message/uri-codec.ts';
import { PresenceStub } from '../support/presence-stub.ts';
import { type Lab, PASSWORDS, pidf, startLab, waitFor } from './lab.ts';

// PS2 on the path of the dialogs it proxies (RFC 3261 §16.6 step 4, §16.4): a local user's
// SUBSCRIBE to a domain1.lab user goes through PS2 to a fake next hop (standing in for the IWF)
// with PS2's Record-Route; the next hop's NOTIFYs and the user's un-SUBSCRIBE then cross PS2,
// which keeps its admission rules inside the dialog (trusted peer, Digest).

const PS2 = '127.0.9.2';
const NEXT_HOP = '127.0.9.20';
const JANE = '127.0.9.21';
const IMPOSTOR = '127.0.9.22';

interface Seen {
  node: string;
  from: string;
  startLine: string;
  message: string;
}

describe('PS2 record-routes the SUBSCRIBEs it proxies and relays their in-dialog requests', () => {
  let lab: Lab;
  // domain1.lab's next hop (the IWF's place): Harry's presence.
  const nextHop = new PresenceStub({ node: 'next-hop', address: NEXT_HOP, port: 0, protocols: ['udp'] }, () =>
    pidf('sip:harry@domain1.lab', 'open'),
  );
  let jane: SipUserAgent;
  let impostor: SipUserAgent;
  const seen: Seen[] = [];
  const onWire = (message: unknown) => {
    const e = message as WireTraceEvent;
    if (e.direction !== 'rx') return;
    const text = e.bytes.toString('utf8');
    seen.push({
      node: e.node,
      from: e.remote.address,
      startLine: text.split('\r\n')[0] ?? '',
      message: text,
    });
  };
  /** Requests `node` received from `from` whose start line begins with `method`. */
  const received = (node: string, from: string, method: string) =>
    seen.filter((s) => s.node === node && s.from === from && s.startLine.startsWith(`${method} `));

  before(async () => {
    traceChannels.sipRx.subscribe(onWire);
    await nextHop.start();
    lab = await startLab(PS2, {
      routes: { 'domain1.lab': { address: NEXT_HOP, port: nextHop.ua.local().port } },
      trustedPeers: { 'domain1.lab': NEXT_HOP },
    });
    const ps2Route = { address: PS2, port: lab.ps2.sip.port };
    jane = new SipUserAgent({
      node: 'jane-rr',
      address: JANE,
      port: 0,
      protocols: ['udp'],
      router: new StaticRouter({ 'domain2.lab': ps2Route, 'domain1.lab': ps2Route }),
      credentials: { username: 'jane', password: PASSWORDS.jane! },
    });
    await jane.start();
    impostor = new SipUserAgent({ node: 'impostor', address: IMPOSTOR, port: 0, protocols: ['udp'] });
    await impostor.start();
  });
  after(async () => {
    traceChannels.sipRx.unsubscribe(onWire);
    await impostor.stop();
    await jane.stop();
    await lab.stop();
    await nextHop.stop();
  });

  it('Record-Routes the SUBSCRIBE; NOTIFYs and the un-SUBSCRIBE traverse PS2', async () => {
    const sub = new Subscriber(jane, {
      target: 'sip:harry@domain1.lab',
      from: 'sip:jane@domain2.lab',
      event: 'presence',
      expires: 600,
    });
    const notes: Array<{ state: string; body: string }> = [];
    sub.on('notify', (n) => notes.push({ state: String(n.state.state), body: n.body.toString() }));
    const answer = await sub.subscribe();
    assert.equal(answer.status, 200);
    await waitFor(() => notes.length >= 1);

    // The next hop saw PS2's Record-Route (the URI proxyRouteUri gives for UDP) and came from PS2.
    const subscribeSeen = nextHop.subscribes.at(-1);
    assert.ok(subscribeSeen);
    assert.equal(subscribeSeen.inbound.remote.address, PS2);
    const ps2Uri = `sip:${PS2}:${lab.ps2.sip.port};lr`;
    assert.deepEqual(subscribeSeen.request.headers.getFields('Record-Route'), [`<${ps2Uri}>`]);
    // Jane's route set (from the relayed 2xx) is PS2 alone.
    assert.deepEqual(
      sub.dialog?.state.routeSet.map((r) => formatUri(r.uri)),
      [ps2Uri],
    );

    // The first NOTIFY went next hop → PS2 → Jane, with PS2's Route stripped on the way.
    assert.equal(received('ps2', NEXT_HOP, 'NOTIFY').length, 1);
    const toJane = received('jane-rr', PS2, 'NOTIFY');
    assert.equal(toJane.length, 1);
    assert.doesNotMatch(toJane[0]!.message, /^Route:/im);
    assert.equal(received('jane-rr', NEXT_HOP, 'NOTIFY').length, 0);

    // A change at the next hop: a second NOTIFY through PS2.
    const served = nextHop.subscriptions.at(-1);
    assert.ok(served);
    const relayed = await served.notify({
      body: pidf('sip:harry@domain1.lab', 'closed'),
      contentType: 'application/pidf+xml',
    });
    assert.equal(relayed?.status, 200);
    await waitFor(() => notes.length >= 2);
    assert.match(notes[1]!.body, /<basic>closed<\/basic>/);
    assert.equal(received('ps2', NEXT_HOP, 'NOTIFY').length, 2);
    assert.equal(received('jane-rr', PS2, 'NOTIFY').length, 2);

    // The un-SUBSCRIBE: Jane → PS2 (Digest, 407 answered once) → next hop; the final NOTIFY back.
    const ended = new Promise<string>((resolve) =>
      sub.on('terminated', ({ reason }) => resolve(String(reason))),
    );
    await sub.unsubscribe();
    await ended;
    const unsubscribes = received('ps2', JANE, 'SUBSCRIBE').filter((s) =>
      /^Expires:\s*0\s*$/im.test(s.message),
    );
    assert.ok(unsubscribes.length >= 1);
    assert.ok(unsubscribes.every((s) => /^Route:.*127\.0\.9\.2/im.test(s.message)));
    const atNextHop = received('next-hop', PS2, 'SUBSCRIBE').filter((s) =>
      /^Expires:\s*0\s*$/im.test(s.message),
    );
    assert.equal(atNextHop.length, 1);
    assert.match(atNextHop[0]!.message, /^Proxy-Authorization:/im);
    assert.equal(received('next-hop', JANE, 'SUBSCRIBE').length, 0);
    await waitFor(() => received('jane-rr', PS2, 'NOTIFY').length >= 3);
    assert.match(received('jane-rr', PS2, 'NOTIFY')[2]!.message, /^Subscription-State:\s*terminated/im);
    assert.equal(served.state, 'terminated');
  });

  /** A NOTIFY from the impostor that looks in-dialog (a made-up To tag, no dialog behind it). */
  const impostorNotify = (from: string, toTag: string, path: 'routed-by-ps2' | 'at-ps2') =>
    impostor.request({
      method: 'NOTIFY',
      uri:
        path === 'routed-by-ps2'
          ? `sip:jane@${JANE}:${jane.local().port}`
          : `sip:jane@${PS2}:${lab.ps2.sip.port}`,
      from,
      to: `sip:jane@domain2.lab;tag=${toTag}`,
      ...(path === 'at-ps2'
        ? { target: { protocol: 'udp' as const, address: PS2, port: lab.ps2.sip.port } }
        : {}),
      headers: [
        ...(path === 'routed-by-ps2'
          ? [['Route', `<sip:${PS2}:${lab.ps2.sip.port};lr>`] as [string, string]]
          : []),
        ['Event', 'presence'],
        ['Subscription-State', 'active;expires=600'],
      ],
    });

  it('keeps the trusted-peer rule in dialogs: a domain1.lab NOTIFY from anyone but the peer → 403', async () => {
    const response = await impostorNotify('sip:harry@domain1.lab', 'abc123', 'routed-by-ps2');
    assert.equal(response.status, 403);
    assert.match(response.reason, /trusted peer/);
    assert.equal(received('jane-rr', PS2, 'NOTIFY').filter((s) => /tag=abc123/.test(s.message)).length, 0);
  });

  it('refuses to relay in-dialog requests of a domain it neither serves nor trusts', async () => {
    const response = await impostorNotify('sip:mallory@elsewhere.lab', 'def456', 'routed-by-ps2');
    assert.equal(response.status, 403);
    assert.match(response.reason, /relaying denied/);
  });

  it('answers 481 to an in-dialog request that does not route through PS2', async () => {
    const response = await impostorNotify('sip:harry@domain1.lab', 'ghi789', 'at-ps2');
    assert.equal(response.status, 481);
  });

  it('still answers out-of-dialog OPTIONS (200 + Allow) and unknown methods (501)', async () => {
    const toPs2 = (method: string) =>
      impostor.request({
        method,
        uri: `sip:${PS2}:${lab.ps2.sip.port}`,
        from: 'sip:someone@elsewhere.lab',
        target: { protocol: 'udp', address: PS2, port: lab.ps2.sip.port },
      });
    const options = await toPs2('OPTIONS');
    assert.equal(options.status, 200);
    assert.match(options.headers.get('Allow') ?? '', /SUBSCRIBE/);
    const info = await toPs2('INFO');
    assert.equal(info.status, 405);
    const unknown = await toPs2('FROBNICATE');
    assert.equal(unknown.status, 501);
  });
});
