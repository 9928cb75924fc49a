import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  MessageCorrelation,
  type MessageLink,
} from '../../../../../interworking/mapping/message/message-correlation.ts';

const link = (over: Partial<MessageLink> = {}): MessageLink => ({
  direction: 'imps→simple',
  deliveryReport: true,
  dispositions: [],
  sender: 'sip:harry@domain1.lab',
  recipient: 'sip:jane@domain2.lab',
  dateTime: '2026-11-24T04:00:00Z',
  expiresAt: 1_000,
  ...over,
});

describe('MessageID correlation', () => {
  it('finds one record by IMPS MessageID, Call-ID and imdn.Message-ID', () => {
    const c = new MessageCorrelation();
    const l = c.add(link({ impsMessageId: 'm-1', imdnMessageId: 'i-1' }));
    c.update(l, { callId: 'call-1@iwf' });
    assert.equal(c.byImpsMessageId('m-1'), l);
    assert.equal(c.byCallId('call-1@iwf'), l);
    assert.equal(c.byImdnMessageId('i-1'), l);
    assert.equal(c.byCallId('nope'), undefined);
  });

  it("a SIMPLE sender's message learns its IMPS MessageID when PS1 answers", () => {
    const c = new MessageCorrelation();
    const l = c.add(link({ direction: 'simple→imps', callId: 'c2', imdnMessageId: 'i2' }));
    assert.equal(c.byImpsMessageId('m-9'), undefined);
    c.update(l, { impsMessageId: 'm-9' });
    assert.equal(c.byImpsMessageId('m-9'), l);
  });

  it('remove and expiry drop every index; entries() rebuilds an equal map', () => {
    const c = new MessageCorrelation();
    const a = c.add(link({ impsMessageId: 'a', callId: 'ca', expiresAt: 100 }));
    c.add(link({ impsMessageId: 'b', callId: 'cb', expiresAt: 200 }));
    assert.deepEqual(c.expire(150), [a]);
    assert.equal(c.byImpsMessageId('a'), undefined);
    assert.equal(c.byCallId('ca'), undefined);
    assert.equal(c.size, 1);
    const copy = new MessageCorrelation(structuredClone([...c.entries()]));
    assert.equal(copy.byCallId('cb')?.impsMessageId, 'b');
    c.remove(c.byImpsMessageId('b')!);
    assert.equal(c.size, 0);
    assert.equal(c.byCallId('cb'), undefined);
  });
});
