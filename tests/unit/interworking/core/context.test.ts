import assert from 'node:assert/strict';
import diagnostics_channel from 'node:diagnostics_channel';
import { describe, it } from 'node:test';
import { ManualClock } from '../../../../common/manual-clock.ts';
import { type MappingTraceEvent, traceChannels } from '../../../../common/trace.ts';
import { domainOf, isoNow, toRfc3339, traceMap } from '../../../../interworking/core/context.ts';
import { impsWatchId, sipWatchId } from '../../../../interworking/core/ids.ts';
import { sspToCspSendMessage } from '../../../../interworking/core/messages.ts';

describe('core helpers', () => {
  it('toRfc3339: the CSP basic form and extended forms become RFC 3339 (CPIM DateTime)', () => {
    assert.equal(toRfc3339('20261124T034949Z'), '2026-11-24T03:49:49.000Z');
    assert.equal(toRfc3339('20261124T034949+0200'), '2026-11-24T01:49:49.000Z');
    assert.equal(toRfc3339('2026-11-24T03:49:49Z'), '2026-11-24T03:49:49.000Z');
    assert.equal(toRfc3339('yesterday'), undefined);
    assert.equal(toRfc3339(undefined), undefined);
  });

  it('domainOf reads wv: and sip: addresses, lower-cased, without parameters', () => {
    assert.equal(domainOf('wv:harry@Domain1.lab'), 'domain1.lab');
    assert.equal(domainOf('sip:+358401@domain2.lab;user=phone'), 'domain2.lab');
    assert.equal(domainOf('wv:nodomain'), '');
  });

  it('traceMap publishes the rows behind an emitted message on lab:iwf:map, once each', () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 24));
    const seen: MappingTraceEvent[] = [];
    const listen = (m: unknown) => seen.push(m as MappingTraceEvent);
    diagnostics_channel.subscribe(traceChannels.iwfMap.name, listen);
    try {
      traceMap({ node: 'iwf', clock }, ['SS2', 'D1', 'SS2'], 'SIP NOTIFY', 'SSP PresenceNotification');
    } finally {
      diagnostics_channel.unsubscribe(traceChannels.iwfMap.name, listen);
    }
    assert.deepEqual(seen, [
      {
        node: 'iwf',
        time: clock.wallNow(),
        rows: ['SS2', 'D1'],
        from: 'SIP NOTIFY',
        to: 'SSP PresenceNotification',
      },
    ]);
    assert.equal(isoNow(clock), '2026-11-24T00:00:00.000Z');
  });

  it('typed ids: one per watcher/presentity pair, one per SIP dialog', () => {
    assert.notEqual(
      impsWatchId('wv:a@d1' as never, 'wv:b@d2' as never),
      impsWatchId('wv:b@d2' as never, 'wv:a@d1' as never),
    );
    assert.match(sipWatchId('call;tag'), /^sip:/);
  });

  it('sspToCspSendMessage: the SSP message as the CSP model the message mappers read', () => {
    const csp = sspToCspSendMessage({
      kind: 'SendMessageRequest',
      meta: { serviceId: 'wv:@domain1.lab', userId: 'wv:harry@domain1.lab' },
      deliveryReport: true,
      message: {
        messageId: 'm1',
        contentType: 'text/plain',
        recipients: ['wv:jane@domain2.lab'],
        sender: 'wv:harry@domain1.lab',
        dateTime: '2026-11-24T00:00:00Z',
      },
      content: 'Grüße',
    });
    assert.deepEqual(csp, {
      deliveryReport: true,
      messageInfo: {
        contentType: 'text/plain',
        contentSize: 7,
        recipient: { users: [{ userId: 'wv:jane@domain2.lab' }] },
        sender: { user: { userId: 'wv:harry@domain1.lab' } },
        messageId: 'm1',
        dateTime: '2026-11-24T00:00:00Z',
      },
      contentData: 'Grüße',
    });
  });
});
