import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  emptyRulesDocument,
  ruleElementXml,
  ruleFor,
  ruleSelector,
} from '../../../domains/simple/client/pres-rules-editor.ts';
import { parseWatcherInfo } from '../../../domains/simple/payloads/watcherinfo.ts';
import { Publisher, Registration, Subscriber } from '../../../domains/simple/sip/core/index.ts';
import { assertSchemaValid } from '../../support/xmllint.ts';
import { type Lab, pidf, startLab, waitFor } from './lab.ts';

// Reactive authorization end to end: Jane registers with Digest and publishes; a watcher with no
// rule is pending and Jane's watcherinfo learns of it; Jane approves over XCAP and the watcher
// becomes active with full state; a block rule rejects; polite-block gives a neutral document;
// revocation terminates.

describe('PS2 authorization (pres-rules) end to end', () => {
  let lab: Lab;
  before(async () => {
    lab = await startLab('127.0.9.1');
  });
  after(() => lab.stop());

  it('registers with Digest, publishes, and serves pending → approved → active', async () => {
    const jane = await lab.agent('jane', '127.0.9.10');
    const reg = new Registration(jane.ua, {
      aor: 'sip:jane@domain2.lab',
      registrar: 'sip:domain2.lab',
      expires: 600,
      credentials: { username: 'jane', password: 'jane-pw' },
    });
    assert.equal((await reg.register()).kind, 'registered');
    assert.equal(lab.ps2.location.lookup('sip:jane@domain2.lab').length, 1);

    const pub = new Publisher(jane.auth, {
      target: 'sip:jane@domain2.lab',
      from: 'sip:jane@domain2.lab',
      event: 'presence',
      contentType: 'application/pidf+xml',
      expires: 600,
    });
    const published = await pub.publish(pidf('sip:jane@domain2.lab', 'open'));
    assert.equal(published.status, 200);

    // Jane watches her watchers.
    const winfoSub = new Subscriber(jane.auth, {
      target: 'sip:jane@domain2.lab',
      from: 'sip:jane@domain2.lab',
      event: 'presence.winfo',
      expires: 600,
    });
    const winfo: string[] = [];
    winfoSub.on('notify', (n) => winfo.push(n.body.toString()));
    assert.equal((await winfoSub.subscribe()).status, 200);
    await waitFor(() => winfo.length >= 1);
    const first = parseWatcherInfo(winfo[0]!);
    assert.ok(first.ok);
    assert.equal(first.value.state, 'full');
    assert.equal(first.value.watcherLists[0]?.watchers.length, 0);
    assertSchemaValid(winfo[0]!, 'watcherinfo.xsd');

    // Bob: no rule → pending; winfo partial says pending/subscribe.
    const bob = await lab.agent('bob', '127.0.9.11');
    const bobSub = new Subscriber(bob.auth, {
      target: 'sip:jane@domain2.lab',
      from: 'sip:bob@domain2.lab',
      event: 'presence',
      expires: 600,
    });
    const seen: Array<{ state: string; body: string }> = [];
    bobSub.on('notify', (n) => seen.push({ state: String(n.state.state), body: n.body.toString() }));
    assert.equal((await bobSub.subscribe()).status, 200);
    await waitFor(() => seen.length >= 1 && winfo.length >= 2);
    assert.equal(seen[0]!.state, 'pending');
    assert.equal(seen[0]!.body, '');
    const pending = parseWatcherInfo(winfo[1]!);
    assert.ok(pending.ok);
    assert.equal(pending.value.state, 'partial');
    assert.equal(pending.value.version, 1);
    const w = pending.value.watcherLists[0]!.watchers[0]!;
    assert.equal(w.uri, 'sip:bob@domain2.lab');
    assert.equal(w.status, 'pending');
    assert.equal(w.event, 'subscribe');

    // Jane approves over XCAP: document first, then the rule element.
    const xcap = lab.xcap('jane');
    assert.equal(
      (await xcap.putDocument('pres-rules', 'application/auth-policy+xml', emptyRulesDocument())).status,
      201,
    );
    const put = await xcap.putElement(
      'pres-rules',
      ruleSelector('sip:bob@domain2.lab'),
      ruleElementXml(ruleFor('sip:bob@domain2.lab', 'approve')),
    );
    assert.equal(put.status, 201, put.body);
    await waitFor(() => seen.length >= 2 && winfo.length >= 3);
    assert.equal(seen[1]!.state, 'active');
    assert.match(seen[1]!.body, /<basic>open<\/basic>/);
    assert.match(seen[1]!.body, /in a meeting/);
    assertSchemaValid(seen[1]!.body, 'lab-presence.xsd');
    const approved = parseWatcherInfo(winfo[2]!);
    assert.ok(approved.ok);
    assert.equal(approved.value.watcherLists[0]!.watchers[0]!.status, 'active');
    assert.equal(approved.value.watcherLists[0]!.watchers[0]!.event, 'approved');

    // A new publication reaches Bob.
    await pub.publish(pidf('sip:jane@domain2.lab', 'closed'));
    await waitFor(() => seen.length >= 3);
    assert.match(seen[2]!.body, /<basic>closed<\/basic>/);

    // Revocation: the rule is deleted → Bob is terminated (deactivated), winfo says so.
    const del = await xcap.deleteElement('pres-rules', ruleSelector('sip:bob@domain2.lab'));
    assert.equal(del.status, 200);
    const ended = new Promise<string>((resolve) => bobSub.on('terminated', (t) => resolve(String(t.reason))));
    assert.equal(await ended, 'deactivated');
    await waitFor(() => winfo.length >= 4);
    const revoked = parseWatcherInfo(winfo[3]!);
    assert.ok(revoked.ok);
    assert.equal(revoked.value.watcherLists[0]!.watchers[0]!.status, 'terminated');
    assert.equal(revoked.value.watcherLists[0]!.watchers[0]!.event, 'deactivated');
  });

  it('rejects a blocked watcher with 403 and gives a polite-blocked one a neutral document', async () => {
    const xcap = lab.xcap('jane');
    await xcap.putElement(
      'pres-rules',
      ruleSelector('sip:carol@domain2.lab'),
      ruleElementXml(ruleFor('sip:carol@domain2.lab', 'deny')),
    );
    await xcap.putElement(
      'pres-rules',
      ruleSelector('sip:dave@domain2.lab'),
      ruleElementXml(ruleFor('sip:dave@domain2.lab', 'polite-block')),
    );
    const carol = await lab.agent('carol', '127.0.9.12');
    const carolSub = new Subscriber(carol.auth, {
      target: 'sip:jane@domain2.lab',
      from: 'sip:carol@domain2.lab',
      event: 'presence',
    });
    assert.equal((await carolSub.subscribe()).status, 403);

    const dave = await lab.agent('dave', '127.0.9.13');
    const daveSub = new Subscriber(dave.auth, {
      target: 'sip:jane@domain2.lab',
      from: 'sip:dave@domain2.lab',
      event: 'presence',
    });
    const got: Array<{ state: string; body: string }> = [];
    daveSub.on('notify', (n) => got.push({ state: String(n.state.state), body: n.body.toString() }));
    assert.equal((await daveSub.subscribe()).status, 200);
    await waitFor(() => got.length >= 1);
    assert.equal(got[0]!.state, 'active');
    assert.match(got[0]!.body, /<basic>closed<\/basic>/);
    assert.doesNotMatch(got[0]!.body, /meeting/);
    await daveSub.unsubscribe();
  });
});
