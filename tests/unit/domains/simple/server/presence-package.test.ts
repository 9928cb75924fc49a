import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyRulesDocument, ruleFor } from '../../../../../domains/simple/client/pres-rules-editor.ts';
import { type Pidf, parsePidf } from '../../../../../domains/simple/payloads/pidf.ts';
import { type PresRuleset, parsePresRules } from '../../../../../domains/simple/payloads/pres-rules.ts';
import { parseWatcherInfo } from '../../../../../domains/simple/payloads/watcherinfo.ts';
import {
  PresencePackage,
  type WatcherChange,
} from '../../../../../domains/simple/server/presence-package.ts';
import { WatcherInfoPackage } from '../../../../../domains/simple/server/winfo-package.ts';
import type {
  IncomingRequest,
  NotifierSubscription,
  NotifyContent,
} from '../../../../../domains/simple/sip/core/index.ts';

// The authorization table of docs/ps2.md, without sockets: fake subscriptions record what the
// package asks of them (NOTIFY content, termination reason).

const JANE = 'sip:jane@domain2.lab';
const DOC = `<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="${JANE}"><tuple id="ua"><status><basic>open</basic></status><note>hi</note></tuple></presence>`;

interface FakeSub {
  id: string;
  state: 'pending' | 'active' | 'terminated';
  expires: number;
  remaining: number;
  data: Record<string, unknown>;
  notified: Array<NotifyContent & { state?: string }>;
  ended?: string;
  notify(c: NotifyContent & { state?: 'active' | 'pending' | 'terminated' }): Promise<undefined>;
  terminate(reason: string): Promise<void>;
}

function fakeSub(id: string, watcher: string, resource = JANE): FakeSub {
  const sub: FakeSub = {
    id,
    state: 'pending',
    expires: 600,
    remaining: 600,
    data: { resource, watcher, package: 'presence', accept: [] },
    notified: [],
    notify(c) {
      if (c.state) sub.state = c.state;
      sub.notified.push(c);
      return Promise.resolve(undefined);
    },
    terminate(reason) {
      sub.state = 'terminated';
      sub.ended = reason;
      return Promise.resolve();
    },
  };
  return sub;
}

const request = { request: { body: Buffer.alloc(0), contentType: undefined } } as unknown as IncomingRequest;

function setup() {
  let rules: PresRuleset | undefined;
  const changes: WatcherChange[] = [];
  const doc = parsePidf(DOC);
  assert.ok(doc.ok);
  const composed: Pidf = doc.value;
  const pkg = new PresencePackage({
    composed: () => composed,
    rules: () => rules,
    watcherChanged: (c) => changes.push(c),
    isLocalUser: (r) => r === JANE,
    now: () => Date.now(),
  });
  const subs: FakeSub[] = [];
  pkg.subscriptionsOf = () =>
    subs.filter((s) => s.state !== 'terminated') as unknown as NotifierSubscription[];
  pkg.notify = (s) => (s as unknown as FakeSub).notify(pkg.changeContent(s) ?? {});
  const subscribe = (watcher: string) => {
    const sub = fakeSub(`d${subs.length}`, watcher);
    const decision = pkg.authorize({
      subscription: sub as unknown as NotifierSubscription,
      request,
      resource: JANE,
      watcher,
    });
    if (!('reject' in decision)) {
      sub.state = decision.state === 'pending' ? 'pending' : 'active';
      subs.push(sub);
    }
    return { sub, decision };
  };
  const setRules = (...rs: ReturnType<typeof ruleFor>[]) => {
    const empty = parsePresRules(emptyRulesDocument());
    assert.ok(empty.ok);
    rules = { rules: rs };
    pkg.rulesChanged(JANE);
  };
  return { pkg, subscribe, setRules, changes };
}

describe('presence package: pres-rules → subscription state', () => {
  it('no rule → pending without a body, then approve → active with full state (winfo approved)', () => {
    const { subscribe, setRules, changes } = setup();
    const { sub, decision } = subscribe('sip:bob@domain2.lab');
    assert.ok(!('reject' in decision));
    assert.equal(decision.state, 'pending');
    assert.equal(decision.body, undefined);
    assert.deepEqual(
      changes.map((c) => [c.status, c.event]),
      [['pending', 'subscribe']],
    );
    setRules(ruleFor('sip:bob@domain2.lab', 'approve'));
    assert.equal(sub.state, 'active');
    assert.match(String(sub.notified.at(-1)?.body), /<basic>open<\/basic>/);
    assert.deepEqual(changes.at(-1) && [changes.at(-1)!.status, changes.at(-1)!.event], [
      'active',
      'approved',
    ]);
  });

  it('block → 403; polite-block → active neutral; the owner sees everything', () => {
    const { subscribe, setRules } = setup();
    setRules(ruleFor('sip:carol@domain2.lab', 'deny'), ruleFor('sip:dave@domain2.lab', 'polite-block'));
    const carol = subscribe('sip:carol@domain2.lab').decision;
    assert.ok('reject' in carol);
    assert.equal(carol.reject, 403);
    const dave = subscribe('sip:dave@domain2.lab').decision;
    assert.ok(!('reject' in dave));
    assert.equal(dave.state, 'active');
    assert.match(String(dave.body), /<basic>closed<\/basic>/);
    assert.doesNotMatch(String(dave.body), /hi/);
    const self = subscribe(JANE).decision;
    assert.ok(!('reject' in self));
    assert.match(String(self.body), /<note>hi<\/note>/);
  });

  it('revocation → terminated deactivated; a block rule → terminated rejected', () => {
    const { subscribe, setRules, changes } = setup();
    setRules(ruleFor('sip:bob@domain2.lab', 'approve'), ruleFor('sip:alice@domain2.lab', 'approve'));
    const bob = subscribe('sip:bob@domain2.lab').sub;
    const alice = subscribe('sip:alice@domain2.lab').sub;
    assert.equal(bob.state, 'active');
    setRules(ruleFor('sip:alice@domain2.lab', 'deny'));
    assert.equal(bob.ended, 'deactivated');
    assert.equal(alice.ended, 'rejected');
    const ends = changes.filter((c) => c.status === 'terminated').map((c) => c.event);
    assert.deepEqual(ends.sort(), ['deactivated', 'rejected']);
  });

  it('a pending watcher stays pending while the rules still say confirm', () => {
    const { subscribe, setRules } = setup();
    const { sub } = subscribe('sip:bob@domain2.lab');
    setRules(ruleFor('sip:alice@domain2.lab', 'approve'));
    assert.equal(sub.state, 'pending');
    assert.equal(sub.notified.length, 0);
    assert.equal(sub.ended, undefined);
  });
});

describe('presence.winfo package', () => {
  it('only the presentity may subscribe; full state first, then partial documents', () => {
    const winfo = new WatcherInfoPackage(
      () => 0,
      (r) => r === JANE,
    );
    const other = fakeSub('x', 'sip:bob@domain2.lab');
    const refused = winfo.authorize({
      subscription: other as unknown as NotifierSubscription,
      request,
      resource: JANE,
      watcher: 'sip:bob@domain2.lab',
    });
    assert.ok('reject' in refused && refused.reject === 403);
    const owner = fakeSub('o', JANE);
    const sent: NotifyContent[] = [];
    winfo.subscriptionsOf = () => [owner as unknown as NotifierSubscription];
    winfo.notify = (_s, c) => sent.push(c);
    const first = winfo.authorize({
      subscription: owner as unknown as NotifierSubscription,
      request,
      resource: JANE,
      watcher: JANE,
    });
    assert.ok(!('reject' in first));
    const full = parseWatcherInfo(String(first.body));
    assert.ok(full.ok);
    assert.equal(full.value.state, 'full');
    assert.equal(full.value.version, 0);
    const bobSub = fakeSub('b', 'sip:bob@domain2.lab');
    winfo.watcherChanged({
      resource: JANE,
      subscription: bobSub as unknown as NotifierSubscription,
      status: 'pending',
      event: 'subscribe',
    });
    const partial = parseWatcherInfo(String(sent[0]?.body));
    assert.ok(partial.ok);
    assert.equal(partial.value.state, 'partial');
    assert.equal(partial.value.version, 1);
    assert.equal(partial.value.watcherLists[0]?.watchers[0]?.uri, 'sip:bob@domain2.lab');
    assert.equal(winfo.list(JANE).length, 1);
    winfo.watcherChanged({
      resource: JANE,
      subscription: bobSub as unknown as NotifierSubscription,
      status: 'terminated',
      event: 'timeout',
    });
    assert.equal(winfo.list(JANE).length, 0);
    const refreshed = parseWatcherInfo(
      String(winfo.bodyForWatcher(owner as unknown as NotifierSubscription)?.body),
    );
    assert.ok(refreshed.ok);
    assert.equal(refreshed.value.state, 'full');
    assert.equal(refreshed.value.version, 3);
  });
});
