import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthorizationStore } from '../../../../../domains/imps/server/authorization-store.ts';

const P = 'wv:pub@d';
const W = 'wv:w@d';

describe('AuthorizationStore (imps.md §3.2, §6.4)', () => {
  it('nothing is authorized without a grant; the publisher sees all of itself', () => {
    const a = new AuthorizationStore();
    assert.equal(a.authorized(P, W, []).size, 0);
    assert.ok(a.authorized(P, P, []).has('statusText'));
  });
  it('user grant > contact-list grants > default list', () => {
    const a = new AuthorizationStore();
    const p = a.of(P);
    p.defaultGrant = new Set(['onlineStatus']);
    p.listGrants.set('wv:pub/l1@d', new Set(['statusText']));
    p.listGrants.set('wv:pub/l2@d', new Set(['alias']));
    assert.deepEqual([...a.authorized(P, W, [])], ['onlineStatus']);
    assert.deepEqual([...a.authorized(P, W, ['wv:pub/l1@d', 'wv:pub/l2@d'])].sort(), ['alias', 'statusText']);
    p.userGrants.set(W, new Set(['statusMood']));
    assert.deepEqual([...a.authorized(P, W, ['wv:pub/l1@d'])], ['statusMood']);
  });
  it('a reactive GRANTED decision adds its attributes; PENDING and DENIED add nothing', () => {
    const a = new AuthorizationStore();
    a.of(P).reactive.set(W, { state: 'PENDING', attributes: new Set(['alias']) });
    assert.equal(a.authorized(P, W, []).size, 0);
    a.of(P).reactive.set(W, { state: 'GRANTED', attributes: new Set(['alias']) });
    assert.deepEqual([...a.authorized(P, W, [])], ['alias']);
  });
  it('block list in use and grant list in use', () => {
    const a = new AuthorizationStore();
    const p = a.of(P);
    p.defaultGrant = new Set(['onlineStatus']);
    p.block.entities.add(W);
    assert.equal(a.isBlocked(P, W), false, 'a block list not in use blocks nobody');
    p.block.inUse = true;
    assert.equal(a.isBlocked(P, W), true);
    assert.equal(a.authorized(P, W, []).size, 0);
    p.block.inUse = false;
    p.grant.inUse = true;
    assert.equal(a.isBlocked(P, W), true, 'not on the grant list');
    p.grant.entities.add(W);
    assert.equal(a.isBlocked(P, W), false);
  });
});
