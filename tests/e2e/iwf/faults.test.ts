// Bad input and faults at the IWF (issue 5 point 8), on loopback: malformed or unmappable input
// from either side gets the other side's proper error and never a crash; a peer that is down
// gives a timely, clear error (SIP 503/408, CSP 503/504) and the IWF works again once it is back.
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { after, before, describe, it } from 'node:test';
import { IwfLab } from '../support/iwf-lab.ts';
import { until } from './peers.ts';

// Both peers are down when the suite starts; the IWF's deadlines are short so "in time" is quick.
const lab = new IwfLab('127.0.96', { peersUp: false, iwf: { sipTimeoutMs: 1500, sspTimeoutMs: 1500 } });
const { ps1, ps2, toIwf, iwfAddress: IWF } = lab;
const CLIENT = '127.0.96.4';
const HARRY = 'wv:harry@domain1.lab';
const client = lab.agent({ node: 'client', address: CLIENT });

before(() => lab.start());

after(() => lab.stop());

function message(uri: string, body: string, contentType = 'text/plain;charset=UTF-8') {
  return client.request({
    method: 'MESSAGE',
    uri,
    from: 'sip:jane@domain2.lab',
    body,
    contentType,
    target: toIwf,
  });
}

function subscribe(uri: string, headers: Array<[string, string]> = [['Event', 'presence']]) {
  return client.request({
    method: 'SUBSCRIBE',
    uri,
    from: 'sip:jane@domain2.lab',
    headers: [...headers, ['Expires', '600']],
    target: toIwf,
  });
}

describe('IWF faults: a peer that is down, then back', { concurrency: 1 }, () => {
  it('PS1 down: a MESSAGE for Harry gets 503 in time; once PS1 is up it is delivered', async () => {
    const t0 = Date.now();
    const down = await message('sip:harry@domain1.lab', 'are you there?');
    assert.equal(down.status, 503, down.reason);
    assert.ok(Date.now() - t0 < 4000, `answered in ${Date.now() - t0} ms`);
    await lab.startPs1();
    const up = await message('sip:harry@domain1.lab', 'now you are');
    assert.equal(up.status, 200, up.reason);
    assert.equal(ps1.messages.at(-1)?.content, 'now you are');
    assert.equal(ps1.messages.at(-1)?.message.sender, 'wv:jane@domain2.lab');
  });

  it('PS2 down: a SubscribeRequest gets a CSP 5xx in time; once PS2 is up it works', async () => {
    const t0 = Date.now();
    const down = await ps1.subscribe(HARRY);
    assert.equal(down.kind, 'Status');
    assert.ok(down.kind === 'Status' && [503, 504].includes(down.status.code), JSON.stringify(down));
    assert.ok(Date.now() - t0 < 4000, `answered in ${Date.now() - t0} ms`);
    await lab.startPs2();
    const up = await ps1.subscribe(HARRY);
    assert.ok(up.kind === 'Status' && up.status.code === 200, JSON.stringify(up));
    await until('Jane’s presence at PS1', () => ps1.notes().includes('before'));
  });

  it('PS2 refuses: a MESSAGE answered 480 becomes CSP 533 for the IMPS sender', async () => {
    ps2.messageStatus = 480;
    const r = await ps1.sendMessage(HARRY, 'offline?');
    ps2.messageStatus = 200;
    assert.ok(r.kind === 'SendMessageResponse' && r.status.code === 533, JSON.stringify(r));
  });
});

describe('IWF bad input from the SIMPLE side gets SIP errors', () => {
  it('a MESSAGE with a malformed CPIM body → 400', async () => {
    const r = await message('sip:harry@domain1.lab', 'not cpim at all', 'message/cpim');
    assert.equal(r.status, 400);
  });

  it('an empty MESSAGE → 400', async () => {
    const r = await message('sip:harry@domain1.lab', '');
    assert.equal(r.status, 400);
  });

  it('a MESSAGE for a domain the IWF has no SSP route to → 404', async () => {
    const r = await message('sip:bob@domain9.lab', 'hello');
    assert.equal(r.status, 404);
    assert.match(r.reason, /no route/);
  });

  it('a SUBSCRIBE to a URI with no user part → 404', async () => {
    const r = await subscribe('sip:domain1.lab');
    assert.equal(r.status, 404);
  });

  it('a SUBSCRIBE that accepts no PIDF → 406', async () => {
    const r = await subscribe('sip:harry@domain1.lab', [
      ['Event', 'presence'],
      ['Accept', 'text/plain'],
    ]);
    assert.equal(r.status, 406);
  });

  it('a SUBSCRIBE for another event package → 489', async () => {
    const r = await subscribe('sip:harry@domain1.lab', [['Event', 'dialog']]);
    assert.equal(r.status, 489);
  });

  it('garbage datagrams do not stop the IWF answering', async () => {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, CLIENT, resolve));
    for (const junk of ['\u0000\u0001\u0002', 'MESSAGE sip:x SIP/2.0\r\n\r\n', 'INVITE\r\n'.repeat(200)])
      await new Promise<void>((resolve) => socket.send(Buffer.from(junk), 5060, IWF, () => resolve()));
    socket.close();
    const r = await message('sip:harry@domain1.lab', 'still alive?');
    assert.equal(r.status, 200);
  });
});

describe('IWF bad input from the IMPS side gets CSP errors', () => {
  it('a SubscribeRequest for an address without a domain → 531', async () => {
    const r = await ps1.subscribe(HARRY, ['wv:jane']);
    assert.ok(r.kind === 'Status' && r.status.code === 531, JSON.stringify(r));
  });

  it('a SendMessageRequest with non-text content that is not BASE64 → 415', async () => {
    const r = await ps1.sendMessage(HARRY, 'PNG?', { message: { contentType: 'image/png' } });
    assert.ok(r.kind === 'SendMessageResponse' && r.status.code === 415, JSON.stringify(r));
  });

  it('undecodable SSP bodies are refused in HTTP and the IWF keeps serving', async () => {
    const res = await fetch(`http://${IWF}:8083/ssp`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.wv.ssp+xml' },
      body: '<WV-SSP-Message><broken',
    });
    assert.equal(res.status, 400);
    const r = await message('sip:harry@domain1.lab', 'after the junk');
    assert.equal(r.status, 200);
  });
});
