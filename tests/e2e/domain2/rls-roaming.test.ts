import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SimpleTerminal } from '../../../domains/simple/client/simple-terminal.ts';
import type { ControlEvent } from '../../../domains/simple/client/terminal-control.ts';
import { parseRlsNotifyBody } from '../../../domains/simple/payloads/multipart-related.ts';
import {
  forwardRequest,
  SipUserAgent,
  StaticRouter,
  Subscriber,
} from '../../../domains/simple/sip/core/index.ts';
import { assertSchemaValid } from '../../support/xmllint.ts';
import { PresenceStub } from '../support/presence-stub.ts';
import { type Lab, pidf, startLab, waitFor } from './lab.ts';

// Multi-node: PS2, a fake next hop for domain1.lab (standing in for the IWF: it answers presence
// SUBSCRIBEs for harry@domain1.lab), a fake visited-network proxy, and terminals. Covers the RLS
// fan-out to a local and a foreign member with RLMI notifications, the trusted-peer rule, and
// the PNA's roaming element.

const IWF = '127.0.9.40';
const VISITED = '127.0.9.41';

describe('PS2 RLS, trusted peer and PNA roaming', () => {
  let lab: Lab;
  // domain1.lab's next hop: answers presence SUBSCRIBEs for Harry, takes MESSAGEs.
  const iwf = new PresenceStub({ node: 'iwf', address: IWF, port: 0, protocols: ['udp'] }, () =>
    pidf('sip:harry@domain1.lab', 'open'),
  );
  let visited: SipUserAgent;
  let jane: SimpleTerminal;
  let bob: SimpleTerminal;
  const janeEvents: ControlEvent[] = [];

  before(async () => {
    await iwf.start();
    lab = await startLab('127.0.9.4', {
      routes: { 'domain1.lab': { address: IWF, port: iwf.ua.local().port } },
      trustedPeers: { 'domain1.lab': IWF },
      visitedNetworks: [{ address: VISITED, name: 'visited.lab', accessType: 'roaming' }],
    });
    // The visited network's proxy: forwards everything to PS2 (it adds its own Via).
    visited = new SipUserAgent({
      node: 'visited',
      address: VISITED,
      port: 0,
      protocols: ['udp'],
      router: new StaticRouter({ 'domain2.lab': { address: lab.ps2.sip.address, port: lab.ps2.sip.port } }),
    });
    await visited.start();
    for (const m of ['REGISTER', 'SUBSCRIBE', 'PUBLISH', 'MESSAGE']) {
      visited.on(m, async (req) => {
        await forwardRequest(visited, req);
      });
    }
    const viaVisited = { visited: { address: VISITED, port: visited.local().port } };
    jane = lab.terminal('jane', '127.0.9.42', viaVisited);
    bob = lab.terminal('bob', '127.0.9.43', viaVisited);
    jane.onEvent((e) => janeEvents.push(e));
  });
  /** A started user agent without credentials on `address` that routes domain2.lab to PS2. */
  const bareAgent = async (node: string, address: string) => {
    const ua = new SipUserAgent({
      node,
      address,
      port: 0,
      protocols: ['udp'],
      router: new StaticRouter({ 'domain2.lab': { address: lab.ps2.sip.address, port: lab.ps2.sip.port } }),
    });
    await ua.start();
    return ua;
  };

  after(async () => {
    await lab.stop();
    await visited.stop();
    await iwf.stop();
  });

  it('fans a buddy list out to a local and a domain1.lab member and sends RLMI notifications', async () => {
    await bob.login({});
    await bob.setPresence({ basic: 'open', note: 'Bob here' });
    await bob.authorize('sip:jane@domain2.lab', 'approve');
    await jane.login({});
    const xcap = jane.xcap;
    const lists = `<?xml version="1.0" encoding="UTF-8"?>
<resource-lists xmlns="urn:ietf:params:xml:ns:resource-lists">
<list name="buddies"><entry uri="sip:bob@domain2.lab"/><entry uri="sip:harry@domain1.lab"/></list>
</resource-lists>`;
    assert.equal(
      (await xcap.putDocument('resource-lists', 'application/resource-lists+xml', lists)).status,
      201,
    );
    const services = `<?xml version="1.0" encoding="UTF-8"?>
<rls-services xmlns="urn:ietf:params:xml:ns:rls-services">
<service uri="sip:jane-buddies@domain2.lab">
<resource-list>${lab.ps2.xcap.rootUri}/resource-lists/users/sip:jane@domain2.lab/index/~~/resource-lists/list%5b@name=%22buddies%22%5d</resource-list>
<packages><package>presence</package></packages>
</service>
</rls-services>`;
    assert.equal(
      (await xcap.putDocument('rls-services', 'application/rls-services+xml', services)).status,
      201,
    );

    // A raw subscriber first, to see the multipart body itself.
    const raw = await bareAgent('raw', '127.0.9.44');
    try {
      // Without Supported: eventlist → 421 (RFC 4662 §4.1).
      const noList = new Subscriber(raw, {
        target: 'sip:jane-buddies@domain2.lab',
        from: 'sip:x@example.lab',
        event: 'presence',
      });
      assert.equal((await noList.subscribe()).status, 421);
      // Someone else's list → 403.
      const other = new Subscriber(raw, {
        target: 'sip:jane-buddies@domain2.lab',
        from: 'sip:x@example.lab',
        event: 'presence',
        headers: [['Supported', 'eventlist']],
      });
      assert.equal((await other.subscribe()).status, 403);
    } finally {
      await raw.stop();
    }

    await jane.subscribe('sip:jane-buddies@domain2.lab', { list: true });
    await waitFor(() => {
      const list = jane.state().subscriptions.find((s) => s.kind === 'list');
      return (
        list?.members?.length === 2 &&
        list.members.every((m) => m.state === 'active' && m.presence?.basic === 'open')
      );
    }, 5000);
    const list = jane.state().subscriptions.find((s) => s.kind === 'list')!;
    assert.equal(list.members?.find((m) => m.target === 'sip:bob@domain2.lab')?.presence?.note, 'Bob here');
    // The foreign member was subscribed through the static route, to the next hop of domain1.lab.
    assert.equal(iwf.subscribes.length, 1);
    assert.match(iwf.subscribes[0]!.request.headers.get('From') ?? '', /jane@domain2\.lab/);
    const fromList = janeEvents.filter(
      (e) => e.type === 'presence' && e.list === 'sip:jane-buddies@domain2.lab',
    );
    assert.ok(fromList.some((e) => e.type === 'presence' && e.from === 'sip:harry@domain1.lab'));

    // A change of a member reaches the list subscriber.
    await bob.setPresence({ basic: 'closed', note: 'gone' });
    await waitFor(
      () =>
        jane
          .state()
          .subscriptions.find((s) => s.kind === 'list')
          ?.members?.find((m) => m.target === 'sip:bob@domain2.lab')?.presence?.basic === 'closed',
    );
    await jane.unsubscribe('sip:jane-buddies@domain2.lab');
  });

  it('emits RLMI that validates against rlmi.xsd', async () => {
    // Jane is still logged in; take the RLS content directly through a fresh subscription.
    const seen: Array<{ type: string; body: Buffer }> = [];
    const sub = new Subscriber(janeAgent(jane), {
      target: 'sip:jane-buddies@domain2.lab',
      from: 'sip:jane@domain2.lab',
      event: 'presence',
      headers: [['Supported', 'eventlist']],
      accept: ['application/rlmi+xml', 'multipart/related', 'application/pidf+xml'],
    });
    sub.on('notify', (n) => seen.push({ type: n.contentType ?? '', body: n.body }));
    assert.equal((await sub.subscribe()).status, 200);
    await waitFor(() => seen.length >= 1);
    const parsed = parseRlsNotifyBody(seen[0]!.type, seen[0]!.body);
    assert.ok(parsed.ok);
    assert.equal(parsed.value.rlmi.uri, 'sip:jane-buddies@domain2.lab');
    assert.equal(parsed.value.rlmi.fullState, true);
    const rlmiXml = seen[0]!.body.toString().match(/<\?xml[\s\S]*?<\/list>/)?.[0];
    assert.ok(rlmiXml);
    assertSchemaValid(rlmiXml, 'rlmi.xsd');
    await sub.unsubscribe();
  });

  it("proxies a local user's SUBSCRIBE and MESSAGE for domain1.lab to its next hop", async () => {
    const before = iwf.subscribes.length;
    await jane.subscribe('wv:harry@domain1.lab');
    await waitFor(
      () =>
        jane.state().subscriptions.find((s) => s.target === 'sip:harry@domain1.lab')?.presence?.basic ===
        'open',
    );
    assert.equal(iwf.subscribes.length, before + 1);
    const sent = await jane.sendMessage('sip:harry@domain1.lab', 'Hello Harry');
    assert.equal(sent.status, 'sent');
    assert.equal(iwf.texts().at(-1)?.includes('Hello Harry'), true);
    await jane.unsubscribe('sip:harry@domain1.lab');
  });

  it('refuses a domain1.lab identity from anywhere but the trusted peer', async () => {
    const rogue = await bareAgent('rogue', '127.0.9.45');
    try {
      const r = await rogue.request({
        method: 'MESSAGE',
        uri: 'sip:jane@domain2.lab',
        from: 'sip:harry@domain1.lab',
        body: 'spoofed',
        contentType: 'text/plain',
      });
      assert.equal(r.status, 403);
      // The same claim from the trusted peer's address is accepted.
      const harryViaIwf = (uri: string, body: string) =>
        iwf.ua.request({
          method: 'MESSAGE',
          uri,
          from: 'sip:harry@domain1.lab',
          body,
          contentType: 'text/plain',
          target: { protocol: 'udp', address: lab.ps2.sip.address, port: lab.ps2.sip.port },
        });
      const fromIwf = await harryViaIwf('sip:jane@domain2.lab', 'hi Jane');
      assert.equal(fromIwf.status, 200);
      await waitFor(() => janeEvents.some((e) => e.type === 'message' && e.text === 'hi Jane'));
      // A foreign sender may not relay to a third domain through PS2.
      const relay = await harryViaIwf('sip:someone@domain1.lab', 'loop');
      assert.equal(relay.status, 403);
    } finally {
      await rogue.stop();
    }
  });

  it('gives a user who registers through the visited network a roaming element', async () => {
    await jane.logout();
    await jane.login({ via: 'visited' });
    assert.deepEqual(lab.ps2.pna.info('sip:jane@domain2.lab'), {
      registered: true,
      accessType: 'roaming',
      visited: 'visited.lab',
    });
    // Jane watches herself (the owner sees the network-provided element too).
    const seen: string[] = [];
    const self = new Subscriber(janeAgent(jane), {
      target: 'sip:jane@domain2.lab',
      from: 'sip:jane@domain2.lab',
      event: 'presence',
      expires: 0,
    });
    self.on('notify', (n) => seen.push(n.body.toString()));
    await self.subscribe();
    await waitFor(() => seen.length >= 1);
    assert.match(seen[0]!, /<np:visited-network>visited\.lab<\/np:visited-network>/);
    assert.match(seen[0]!, /<np:access-type>roaming<\/np:access-type>/);
    assertSchemaValid(seen[0]!, 'lab-presence.xsd');
    // Bob (approved with network: true by default) sees it through the mapping as well.
    await jane.authorize('sip:bob@domain2.lab', 'approve');
    const bobSeen: ControlEvent[] = [];
    bob.onEvent((e) => bobSeen.push(e));
    await bob.subscribe('sip:jane@domain2.lab');
    await waitFor(() =>
      bobSeen.some((e) => e.type === 'presence' && e.presence.network?.visited === 'visited.lab'),
    );
    // De-registration turns the network-provided tuple closed.
    await jane.logout();
    await waitFor(() =>
      bobSeen.some((e) => e.type === 'presence' && e.presence.network?.registered === false),
    );
  });
});

/** The terminal's user agent (it answers challenges with the terminal's credentials). */
function janeAgent(t: SimpleTerminal): SipUserAgent {
  return t.ua;
}
