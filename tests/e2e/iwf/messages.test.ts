// Instant messages through the IWF against stand-in peers: SendMessage → MESSAGE (CPIM with an
// IMDN request when a report is asked), a 200 reported at once (row X1), a 202 reported when the
// IMDN comes (DR1) and a second IMDN ignored; Jane's CPIM MESSAGE with an IMDN request → SSP
// SendMessageRequest, PS1's DeliveryStatusReport → an IMDN back to her with her Message-ID.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type CpimMessage,
  emptyCpim,
  parseCpim,
  serializeCpim,
} from '../../../domains/simple/payloads/cpim.ts';
import { addImdnRequest, buildImdnNotification, parseImdn } from '../../../domains/simple/payloads/imdn.ts';
import { headerValue } from '../../../domains/simple/payloads/mime.ts';
import { formatUri } from '../../../domains/simple/sip/message/uri-codec.ts';
import { IwfLab } from '../support/iwf-lab.ts';
import { until } from './peers.ts';

const lab = new IwfLab('127.0.95');
const { ps1, ps2, toIwf } = lab;
// Jane's side of the IWF: PS2 relays her MESSAGEs; here the stand-in PS2's agent sends them.
const relay = lab.agent({ node: 'ps2-relay', address: lab.ps2Address, port: 5062 });

before(() => lab.start());

after(() => lab.stop());

function harrySends(
  messageId: string,
  text: string,
  deliveryReport: boolean,
  recipients = ['wv:jane@domain2.lab'],
) {
  return ps1.sendMessage('wv:harry@domain1.lab', text, {
    deliveryReport,
    message: { messageId, recipients },
  });
}

/** Jane's MESSAGE to Harry, as PS2 relays it to the IWF. */
function janeSends(body: string | Buffer, contentType: string) {
  return relay.request({
    method: 'MESSAGE',
    uri: 'sip:harry@domain1.lab',
    from: 'sip:jane@domain2.lab',
    body,
    contentType,
    target: toIwf,
  });
}

function imdnIdOf(body: Buffer): string {
  const cpim = parseCpim(body);
  assert.ok(cpim.ok);
  const id = cpim.value.extensionHeaders.find((h) => h.name === 'Message-ID')?.value;
  assert.ok(id);
  return id;
}

describe('IM from IMPS to SIMPLE', { concurrency: 1 }, () => {
  it('a plain IM becomes text/plain;charset=UTF-8 and PS1 gets 200 with its MessageID', async () => {
    const r = await harrySends('m-plain', 'Grüße ✓', false);
    assert.ok(r.kind === 'SendMessageResponse', JSON.stringify(r));
    assert.equal(r.status.code, 200);
    assert.equal(r.messageId, 'm-plain');
    const m = ps2.messages.at(-1)!.request;
    assert.equal(m.contentType, 'text/plain;charset=UTF-8');
    assert.equal(m.body.toString('utf8'), 'Grüße ✓');
    assert.match(m.headers.get('From') ?? '', /sip:harry@domain1\.lab/);
  });

  it('with a report asked: CPIM + IMDN request; the 200 is reported at once (X1)', async () => {
    const r = await harrySends('m-200', 'report me', true);
    assert.ok(r.kind === 'SendMessageResponse' && r.status.code === 200);
    const m = ps2.messages.at(-1)!.request;
    assert.equal(m.contentType, 'message/cpim');
    assert.match(m.body.toString(), /Disposition-Notification: positive-delivery, negative-delivery/);
    const report = await until('the DeliveryStatusReport', () =>
      ps1.reports.find((x) => x.message.messageId === 'm-200'),
    );
    assert.equal(report.result.code, 200);
    assert.equal(report.meta.userId, 'wv:jane@domain2.lab');
    assert.equal(report.message.sender, 'wv:harry@domain1.lab');
  });

  it('stored by PS2 (202): the report waits for Jane’s IMDN; a second IMDN is ignored', async () => {
    ps2.messageStatus = 202;
    const r = await harrySends('m-202', 'while you were out', true);
    ps2.messageStatus = 200;
    assert.ok(r.kind === 'SendMessageResponse' && r.status.code === 200);
    await new Promise((res) => setTimeout(res, 200));
    assert.equal(ps1.reports.filter((x) => x.message.messageId === 'm-202').length, 0, 'not yet delivered');
    const imdnId = imdnIdOf(ps2.messages.at(-1)!.request.body);
    const notification = buildImdnNotification({
      from: { uri: 'sip:jane@domain2.lab' },
      to: { uri: 'sip:harry@domain1.lab' },
      dateTime: '2026-11-24T04:00:00Z',
      notificationMessageId: 'n1',
      imdn: {
        messageId: imdnId,
        datetime: '2026-11-24T03:59:00Z',
        notification: { kind: 'delivery', status: 'delivered' },
        extensions: [],
      },
    });
    for (let i = 0; i < 2; i++) {
      const ack = await janeSends(serializeCpim(notification), 'message/cpim');
      assert.equal(ack.status, 200);
    }
    const report = await until('the report at delivery', () =>
      ps1.reports.find((x) => x.message.messageId === 'm-202'),
    );
    assert.equal(report.result.code, 200);
    await new Promise((res) => setTimeout(res, 200));
    assert.equal(ps1.reports.filter((x) => x.message.messageId === 'm-202').length, 1);
  });

  it('two recipients, one unmappable: 201 with a DetailedResult for the bad one', async () => {
    const r = await harrySends('m-two', 'both of you', false, ['wv:jane@domain2.lab', 'wv:nodomain']);
    assert.ok(r.kind === 'SendMessageResponse', JSON.stringify(r));
    assert.equal(r.status.code, 201);
    assert.deepEqual(
      r.status.details?.map((d) => [d.code, d.userIds]),
      [[531, ['wv:nodomain']]],
    );
  });
});

describe('IM from SIMPLE to IMPS', () => {
  it('a CPIM MESSAGE with an IMDN request → SendMessageRequest; PS1’s report → IMDN to Jane', async () => {
    let cpim: CpimMessage = {
      ...emptyCpim(),
      from: { uri: 'sip:jane@domain2.lab' },
      to: [{ uri: 'sip:harry@domain1.lab' }],
      dateTime: '2026-11-24T04:01:00Z',
      contentHeaders: [['Content-Type', 'text/plain;charset=UTF-8']] as Array<[string, string]>,
      body: Buffer.from('Hello back'),
    };
    cpim = addImdnRequest(cpim, 'jane-msg-1', ['positive-delivery']);
    const r = await janeSends(serializeCpim(cpim), 'message/cpim');
    assert.equal(r.status, 200);
    const sent = ps1.messages.at(-1)!;
    assert.equal(sent.content, 'Hello back');
    assert.equal(sent.deliveryReport, true);
    assert.deepEqual(sent.message.recipients, ['wv:harry@domain1.lab']);
    const before = ps2.messages.length;
    const ack = await ps1.send('wv:harry@domain1.lab', {
      kind: 'DeliveryStatusReport',
      result: { code: 200 },
      deliveryTime: '20261124T040200Z',
      message: {
        messageId: sent.message.messageId!,
        recipients: ['wv:harry@domain1.lab'],
        sender: 'wv:jane@domain2.lab',
      },
    });
    assert.ok(ack.kind === 'Status' && ack.status.code === 200, JSON.stringify(ack));
    const imdnMessage = await until('the IMDN at PS2', () => ps2.messages[before]?.request);
    assert.equal(formatUri(imdnMessage.uri), 'sip:jane@domain2.lab');
    const parsed = parseCpim(imdnMessage.body);
    assert.ok(parsed.ok);
    assert.equal(parsed.value.dateTime, '2026-11-24T04:02:00.000Z', 'CSP basic DateTime as RFC 3339');
    assert.equal(headerValue(parsed.value.contentHeaders, 'Content-Type'), 'message/imdn+xml');
    const imdn = parseImdn(parsed.value.body);
    assert.ok(imdn.ok);
    assert.equal(imdn.value.messageId, 'jane-msg-1');
    assert.deepEqual(imdn.value.notification, { kind: 'delivery', status: 'delivered' });
  });

  it('PS1 answers 533 (Harry offline, not stored) → SIP 480', async () => {
    ps1.messageStatus = 533;
    const r = await janeSends('anyone?', 'text/plain');
    ps1.messageStatus = 200;
    assert.equal(r.status, 480);
  });
});
