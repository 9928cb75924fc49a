import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Registration, type SipUserAgent } from '../../../domains/simple/sip/core/index.ts';
import { type Lab, pidf, startLab } from './lab.ts';

// Bad input gets the right 4xx and PS2 keeps serving everyone else: malformed PIDF, a tuple
// without <basic>, empty and oversized bodies, the wrong Content-Type, an XML bomb, unknown
// event packages, a PUBLISH for someone else, a bad filter.

describe('PS2 answers bad input with the right 4xx', () => {
  let lab: Lab;
  let jane: SipUserAgent;
  before(async () => {
    lab = await startLab('127.0.9.6', { maxBodyBytes: 4096 });
    jane = (await lab.agent('jane', '127.0.9.60')).ua;
  });
  after(() => lab.stop());

  const publish = (
    body: string | Buffer,
    contentType = 'application/pidf+xml',
    extra: Array<[string, string]> = [],
  ) =>
    jane.request({
      method: 'PUBLISH',
      uri: 'sip:jane@domain2.lab',
      from: 'sip:jane@domain2.lab',
      headers: [['Event', 'presence'], ['Expires', '600'], ...extra],
      body,
      contentType,
    });

  it('refuses broken PUBLISH bodies', async () => {
    assert.equal((await publish('<presence xmlns="urn:ietf:params:xml:ns:pidf"')).status, 400);
    const noBasic =
      '<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:jane@domain2.lab"><tuple id="a"><status/></tuple></presence>';
    const r = await publish(noBasic);
    assert.equal(r.status, 400);
    assert.match(r.reason, /basic/);
    assert.equal((await publish(pidf('sip:jane@domain2.lab', 'open'), 'text/plain')).status, 415);
    assert.equal((await publish(Buffer.alloc(0))).status, 400);
    const big = pidf('sip:jane@domain2.lab', 'open', `<dm:note>${'x'.repeat(5000)}</dm:note>`);
    assert.equal((await publish(big)).status, 413);
    const bomb = `<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:jane@domain2.lab">&b;</presence>`;
    assert.equal((await publish(bomb)).status, 400);
    assert.equal((await publish(pidf('sip:bob@domain2.lab', 'open'))).status, 400);
    const unknown = await jane.request({
      method: 'PUBLISH',
      uri: 'sip:jane@domain2.lab',
      from: 'sip:jane@domain2.lab',
      headers: [['Event', 'dialog']],
      body: 'x',
      contentType: 'application/dialog-info+xml',
    });
    assert.equal(unknown.status, 489);
    // Publishing someone else's presence.
    const other = await jane.request({
      method: 'PUBLISH',
      uri: 'sip:bob@domain2.lab',
      from: 'sip:jane@domain2.lab',
      headers: [['Event', 'presence']],
      body: pidf('sip:bob@domain2.lab', 'open'),
      contentType: 'application/pidf+xml',
    });
    assert.equal(other.status, 403);
  });

  it('refuses bad SUBSCRIBEs', async () => {
    // The agent's request() answers the 407 round.
    const viaRequest = (
      event: string,
      headers: Array<[string, string]> = [],
      body?: string,
      contentType?: string,
    ) =>
      jane.request({
        method: 'SUBSCRIBE',
        uri: 'sip:jane@domain2.lab',
        from: 'sip:jane@domain2.lab',
        headers: [['Event', event], ...headers],
        ...(body !== undefined ? { body, contentType } : {}),
      });
    assert.equal((await viaRequest('no-such-package')).status, 489);
    assert.equal((await viaRequest('presence', [['Accept', 'text/html']])).status, 406);
    assert.equal(
      (await viaRequest('presence', [], '<filter-set', 'application/simple-filter+xml')).status,
      400,
    );
    assert.equal((await viaRequest('presence', [], 'hello', 'text/plain')).status, 415);
    const missing = await jane.request({
      method: 'SUBSCRIBE',
      uri: 'sip:nobody@domain2.lab',
      from: 'sip:jane@domain2.lab',
      headers: [['Event', 'presence']],
    });
    assert.equal(missing.status, 404);
  });

  it('refuses empty and oversized MESSAGE and SUBSCRIBE bodies', async () => {
    const message = (body: string) =>
      jane.request({
        method: 'MESSAGE',
        uri: 'sip:bob@domain2.lab',
        from: 'sip:jane@domain2.lab',
        body,
        contentType: 'text/plain',
      });
    assert.equal((await message('')).status, 400);
    assert.equal((await message('x'.repeat(5000))).status, 413);
    const big = await jane.request({
      method: 'SUBSCRIBE',
      uri: 'sip:jane@domain2.lab',
      from: 'sip:jane@domain2.lab',
      headers: [['Event', 'presence']],
      body: `<filter-set xmlns="urn:ietf:params:xml:ns:simple-filter">${' '.repeat(5000)}</filter-set>`,
      contentType: 'application/simple-filter+xml',
    });
    assert.equal(big.status, 413);
  });

  /** Jane's agent registering `aor` with her user name and `password`. */
  const registration = (aor: string, password: string) =>
    new Registration(jane, {
      aor,
      registrar: 'sip:domain2.lab',
      credentials: { username: 'jane', password },
    });

  it('keeps serving after all that', async () => {
    const reg = registration('sip:jane@domain2.lab', 'jane-pw');
    assert.equal((await reg.register()).kind, 'registered');
    assert.equal((await publish(pidf('sip:jane@domain2.lab', 'open'))).status, 200);
    const composed = lab.ps2.publications.composed('sip:jane@domain2.lab');
    assert.equal(composed?.tuples.find((t) => t.id === 't1')?.status.basic, 'open');
  });

  it('refuses a REGISTER for another user and a wrong password', async () => {
    const wrongPw = registration('sip:jane@domain2.lab', 'nope');
    const failed = await wrongPw.register();
    assert.equal(failed.kind, 'failed');
    const other = registration('sip:bob@domain2.lab', 'jane-pw');
    const r = await other.register();
    assert.equal(r.kind, 'failed');
    assert.equal('status' in r ? r.status : 0, 403);
  });
});
