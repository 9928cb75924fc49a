import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SequentialIdSource } from '../../../../../../common/ids.ts';
import { ManualClock } from '../../../../../../common/manual-clock.ts';
import { SipHeaders, SipResponse } from '../../../../../../domains/simple/sip/message/sip-message.ts';
import { EventStateCompositor } from '../../../../../../domains/simple/sip/publication/event-state-compositor.ts';
import {
  PublisherState,
  type PublishRequestParts,
  publishRefreshDelay,
} from '../../../../../../domains/simple/sip/publication/publisher-state.ts';

const PIDF = 'application/pidf+xml';

/** The EPA talking to this folder's ESC, responses built as a UAS would. */
function wire(esc: EventStateCompositor, clock: ManualClock) {
  return (parts: PublishRequestParts): SipResponse => {
    const out = esc.handlePublish(
      'sip:jane@domain2.lab',
      'presence',
      parts.ifMatch,
      parts.expires,
      parts.body,
      parts.contentType,
      clock.now(),
    );
    return new SipResponse(out.status, out.reason, new SipHeaders(out.headers.map((h) => ({ ...h }))));
  };
}

describe('PublisherState', () => {
  it('initial → refresh → modify → remove, always using the latest entity-tag', () => {
    const clock = new ManualClock();
    const esc = new EventStateCompositor({ clock, ids: new SequentialIdSource('t') });
    const send = wire(esc, clock);
    const epa = new PublisherState(600);
    const initial = epa.publish(Buffer.from('<a/>'), PIDF);
    assert.equal(initial.ifMatch, undefined);
    let a = epa.onResponse(send(initial), clock.now());
    assert.deepEqual(a, { kind: 'published', etag: 't1', expires: 600, refreshAt: 540_000 });
    clock.advance(540_000);
    const refresh = epa.refresh()!;
    assert.deepEqual(refresh, { ifMatch: 't1', expires: 600 });
    a = epa.onResponse(send(refresh), clock.now());
    assert.equal(a.kind === 'published' && a.etag, 't2');
    const modify = epa.publish(Buffer.from('<b/>'), PIDF);
    assert.equal(modify.ifMatch, 't2');
    assert.equal(modify.body?.toString(), '<b/>');
    epa.onResponse(send(modify), clock.now());
    assert.equal(epa.entityTag, 't3');
    const remove = epa.remove()!;
    assert.deepEqual(remove, { ifMatch: 't3', expires: 0 });
    assert.deepEqual(epa.onResponse(send(remove), clock.now()), { kind: 'removed' });
    assert.equal(epa.entityTag, undefined);
    assert.equal(esc.publications('sip:jane@domain2.lab', 'presence').length, 0);
  });

  it('on 412 republishes the full state without SIP-If-Match', () => {
    const clock = new ManualClock();
    const esc = new EventStateCompositor({ clock, ids: new SequentialIdSource('t') });
    const send = wire(esc, clock);
    const epa = new PublisherState(120);
    epa.onResponse(send(epa.publish(Buffer.from('<a/>'), PIDF)), clock.now());
    clock.advance(121_000); // the ESC let it lapse
    const refresh = epa.refresh()!;
    const res = send(refresh);
    assert.equal(res.status, 412);
    const a = epa.onResponse(res, clock.now());
    assert.equal(a.kind, 'retry');
    if (a.kind !== 'retry') return;
    assert.equal(a.because, 'conditional-request-failed');
    assert.equal(a.request.ifMatch, undefined);
    assert.equal(a.request.body?.toString(), '<a/>');
    const b = epa.onResponse(send(a.request), clock.now());
    assert.equal(b.kind, 'published');
    assert.equal(esc.publications('sip:jane@domain2.lab', 'presence').length, 1);
  });

  it('on 423 raises Expires to Min-Expires and retries the same operation', () => {
    const clock = new ManualClock();
    const esc = new EventStateCompositor({ clock, ids: new SequentialIdSource('t'), minExpires: 300 });
    const send = wire(esc, clock);
    const epa = new PublisherState(60);
    const a = epa.onResponse(send(epa.publish(Buffer.from('<a/>'), PIDF)), clock.now());
    assert.ok(a.kind === 'retry' && a.because === 'interval-too-brief' && a.request.expires === 300);
    if (a.kind !== 'retry') return;
    const b = epa.onResponse(send(a.request), clock.now());
    assert.ok(b.kind === 'published' && b.expires === 300 && b.refreshAt === 270_000);
  });

  it('fails on a 2xx without SIP-ETag, on other errors, and stops retrying 412 after the limit', () => {
    const epa = new PublisherState(600, 1);
    epa.publish(Buffer.from('<a/>'), PIDF);
    assert.deepEqual(epa.onResponse(new SipResponse(200, 'OK'), 0), {
      kind: 'failed',
      status: 200,
      reason: 'missing SIP-ETag',
    });
    assert.deepEqual(epa.onResponse(new SipResponse(403, 'Forbidden'), 0), {
      kind: 'failed',
      status: 403,
      reason: 'Forbidden',
    });
    const r412 = new SipResponse(412, 'Conditional Request Failed');
    assert.equal(epa.onResponse(r412, 0).kind, 'retry');
    assert.equal(epa.onResponse(r412, 0).kind, 'failed');
    assert.equal(epa.remove(), undefined);
    assert.equal(new PublisherState().refresh(), undefined);
  });

  it('refreshes at 90 % of Expires', () => {
    assert.equal(publishRefreshDelay(3600), 3240);
    assert.equal(publishRefreshDelay(60), 54);
  });
});
