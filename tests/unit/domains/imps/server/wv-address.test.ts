import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  domainOf,
  normalizeWvId,
  ownerOfList,
  parseWvId,
} from '../../../../../domains/imps/server/wv-address.ts';

describe('wv-address (imps.md §11)', () => {
  it('normalises case, the wv: prefix and the home domain', () => {
    assert.equal(normalizeWvId('WV:Harry@Domain1.LAB', 'domain1.lab'), 'wv:harry@domain1.lab');
    assert.equal(normalizeWvId('harry', 'domain1.lab'), 'wv:harry@domain1.lab');
    assert.equal(normalizeWvId('jane@domain2.lab', 'domain1.lab'), 'wv:jane@domain2.lab');
    assert.equal(normalizeWvId('wv:+358401234567@d', 'x'), 'wv:+358401234567@d');
  });
  it('keeps contact-list resources and finds their owner', () => {
    assert.deepEqual(parseWvId('wv:john/My_friends@smith.com', 'x'), {
      user: 'john',
      resource: 'my_friends',
      domain: 'smith.com',
    });
    assert.equal(ownerOfList('wv:john/friends@smith.com'), 'wv:john@smith.com');
    assert.equal(ownerOfList('wv:john@smith.com'), undefined);
  });
  it('refuses what is not an address', () => {
    for (const bad of ['', 'wv:', 'a@b@c', 'wv:a/@d', 'wv:héllo@d', 'x'.repeat(300)])
      assert.equal(normalizeWvId(bad, 'd'), undefined, bad);
  });
  it('domainOf', () => {
    assert.equal(domainOf('wv:jane@domain2.lab'), 'domain2.lab');
    assert.equal(domainOf('wv:jane'), '');
  });
});
