import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  emptyRulesDocument,
  ruleElementXml,
  ruleFor,
  ruleSelector,
} from '../../../domains/simple/client/pres-rules-editor.ts';
import { type Pidf, parsePidf } from '../../../domains/simple/payloads/pidf.ts';
import { applyPidfDiff, parsePidfDiff } from '../../../domains/simple/payloads/pidf-diff.ts';
import { Publisher, type SipUserAgent, Subscriber } from '../../../domains/simple/sip/core/index.ts';
import { assertSchemaValid } from '../../support/xmllint.ts';
import { type Lab, pidf, startLab, waitFor } from './lab.ts';

// Watchers that ask for less or for deltas: an RFC 4661 filter in the SUBSCRIBE body (what +
// trigger), and RFC 5263 partial notification (Accept: application/pidf-diff+xml). Plus the
// RFC 3856 §6.6.3 rate limit when it is switched on.

const FILTER = `<?xml version="1.0" encoding="UTF-8"?>
<filter-set xmlns="urn:ietf:params:xml:ns:simple-filter" package="presence">
<ns-bindings><ns-binding prefix="pidf" urn="urn:ietf:params:xml:ns:pidf"/></ns-bindings>
<filter id="f1">
<what><include>/pidf:presence/pidf:tuple/pidf:status</include></what>
<trigger><changed>/pidf:presence/pidf:tuple/pidf:status/pidf:basic</changed></trigger>
</filter>
</filter-set>`;

describe('PS2 filters, partial notification and rate limit', () => {
  let lab: Lab;
  let jane: SipUserAgent;
  let pub: Publisher;
  before(async () => {
    lab = await startLab('127.0.9.7');
    jane = (await lab.agent('jane', '127.0.9.70')).auth;
    pub = new Publisher(jane, {
      target: 'sip:jane@domain2.lab',
      from: 'sip:jane@domain2.lab',
      event: 'presence',
      contentType: 'application/pidf+xml',
    });
    assert.equal((await pub.publish(pidf('sip:jane@domain2.lab', 'open'))).status, 200);
    const x = lab.xcap('jane');
    await x.putDocument('pres-rules', 'application/auth-policy+xml', emptyRulesDocument());
    for (const w of ['bob', 'alice']) {
      const uri = `sip:${w}@domain2.lab`;
      await x.putElement('pres-rules', ruleSelector(uri), ruleElementXml(ruleFor(uri, 'approve')));
    }
  });
  after(() => lab.stop());

  it('applies a filter and notifies only when its trigger fires', async () => {
    const bob = (await lab.agent('bob', '127.0.9.71')).auth;
    const sub = new Subscriber(bob, {
      target: 'sip:jane@domain2.lab',
      from: 'sip:bob@domain2.lab',
      event: 'presence',
      body: FILTER,
      contentType: 'application/simple-filter+xml',
    });
    const got: string[] = [];
    sub.on('notify', (n) => got.push(n.body.toString()));
    assert.equal((await sub.subscribe()).status, 200);
    await waitFor(() => got.length >= 1);
    assert.match(got[0]!, /<basic>open<\/basic>/);
    assert.doesNotMatch(got[0]!, /meeting|contact/);
    assertSchemaValid(got[0]!, 'lab-presence.xsd');
    // A note change does not fire the trigger …
    await pub.publish(pidf('sip:jane@domain2.lab', 'open', '<dm:note>other</dm:note>'));
    // … a basic change does.
    await pub.publish(pidf('sip:jane@domain2.lab', 'closed'));
    await waitFor(() => got.length >= 2);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(got.length, 2);
    assert.match(got[1]!, /<basic>closed<\/basic>/);
    await sub.unsubscribe();
  });

  it('sends pidf-full then pidf-diff patches to a watcher that accepts them', async () => {
    const alice = (await lab.agent('alice', '127.0.9.72')).auth;
    const sub = new Subscriber(alice, {
      target: 'sip:jane@domain2.lab',
      from: 'sip:alice@domain2.lab',
      event: 'presence',
      accept: ['application/pidf+xml', 'application/pidf-diff+xml'],
    });
    const got: Array<{ type: string; body: string }> = [];
    sub.on('notify', (n) => got.push({ type: n.contentType ?? '', body: n.body.toString() }));
    assert.equal((await sub.subscribe()).status, 200);
    await waitFor(() => got.length >= 1);
    assert.equal(got[0]!.type, 'application/pidf-diff+xml');
    assert.match(got[0]!.body, /pidf-full/);
    assertSchemaValid(got[0]!.body, 'lab-pidf-diff.xsd');
    const full = parsePidfDiff(got[0]!.body);
    assert.ok(full.ok);
    let state: { doc: Pidf; version: number } | undefined;
    const first = applyPidfDiff(undefined, full.value);
    assert.ok(first.ok);
    state = first.value;

    await pub.publish(pidf('sip:jane@domain2.lab', 'open', '<dm:note>lunch</dm:note>'));
    await waitFor(() => got.length >= 2);
    assert.match(got[1]!.body, /<p:patch|:patch /);
    assertSchemaValid(got[1]!.body, 'lab-pidf-diff.xsd');
    const patch = parsePidfDiff(got[1]!.body);
    assert.ok(patch.ok);
    const applied = applyPidfDiff(state.doc, patch.value, state.version);
    assert.ok(applied.ok, applied.ok ? '' : applied.error.message);
    state = applied.value;
    // The patched document equals what a full-state watcher would see now.
    const now = parsePidf(pidf('sip:jane@domain2.lab', 'open', '<dm:note>lunch</dm:note>'));
    assert.ok(now.ok);
    assert.equal(state.doc.tuples[0]?.status.basic, 'open');
    assert.deepEqual(
      state.doc.persons[0]?.notes.map((n) => n.text),
      now.value.persons[0]?.notes.map((n) => n.text),
    );
    await sub.unsubscribe();
  });
});

describe('PS2 NOTIFY rate limit (RFC 3856 §6.6.3)', () => {
  let lab: Lab;
  before(async () => {
    lab = await startLab('127.0.9.8', { notifyMinIntervalMs: 1000 });
  });
  after(() => lab.stop());

  it('coalesces changes inside the interval into one NOTIFY with the latest state', async () => {
    const jane = (await lab.agent('jane', '127.0.9.80')).auth;
    const pub = new Publisher(jane, {
      target: 'sip:jane@domain2.lab',
      from: 'sip:jane@domain2.lab',
      event: 'presence',
      contentType: 'application/pidf+xml',
    });
    await pub.publish(pidf('sip:jane@domain2.lab', 'open'));
    const got: string[] = [];
    const at: number[] = [];
    const self = new Subscriber(jane, {
      target: 'sip:jane@domain2.lab',
      from: 'sip:jane@domain2.lab',
      event: 'presence',
    });
    self.on('notify', (n) => {
      got.push(n.body.toString());
      at.push(Date.now());
    });
    await self.subscribe();
    await waitFor(() => got.length >= 1);
    await pub.publish(pidf('sip:jane@domain2.lab', 'closed'));
    await pub.publish(pidf('sip:jane@domain2.lab', 'open', '<dm:note>third</dm:note>'));
    await waitFor(() => got.length >= 2, 3000);
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(got.length, 2);
    // Sent 1000 ms after the first; arrival jitter on a loaded machine is well under 500 ms.
    assert.ok(at[1]! - at[0]! >= 500, `the second NOTIFY waited for the interval (${at[1]! - at[0]!} ms)`);
    assert.match(got[1]!, /third/);
    await self.unsubscribe();
  });
});
