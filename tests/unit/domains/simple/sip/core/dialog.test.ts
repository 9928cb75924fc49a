import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../../../../../common/manual-clock.ts';
import { Dialog, intern, NO_ROUTES } from '../../../../../../domains/simple/sip/core/dialog.ts';
import {
  SipHeaders,
  SipRequest,
  SipResponse,
} from '../../../../../../domains/simple/sip/message/sip-message.ts';
import { formatUri, parseUri } from '../../../../../../domains/simple/sip/message/uri-codec.ts';

// The compact dialog state (RFC 3261 §12: name-addrs and target as text, parsed when a request is
// built).

function subscribe(): SipRequest {
  const h = new SipHeaders();
  h.append('From', '"Harry" <sip:harry@domain1.lab>;tag=f1');
  h.append('To', '<sip:jane@domain2.lab>');
  h.append('Call-ID', 'call-1@127.0.3.1');
  h.append('CSeq', '7 SUBSCRIBE');
  h.append('Contact', '<sip:127.0.3.1:5060>');
  return new SipRequest('SUBSCRIBE', parseUri('sip:jane@domain2.lab'), h);
}

function ok(recordRoute?: string): SipResponse {
  const h = new SipHeaders();
  h.append('From', '"Harry" <sip:harry@domain1.lab>;tag=f1');
  h.append('To', '<sip:jane@domain2.lab>;tag=t9');
  h.append('Call-ID', 'call-1@127.0.3.1');
  h.append('CSeq', '7 SUBSCRIBE');
  h.append('Contact', '<sip:jane@127.0.2.10:5062;transport=tcp>');
  if (recordRoute) h.append('Record-Route', recordRoute);
  return new SipResponse(200, 'OK', h);
}

describe('Dialog (compact state)', () => {
  it('keeps the name-addrs without tag and the target as text, and builds requests from them', () => {
    const d = Dialog.asUac(subscribe(), ok(), '<sip:127.0.3.1:5060>');
    assert.equal(d.state.localUri, '"Harry" <sip:harry@domain1.lab>');
    assert.equal(d.state.remoteUri, '<sip:jane@domain2.lab>');
    assert.equal(d.state.remoteTarget, 'sip:jane@127.0.2.10:5062;transport=tcp');
    assert.equal(d.state.routeSet, NO_ROUTES, 'no Record-Route: the one shared empty route set');
    assert.equal(d.id, 'call-1@127.0.3.1\u0000f1\u0000t9');
    const r = d.createRequest('SUBSCRIBE');
    assert.equal(formatUri(r.uri), 'sip:jane@127.0.2.10:5062;transport=tcp');
    assert.equal(r.headers.get('From'), '"Harry" <sip:harry@domain1.lab>;tag=f1');
    assert.equal(r.headers.get('To'), '<sip:jane@domain2.lab>;tag=t9');
    assert.equal(r.headers.get('CSeq'), '8 SUBSCRIBE');
    assert.equal(r.headers.get('Route'), undefined);
  });

  it('a strict first hop takes the Request-URI and the target goes last in Route (§12.2.1.1)', () => {
    const d = Dialog.asUac(subscribe(), ok('<sip:127.0.4.1;lr>, <sip:127.0.2.1>'), '<sip:127.0.3.1:5060>');
    // Responses give the route set reversed: 127.0.2.1 (strict) first.
    const r = d.createRequest('SUBSCRIBE');
    assert.equal(formatUri(r.uri), 'sip:127.0.2.1');
    assert.deepEqual(r.headers.getFields('Route'), [
      '<sip:127.0.4.1;lr>',
      '<sip:jane@127.0.2.10:5062;transport=tcp>',
    ]);
  });

  it('a target refresh replaces the text only when the Contact changed', () => {
    const d = Dialog.asUac(subscribe(), ok(), '<sip:127.0.3.1:5060>');
    const before = d.state.remoteTarget;
    d.refreshTarget(ok());
    assert.equal(d.state.remoteTarget, before);
    const moved = ok();
    moved.headers.set('Contact', '<sip:jane@127.0.4.1:5064>');
    d.refreshTarget(moved);
    assert.equal(d.state.remoteTarget, 'sip:jane@127.0.4.1:5064');
    assert.equal(formatUri(d.createRequest('NOTIFY').uri), 'sip:jane@127.0.4.1:5064');
  });

  it('intern keeps the text of a slice of a whole message, and of an integer-like text', () => {
    // (That the copy is flat and shared is V8's business; what the dialog relies on is the text.)
    const message = `Contact: <sip:127.0.3.1:5060>\r\n${'x'.repeat(2000)}`;
    assert.equal(intern(message.slice(9, 29)), '<sip:127.0.3.1:5060>');
    assert.equal(intern('12345'), '12345');
    assert.equal(intern(''), '');
  });
});
