// Proves the interop harness itself: the SIPp scenarios in tests/interop/sipp/scenarios/ run
// against a real Kamailio started by tests/support/kamailio.ts, on loopback, over UDP and TCP,
// in both configs (plain presence, and Domain2 with its static route to the IWF — played here by
// SIPp in UAS mode, so the UAS scenarios are checked too). Addresses: 127.0.50.x and 127.0.51.x,
// apart from the lab topology (127.0.1-4.x) so suites can run side by side.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KamailioFixture } from './support/kamailio-fixture.ts';
import { SippHost } from './support/sipp-host.ts';
import { expectPass, receivedStartLines } from './support/sipp-log.ts';

const TRANSPORTS = ['udp', 'tcp'] as const;

describe('harness: SIPp ↔ Kamailio, presence mode', { timeout: 120_000 }, () => {
  const KAM = '127.0.50.1';
  const lab = new KamailioFixture({ mode: 'presence', listenIp: KAM });
  const uac = new SippHost('127.0.50.2', 5100, {
    remote: { address: KAM, port: 5060 },
    hardTimeoutMs: 20_000,
  });
  const uas = new SippHost('127.0.50.3', 5150, { hardTimeoutMs: 20_000 });

  before(() => lab.start());
  after(() => lab.stop());

  it('answers OPTIONS, keeps its SQLite file in WAL mode and its run folder private', () => {
    const { kamailio } = lab;
    assert.equal(kamailio.sql('PRAGMA journal_mode;').trim(), 'wal');
    assert.match(kamailio.configPath, /kamailio-presence-/);
    assert.ok(!kamailio.log().includes('ERROR: <core>'), kamailio.log().slice(-2000));
  });

  for (const transport of TRANSPORTS) {
    it(`PUBLISH initial → 200 + SIP-ETag, refresh with SIP-If-Match → 200 (${transport})`, async () => {
      const r = await uac.call('uac-publish.xml', transport, {
        service: 'alice',
        keys: { to_domain: KAM, from_user: 'alice', from_domain: KAM },
      });
      expectPass(r, 'uac-publish');
      const etags = [...r.messages().matchAll(/^SIP-ETag: *(\S+)/gim)].map((m) => m[1]);
      assert.equal(etags.length, 2);
      assert.notEqual(etags[0], etags[1], 'a new entity-tag per PUBLISH (RFC 3903 §4.1)');
      assert.match(r.messages(), new RegExp(`SIP-If-Match: ${etags[0]}`));
    });

    it(`SUBSCRIBE presence → 200, NOTIFY active with the PIDF, un-SUBSCRIBE → NOTIFY terminated (${transport})`, async () => {
      const r = await uac.call('uac-subscribe.xml', transport, {
        service: 'alice',
        keys: { to_domain: KAM, from_user: 'bob', from_domain: KAM, event: 'presence' },
      });
      expectPass(r, 'uac-subscribe');
      assert.deepEqual(
        receivedStartLines(r).map((l) => (l.split(' ')[0] === 'SIP/2.0' ? l.split(' ')[1] : l.split(' ')[0])),
        ['200', 'NOTIFY', '200', 'NOTIFY'],
      );
      assert.match(
        r.messages(),
        /<note>sipp-lab note<\/note>/,
        'the PIDF published above reaches the watcher',
      );
      assert.match(r.messages(), /Subscription-State: terminated;reason=timeout/);
    });

    it(`SUBSCRIBE presence.winfo as the owner → NOTIFY with watcherinfo (${transport})`, async () => {
      const r = await uac.call('uac-subscribe.xml', transport, {
        service: 'alice',
        keys: { to_domain: KAM, from_user: 'alice', from_domain: KAM, event: 'presence.winfo' },
      });
      expectPass(r, 'uac-subscribe winfo');
      assert.match(r.messages(), /Content-Type: application\/watcherinfo\+xml/);
    });

    it(`REGISTER a contact, MESSAGE to the AOR is relayed to it (${transport})`, async () => {
      const uasPort = uas.takePort();
      const served = await uas.serve('uas-message.xml', transport, {}, uasPort);
      const reg = await uac.call('uac-register.xml', transport, {
        keys: {
          to_domain: KAM,
          from_user: 'carol',
          from_domain: KAM,
          contact: `sip:carol@${uas.address}:${uasPort};transport=${transport}`,
          expires: '300',
        },
        hardTimeoutMs: 10_000,
      });
      expectPass(reg, 'uac-register');
      const msg = await uac.call('uac-message.xml', transport, {
        service: 'carol',
        keys: { to_domain: KAM, from_user: 'dave', from_domain: KAM },
        hardTimeoutMs: 10_000,
      });
      expectPass(msg, 'uac-message');
      const delivered = await served.done;
      expectPass(delivered, 'uas-message');
      assert.match(delivered.messages(), /sipp-lab message 1/);
    });
  }

  it('MESSAGE to an unregistered AOR gets 404 (the scenario fails, as it must)', async () => {
    const r = await uac.call('uac-message.xml', 'udp', {
      service: 'nobody',
      keys: { to_domain: KAM, from_user: 'dave', from_domain: KAM },
      hardTimeoutMs: 10_000,
      keepLogs: false,
    });
    assert.equal(r.exitCode, 1);
    assert.match(r.messages(), /SIP\/2\.0 404 Not Found/);
  });
});

describe('harness: SIPp ↔ Kamailio, Domain2 mode with SIPp as the IWF', { timeout: 120_000 }, () => {
  const KAM = '127.0.51.1';
  const IWF = '127.0.51.3';
  const lab = new KamailioFixture({
    mode: 'domain2',
    listenIp: KAM,
    substdefs: { IWF_IP: IWF, IWF_PORT: '5060', XCAP_PORT: '8051' },
  });
  const uac = new SippHost('127.0.51.2', 5200, {
    remote: { address: KAM, port: 5060 },
    hardTimeoutMs: 20_000,
  });
  // Kamailio's static route names the IWF's port: every IWF run binds 5060.
  const iwf = new SippHost(IWF, 5060);

  before(() => lab.start());
  after(() => lab.stop());

  it('exposes the ctl socket (kamcmd core.version)', () => {
    assert.match(lab.kamailio.kamcmd('core.version'), /kamailio 5\./);
  });

  const viaIwf = (scenario: string, transport: 'udp' | 'tcp', extra: Record<string, string> = {}) =>
    uac.call(scenario, transport, {
      service: 'harry',
      keys: { to_domain: 'domain1.lab', from_user: 'alice', from_domain: 'domain2.lab', ...extra },
    });
  const iwfServes = (scenario: string, transport: 'udp' | 'tcp', service?: string) =>
    iwf.serve(scenario, transport, service ? { service } : {}, 5060);

  for (const transport of TRANSPORTS) {
    it(`SUBSCRIBE to domain1.lab is record-routed to the IWF; its NOTIFYs come back (${transport})`, async () => {
      const served = await iwfServes('uas-subscribe.xml', transport, 'harry');
      const watcher = await viaIwf('uac-subscribe.xml', transport, { event: 'presence' });
      const notifier = await served.done;
      expectPass(watcher, 'uac-subscribe');
      expectPass(notifier, 'uas-subscribe');
      // over TCP Kamailio writes `;transport=tcp` before `;lr` in its Record-Route
      assert.match(notifier.messages(), /\nRecord-Route: <sip:127\.0\.51\.1;[^>]*lr=on/);
      assert.match(
        notifier.messages(),
        /\nRoute: <sip:127\.0\.51\.1;[^>]*lr=on/,
        'the IWF NOTIFY follows the route set',
      );
      assert.match(watcher.messages(), /<note>sipp-lab notifier<\/note>/);
    });

    it(`PUBLISH to domain1.lab reaches the IWF; refresh carries its entity-tag (${transport})`, async () => {
      const served = await iwfServes('uas-publish.xml', transport);
      const publisher = await viaIwf('uac-publish.xml', transport);
      const esc = await served.done;
      expectPass(publisher, 'uac-publish');
      expectPass(esc, 'uas-publish');
      assert.match(publisher.messages(), /SIP-If-Match: sippetag1x1/);
    });

    it(`MESSAGE to domain1.lab reaches the IWF and its 200 comes back (${transport})`, async () => {
      const served = await iwfServes('uas-message.xml', transport);
      const sender = await viaIwf('uac-message.xml', transport);
      const receiver = await served.done;
      expectPass(sender, 'uac-message');
      expectPass(receiver, 'uas-message');
      assert.match(receiver.messages(), /From: <sip:alice@domain2\.lab>/);
    });
  }

  it('refuses a domain1.lab From that does not come from the IWF address (403)', async () => {
    const r = await uac.call('uac-message.xml', 'udp', {
      service: 'kim',
      keys: { to_domain: 'domain2.lab', from_user: 'harry', from_domain: 'domain1.lab' },
      hardTimeoutMs: 10_000,
      keepLogs: false,
    });
    assert.equal(r.exitCode, 1);
    assert.match(r.messages(), /SIP\/2\.0 403 Forbidden - domain1\.lab only via IWF/);
  });
});
