// Reactive authorization (RFC 3857 watcherinfo + RFC 5025 pres-rules over XCAP) with the lab's
// stack as both SIMPLE users of Kamailio in Domain2 mode (lab/kamailio/kamailio-domain2.cfg):
// Jane publishes and watches her presence.winfo; Alice subscribes, is pending, Jane's rule
// written over XCAP makes her active, a `block` rule ends her subscription with reason=rejected.
// Addresses 127.0.54.x: Kamailio .1 (SIP :5060, XCAP :8054), Jane .10, Alice .20, XCAP client .9.
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { Publisher, type SipUserAgent, Subscriber } from '../../domains/simple/sip/core/index.ts';
import { KamailioFixture } from './support/kamailio-fixture.ts';
import { nextTermination, notifyMatching } from './support/waits.ts';

const KAM = '127.0.54.1';
const XCAP_PORT = 8054;
const JANE = 'sip:jane@domain2.lab';
const ALICE = 'sip:alice@domain2.lab';
const PIDF = 'application/pidf+xml';

const presRules = (action: 'allow' | 'block') => `<?xml version="1.0" encoding="UTF-8"?>
<cp:ruleset xmlns:cp="urn:ietf:params:xml:ns:common-policy" xmlns:pr="urn:ietf:params:xml:ns:pres-rules">
  <cp:rule id="r1">
    <cp:conditions><cp:identity><cp:one id="${ALICE}"/></cp:identity></cp:conditions>
    <cp:actions><pr:sub-handling>${action}</pr:sub-handling></cp:actions>
    <cp:transformations>
      <pr:provide-services><pr:all-services/></pr:provide-services>
      <pr:provide-persons><pr:all-persons/></pr:provide-persons>
      <pr:provide-devices><pr:all-devices/></pr:provide-devices>
      <pr:provide-all-attributes/>
    </cp:transformations>
  </cp:rule>
</cp:ruleset>`;

/** XCAP PUT of Jane's pres-rules document (RFC 4825 §7.1), from a loopback source address. */
function putPresRules(body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: KAM,
        port: XCAP_PORT,
        localAddress: '127.0.54.9',
        method: 'PUT',
        path: `/xcap-root/pres-rules/users/${JANE}/index`,
        headers: { 'Content-Type': 'application/auth-policy+xml', 'Content-Length': Buffer.byteLength(body) },
        timeout: 5000,
        // Kamailio's xhttp closes idle connections; a kept-alive socket reused after that close
        // fails with "socket hang up". One connection per XCAP request, as curl does.
        agent: false,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('timeout', () => req.destroy(new Error('XCAP PUT timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

describe('the stack with Kamailio Domain2: reactive authorization', { timeout: 120_000 }, () => {
  const lab = new KamailioFixture({
    mode: 'domain2',
    listenIp: KAM,
    substdefs: { XCAP_PORT: String(XCAP_PORT), IWF_IP: '127.0.54.99', IWF_PORT: '5060' },
  });
  let jane: SipUserAgent;
  let alice: SipUserAgent;
  let winfo: Subscriber;
  let watcher: Subscriber;

  before(async () => {
    await lab.start();
    jane = await lab.user('jane', '127.0.54.10', { routeDomains: ['domain2.lab'] });
    alice = await lab.user('alice', '127.0.54.20', { routeDomains: ['domain2.lab'] });
  });

  after(async () => {
    await winfo?.unsubscribe().catch(() => undefined);
    await lab.stop();
  });

  it('Jane publishes and watches her watchers; Alice is pending, then active after the XCAP allow rule, then rejected', async () => {
    const publisher = new Publisher(jane, {
      target: JANE,
      from: JANE,
      event: 'presence',
      contentType: PIDF,
      expires: 600,
      autoRefresh: false,
    });
    const note = 'Jane – reaktiv ✓';
    assert.equal(
      (
        await publisher.publish(
          `<?xml version="1.0" encoding="UTF-8"?>\n<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="${JANE}"><tuple id="j"><status><basic>open</basic></status><note>${note}</note></tuple></presence>`,
        )
      ).status,
      200,
    );

    winfo = new Subscriber(jane, { target: JANE, from: JANE, event: 'presence.winfo', expires: 600 });
    const winfoFirst = notifyMatching(winfo, () => true, 'first winfo NOTIFY');
    assert.equal((await winfo.subscribe()).status, 200);
    assert.equal((await winfoFirst).state.state, 'active');

    // Alice has no rule yet: 200 (not 202), NOTIFY pending without a body.
    const pendingListed = notifyMatching(
      winfo,
      (i) => /status="pending"[^>]*>\s*sip:alice@domain2\.lab/.test(i.body.toString('utf8')),
      'winfo NOTIFY with alice pending',
    );
    watcher = new Subscriber(alice, {
      target: JANE,
      from: ALICE,
      event: 'presence',
      expires: 600,
      accept: [PIDF],
    });
    const pending = notifyMatching(watcher, () => true, 'NOTIFY pending');
    assert.equal((await watcher.subscribe()).status, 200);
    const p = await pending;
    assert.equal(p.state.state, 'pending');
    assert.equal(p.body.length, 0);
    assert.equal(watcher.state, 'pending');
    await pendingListed;

    // Jane decides: allow. Kamailio re-evaluates and NOTIFYs Alice active with the PIDF.
    const activated = notifyMatching(watcher, (i) => i.state.state === 'active', 'NOTIFY active');
    const activeListed = notifyMatching(
      winfo,
      (i) => /status="active"[^>]*>\s*sip:alice@domain2\.lab/.test(i.body.toString('utf8')),
      'winfo NOTIFY with alice active',
    );
    assert.equal(await putPresRules(presRules('allow')), 200);
    const active = await activated;
    assert.match(active.body.toString('utf8'), new RegExp(`<note>${note}</note>`));
    assert.equal(watcher.state, 'active');
    await activeListed;

    // Jane changes her mind: block → terminated;reason=rejected (do not re-subscribe, RFC 6665 §4.1.3).
    const ended = nextTermination(watcher);
    assert.equal(await putPresRules(presRules('block')), 200);
    assert.equal((await ended).reason, 'rejected');
    assert.equal(
      lab.kamailio.sql(`SELECT count(*) FROM xcap WHERE username='jane' AND doc_type=2;`).trim(),
      '1',
    );
  });
});
