// The lab's own SIP stack against SIPp, on loopback, over UDP and TCP:
//  * SIPp as UAC → the stack as UAS: SUBSCRIBE/NOTIFY (core Notifier), PUBLISH (the RFC 3903
//    Event State Compositor helper behind a PUBLISH handler), MESSAGE, REGISTER with Digest
//    (DigestAuthenticator + processRegister behind a REGISTER handler);
//  * the stack as UAC → SIPp as UAS: Subscriber, Publisher, MESSAGE.
// Addresses 127.0.52.x (stack UAS .1, SIPp UAC .2, SIPp UAS .3, stack UAC .4).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SequentialIdSource } from '../../common/ids.ts';
import { DigestAuthenticator, MemoryHa1Store } from '../../domains/simple/sip/auth/index.ts';
import { Notifier, Publisher, SipUserAgent, Subscriber } from '../../domains/simple/sip/core/index.ts';
import { EventStateCompositor, handlePublishRequest } from '../../domains/simple/sip/publication/index.ts';
import {
  type BindingEvent,
  LocationService,
  processRegister,
} from '../../domains/simple/sip/registrar/index.ts';
import { SippHost } from './support/sipp-host.ts';
import { expectPass, receivedStartLines } from './support/sipp-log.ts';
import { nextNotify, nextTermination } from './support/waits.ts';

const STACK = '127.0.52.1';
const SIPP_UAC = '127.0.52.2';
const SIPP_UAS = '127.0.52.3';
const STACK_UAC = '127.0.52.4';
const TRANSPORTS = ['udp', 'tcp'] as const;

const pidf = (entity: string, note: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="${entity}"><tuple id="lab"><status><basic>open</basic></status><note>${note}</note></tuple></presence>`;

describe('SIPp as UAC → the stack as UAS', { timeout: 120_000 }, () => {
  let ua: SipUserAgent;
  let esc: EventStateCompositor;
  let store: LocationService;
  const bindingEvents: BindingEvent[] = [];
  const messages: string[] = [];
  const sippUac = new SippHost(SIPP_UAC, 5300, { remote: { address: STACK, port: 5060 } });

  before(async () => {
    ua = new SipUserAgent({ node: 'stack-uas', address: STACK, port: 5060, product: 'lab-stack' });
    await ua.start();
    esc = new EventStateCompositor({
      clock: ua.clock,
      ids: ua.ids,
      events: { presence: ['application/pidf+xml'] },
    });
    store = new LocationService({ clock: ua.clock });
    store.onBindingEvent((e) => bindingEvents.push(e));
    // SIPp 3.6 computes MD5 only: offer MD5 (SHA-256 is covered by the unit tests and the stack tests).
    const auth = new DigestAuthenticator({
      realm: STACK,
      store: new MemoryHa1Store().addUser('jane', STACK, 'secret'),
      clock: ua.clock,
      ids: ua.ids,
      algorithms: ['MD5'],
    });
    new Notifier(
      ua,
      { events: ['presence'], minExpires: 60 },
      {
        onSubscribe: (_sub, incoming) => ({
          state: 'active',
          body: pidf(String(incoming.request.headers.get('To')), 'stack notifier'),
          contentType: 'application/pidf+xml',
        }),
        currentContent: () => ({ body: pidf('sip:alice@lab', 'final'), contentType: 'application/pidf+xml' }),
      },
    );
    ua.on('PUBLISH', (incoming) => {
      const out = handlePublishRequest(incoming.request, esc, ua.clock.now());
      incoming.reply(out.status, out.reason, { headers: out.headers.map((h) => [h.name, h.value]) });
    });
    ua.on('MESSAGE', (incoming) => {
      messages.push(incoming.request.body.toString('utf8'));
      incoming.reply(200);
    });
    ua.on('REGISTER', (incoming) => {
      const checked = auth.authenticate(incoming.request, incoming.inbound.remote.address);
      if (!checked.ok) {
        incoming.reply(checked.status, checked.reason, {
          headers: checked.headers.map((h) => [h.name, h.value]),
        });
        return;
      }
      const { transport, remote } = { transport: incoming.inbound.protocol, remote: incoming.inbound.remote };
      const out = processRegister(incoming.request, store, ua.clock.now(), {
        source: { transport, address: remote.address, port: remote.port },
      });
      incoming.reply(out.status, out.reason, { headers: out.headers.map((h) => [h.name, h.value]) });
    });
  });

  after(async () => {
    esc?.close();
    store?.close();
    await ua?.stop();
  });

  const uac = (
    scenario: string,
    transport: 'udp' | 'tcp',
    keys: Record<string, string>,
    extra: string[] = [],
  ) => sippUac.call(scenario, transport, { service: 'alice', keys, extraArgs: extra, hardTimeoutMs: 20_000 });

  for (const transport of TRANSPORTS) {
    it(`SUBSCRIBE → 200, NOTIFY active, un-SUBSCRIBE → NOTIFY terminated (${transport})`, async () => {
      const r = await uac('uac-subscribe.xml', transport, {
        to_domain: STACK,
        from_user: 'bob',
        from_domain: STACK,
        event: 'presence',
      });
      expectPass(r, 'uac-subscribe');
      assert.match(r.messages(), /<note>stack notifier<\/note>/);
      assert.match(r.messages(), /Subscription-State: terminated;reason=timeout/);
    });

    it(`PUBLISH initial + refresh with SIP-If-Match against the compositor (${transport})`, async () => {
      const r = await uac('uac-publish.xml', transport, {
        to_domain: STACK,
        from_user: 'alice',
        from_domain: STACK,
      });
      expectPass(r, 'uac-publish');
      const live = esc.publications(`sip:alice@${STACK}`, 'presence');
      assert.ok(live.some((p) => p.body.toString().includes('sipp-lab note')));
      const etags = [...r.messages().matchAll(/^SIP-ETag: *(\S+)/gim)].map((m) => m[1]!);
      assert.equal(etags.length, 2);
      assert.ok(
        live.some((p) => p.etag === etags[1]),
        'the refreshed publication carries the last entity-tag',
      );
    });

    it(`MESSAGE → 200 (${transport})`, async () => {
      const before = messages.length;
      const r = await uac('uac-message.xml', transport, {
        to_domain: STACK,
        from_user: 'bob',
        from_domain: STACK,
      });
      expectPass(r, 'uac-message');
      assert.equal(messages.length, before + 1);
      assert.match(messages.at(-1)!, /^sipp-lab message 1/);
    });

    it(`REGISTER → 401 → REGISTER with MD5 Digest → 200 with the binding (${transport})`, async () => {
      const contact = `sip:jane@${SIPP_UAC}:7000;transport=${transport}`;
      const r = await uac(
        'uac-register-auth.xml',
        transport,
        { to_domain: STACK, from_user: 'jane', from_domain: STACK, contact, expires: '300' },
        ['-au', 'jane', '-ap', 'secret'],
      );
      expectPass(r, 'uac-register-auth');
      assert.match(
        r.messages(),
        /WWW-Authenticate: Digest realm="127\.0\.52\.1", nonce="[^"]+", algorithm=MD5, qop="auth"/,
      );
      assert.match(r.messages(), /Authorization: Digest username="jane"/);
      const bindings = store.lookup(`sip:jane@${STACK}`);
      assert.ok(bindings.some((b) => b.source?.address === SIPP_UAC && b.source.transport === transport));
      assert.equal(bindingEvents.at(-1)?.aor, `sip:jane@${STACK}`);
    });
  }

  it('REGISTER with a wrong password is refused (401 again, SIPp fails)', async () => {
    const r = await sippUac.call('uac-register-auth.xml', 'udp', {
      keys: {
        to_domain: STACK,
        from_user: 'jane',
        from_domain: STACK,
        contact: 'sip:x@127.0.52.2:7001',
        expires: '300',
      },
      extraArgs: ['-au', 'jane', '-ap', 'wrong'],
      hardTimeoutMs: 15_000,
      keepLogs: false,
    });
    assert.equal(r.exitCode, 1);
    // two 401s received: the challenge, then the refusal of the wrong answer (no stale=TRUE)
    const received401 = receivedStartLines(r).filter((l) => l.startsWith('SIP/2.0 401 '));
    assert.equal(received401.length, 2);
    assert.doesNotMatch(r.messages(), /stale=TRUE/);
  });
});

describe('the stack as UAC → SIPp as UAS', { timeout: 120_000 }, () => {
  let ua: SipUserAgent;
  const sippUas = new SippHost(SIPP_UAS, 5400);
  /** Harry (or another user) at the SIPp UAS started last. */
  const atSipp = (user: string) => `sip:${user}@${SIPP_UAS}:${sippUas.lastPort}`;
  /** SIPp notifying with `scenario`, and Jane's presence subscription to Harry there. */
  const subscribeAtSipp = async (scenario: string, transport: 'udp' | 'tcp', accept?: string[]) => {
    const sipp = await sippUas.serve(scenario, transport, { service: 'harry' });
    const sub = new Subscriber(ua, {
      target: atSipp('harry'),
      from: 'sip:jane@domain2.lab',
      event: 'presence',
      expires: 600,
      ...(accept ? { accept } : {}),
      protocol: transport,
    });
    return { sipp, sub };
  };

  before(async () => {
    ua = new SipUserAgent({
      node: 'stack-uac',
      address: STACK_UAC,
      port: 5060,
      ids: new SequentialIdSource('t'),
    });
    await ua.start();
  });
  after(async () => {
    await ua?.stop();
  });

  for (const transport of TRANSPORTS) {
    it(`Subscriber: 200, NOTIFY active with the PIDF, unsubscribe → terminated;reason=timeout (${transport})`, async () => {
      const { sipp, sub } = await subscribeAtSipp('uas-subscribe.xml', transport, ['application/pidf+xml']);
      const firstNotify = nextNotify(sub);
      const response = await sub.subscribe();
      assert.equal(response.status, 200);
      const info = await firstNotify;
      assert.equal(info.state.state, 'active');
      assert.match(info.body.toString(), /<note>sipp-lab notifier<\/note>/);
      const ended = nextTermination(sub);
      await sub.unsubscribe();
      const termination = await ended;
      assert.equal(termination.reason, 'timeout');
      expectPass(await sipp.done, 'uas-subscribe');
    });

    it(`Subscriber: the notifier ends it with reason=noresource (${transport})`, async () => {
      const { sipp, sub } = await subscribeAtSipp('uas-subscribe-terminate.xml', transport);
      const ended = nextTermination(sub);
      await sub.subscribe();
      const termination = await ended;
      assert.equal(termination.reason, 'noresource');
      expectPass(await sipp.done, 'uas-subscribe-terminate');
    });

    it(`Publisher: initial → SIP-ETag, refresh carries it in SIP-If-Match (${transport})`, async () => {
      // The stack's Publisher uses a new Call-ID per PUBLISH (RFC 3903 allows it): one SIPp call each.
      const sipp = await sippUas.serve('uas-publish-once.xml', transport, { calls: 2 });
      const publisher = new Publisher(ua, {
        target: atSipp('jane'),
        from: 'sip:jane@domain2.lab',
        event: 'presence',
        contentType: 'application/pidf+xml',
        expires: 600,
        protocol: transport,
        autoRefresh: false,
      });
      const first = await publisher.publish(pidf('sip:jane@domain2.lab', 'from the stack'));
      assert.equal(first.status, 200);
      assert.equal(publisher.etag, 'sippetag-1');
      const refreshed = await publisher.refresh();
      assert.equal(refreshed?.status, 200);
      assert.equal(publisher.etag, 'sippetag-2');
      const served = await sipp.done;
      expectPass(served, 'uas-publish-once');
      assert.match(served.messages(), /SIP-If-Match: sippetag-1/);
      assert.match(served.messages(), /<note>from the stack<\/note>/);
    });

    it(`MESSAGE → 200 (${transport})`, async () => {
      const sipp = await sippUas.serve('uas-message.xml', transport);
      const response = await ua.request({
        method: 'MESSAGE',
        uri: atSipp('harry'),
        from: 'sip:jane@domain2.lab',
        body: 'hello från the stack',
        contentType: 'text/plain;charset=UTF-8',
        protocol: transport,
      });
      assert.equal(response.status, 200);
      const served = await sipp.done;
      expectPass(served, 'uas-message');
      assert.match(served.messages(), /hello från the stack/);
    });
  }
});
