// Proves the interop harness itself: the SIPp scenarios in tests/interop/sipp/scenarios/ run
// against a real Kamailio started by tests/support/kamailio.ts, on loopback, over UDP and TCP,
// in both configs (plain presence, and Domain2 with its static route to the IWF — played here by
// SIPp in UAS mode, so the UAS scenarios are checked too). Addresses: 127.0.50.x and 127.0.51.x,
// apart from the lab topology (127.0.1-4.x) so suites can run side by side.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type KamailioInstance, startKamailio } from '../support/kamailio.ts';
import { runSipp, type SippResult, startSipp } from '../support/sipp.ts';

function expectPass(r: SippResult, label: string): void {
  assert.equal(
    r.exitCode,
    0,
    `${label}: sipp exit ${r.exitCode}${r.killed ? ' (killed by hard timeout)' : ''}\n${r.command}\n${r.stderr.slice(-1500)}\n${r.messages().slice(-4000)}`,
  );
}

/** SIP messages SIPp logged as received, in order (first lines only). */
function receivedStartLines(r: SippResult): string[] {
  return [...r.messages().matchAll(/message received \[\d+\] bytes :\n\n([^\n]+)/g)].map((m) => m[1]!);
}

const TRANSPORTS = ['udp', 'tcp'] as const;

describe('harness: SIPp ↔ Kamailio, presence mode', { timeout: 120_000 }, () => {
  const KAM = '127.0.50.1';
  const UAC = '127.0.50.2';
  const UAS = '127.0.50.3';
  let kamailio: KamailioInstance;
  let port = 5100;

  before(async () => {
    kamailio = await startKamailio({ mode: 'presence', listenIp: KAM });
  });
  after(async () => {
    await kamailio?.stop();
  });

  it('answers OPTIONS, keeps its SQLite file in WAL mode and its run folder private', () => {
    assert.equal(kamailio.sql('PRAGMA journal_mode;').trim(), 'wal');
    assert.match(kamailio.configPath, /kamailio-presence-/);
    assert.ok(!kamailio.log().includes('ERROR: <core>'), kamailio.log().slice(-2000));
  });

  for (const transport of TRANSPORTS) {
    it(`PUBLISH initial → 200 + SIP-ETag, refresh with SIP-If-Match → 200 (${transport})`, async () => {
      const r = await runSipp({
        scenario: 'uac-publish.xml',
        local: { address: UAC, port: port++ },
        remote: { address: KAM, port: 5060 },
        transport,
        service: 'alice',
        keys: { to_domain: KAM, from_user: 'alice', from_domain: KAM },
        hardTimeoutMs: 20_000,
      });
      expectPass(r, 'uac-publish');
      const etags = [...r.messages().matchAll(/^SIP-ETag: *(\S+)/gim)].map((m) => m[1]);
      assert.equal(etags.length, 2);
      assert.notEqual(etags[0], etags[1], 'a new entity-tag per PUBLISH (RFC 3903 §4.1)');
      assert.match(r.messages(), new RegExp(`SIP-If-Match: ${etags[0]}`));
    });

    it(`SUBSCRIBE presence → 200, NOTIFY active with the PIDF, un-SUBSCRIBE → NOTIFY terminated (${transport})`, async () => {
      const r = await runSipp({
        scenario: 'uac-subscribe.xml',
        local: { address: UAC, port: port++ },
        remote: { address: KAM, port: 5060 },
        transport,
        service: 'alice',
        keys: { to_domain: KAM, from_user: 'bob', from_domain: KAM, event: 'presence' },
        hardTimeoutMs: 20_000,
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
      const r = await runSipp({
        scenario: 'uac-subscribe.xml',
        local: { address: UAC, port: port++ },
        remote: { address: KAM, port: 5060 },
        transport,
        service: 'alice',
        keys: { to_domain: KAM, from_user: 'alice', from_domain: KAM, event: 'presence.winfo' },
        hardTimeoutMs: 20_000,
      });
      expectPass(r, 'uac-subscribe winfo');
      assert.match(r.messages(), /Content-Type: application\/watcherinfo\+xml/);
    });

    it(`REGISTER a contact, MESSAGE to the AOR is relayed to it (${transport})`, async () => {
      const uasPort = port++;
      const uas = await startSipp({
        scenario: 'uas-message.xml',
        local: { address: UAS, port: uasPort },
        transport,
        hardTimeoutMs: 20_000,
      });
      const reg = await runSipp({
        scenario: 'uac-register.xml',
        local: { address: UAC, port: port++ },
        remote: { address: KAM, port: 5060 },
        transport,
        keys: {
          to_domain: KAM,
          from_user: 'carol',
          from_domain: KAM,
          contact: `sip:carol@${UAS}:${uasPort};transport=${transport}`,
          expires: '300',
        },
        hardTimeoutMs: 10_000,
      });
      expectPass(reg, 'uac-register');
      const msg = await runSipp({
        scenario: 'uac-message.xml',
        local: { address: UAC, port: port++ },
        remote: { address: KAM, port: 5060 },
        transport,
        service: 'carol',
        keys: { to_domain: KAM, from_user: 'dave', from_domain: KAM },
        hardTimeoutMs: 10_000,
      });
      expectPass(msg, 'uac-message');
      const served = await uas.done;
      expectPass(served, 'uas-message');
      assert.match(served.messages(), /sipp-lab message 1/);
    });
  }

  it('MESSAGE to an unregistered AOR gets 404 (the scenario fails, as it must)', async () => {
    const r = await runSipp({
      scenario: 'uac-message.xml',
      local: { address: UAC, port: port++ },
      remote: { address: KAM, port: 5060 },
      transport: 'udp',
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
  const UAC = '127.0.51.2';
  const IWF = '127.0.51.3';
  let kamailio: KamailioInstance;
  let port = 5200;

  before(async () => {
    kamailio = await startKamailio({
      mode: 'domain2',
      listenIp: KAM,
      substdefs: { IWF_IP: IWF, IWF_PORT: '5060', XCAP_PORT: '8051' },
    });
  });
  after(async () => {
    await kamailio?.stop();
  });

  it('exposes the ctl socket (kamcmd core.version)', () => {
    assert.match(kamailio.kamcmd('core.version'), /kamailio 5\./);
  });

  const viaIwf = (scenario: string, transport: 'udp' | 'tcp', extra: Record<string, string> = {}) =>
    runSipp({
      scenario,
      local: { address: UAC, port: port++ },
      remote: { address: KAM, port: 5060 },
      transport,
      service: 'harry',
      keys: { to_domain: 'domain1.lab', from_user: 'alice', from_domain: 'domain2.lab', ...extra },
      hardTimeoutMs: 20_000,
    });

  for (const transport of TRANSPORTS) {
    it(`SUBSCRIBE to domain1.lab is record-routed to the IWF; its NOTIFYs come back (${transport})`, async () => {
      const iwf = await startSipp({
        scenario: 'uas-subscribe.xml',
        local: { address: IWF, port: 5060 },
        transport,
        service: 'harry',
      });
      const watcher = await viaIwf('uac-subscribe.xml', transport, { event: 'presence' });
      const notifier = await iwf.done;
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
      const iwf = await startSipp({
        scenario: 'uas-publish.xml',
        local: { address: IWF, port: 5060 },
        transport,
      });
      const publisher = await viaIwf('uac-publish.xml', transport);
      const esc = await iwf.done;
      expectPass(publisher, 'uac-publish');
      expectPass(esc, 'uas-publish');
      assert.match(publisher.messages(), /SIP-If-Match: sippetag1x1/);
    });

    it(`MESSAGE to domain1.lab reaches the IWF and its 200 comes back (${transport})`, async () => {
      const iwf = await startSipp({
        scenario: 'uas-message.xml',
        local: { address: IWF, port: 5060 },
        transport,
      });
      const sender = await viaIwf('uac-message.xml', transport);
      const receiver = await iwf.done;
      expectPass(sender, 'uac-message');
      expectPass(receiver, 'uas-message');
      assert.match(receiver.messages(), /From: <sip:alice@domain2\.lab>/);
    });
  }

  it('refuses a domain1.lab From that does not come from the IWF address (403)', async () => {
    const r = await runSipp({
      scenario: 'uac-message.xml',
      local: { address: UAC, port: port++ },
      remote: { address: KAM, port: 5060 },
      transport: 'udp',
      service: 'kim',
      keys: { to_domain: 'domain2.lab', from_user: 'harry', from_domain: 'domain1.lab' },
      hardTimeoutMs: 10_000,
      keepLogs: false,
    });
    assert.equal(r.exitCode, 1);
    assert.match(r.messages(), /SIP\/2\.0 403 Forbidden - domain1\.lab only via IWF/);
  });
});
