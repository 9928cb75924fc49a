import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ContactListStore } from '../../../../../domains/imps/server/contact-list-store.ts';

const O = 'wv:o@d';

describe('ContactListStore (imps.md §5)', () => {
  it('first list is default; exactly one default; deleting it promotes another', () => {
    const s = new ContactListStore();
    assert.ok(s.create(O, 'wv:o/a@d')?.isDefault);
    assert.equal(s.create(O, 'wv:o/b@d')?.isDefault, false);
    assert.equal(s.create(O, 'wv:o/a@d'), undefined, '701 already exists');
    s.setDefault(O, 'wv:o/b@d', true);
    assert.deepEqual(
      s.listsOf(O).map((l) => [l.id, l.isDefault]),
      [
        ['wv:o/a@d', false],
        ['wv:o/b@d', true],
      ],
    );
    s.delete(O, 'wv:o/b@d');
    assert.equal(s.get(O, 'wv:o/a@d')?.isDefault, true);
    assert.equal(s.delete(O, 'wv:o/zz@d'), undefined);
  });
  it('setting Default F moves the default elsewhere', () => {
    const s = new ContactListStore();
    s.create(O, 'wv:o/a@d');
    s.create(O, 'wv:o/b@d');
    s.setDefault(O, 'wv:o/a@d', false);
    assert.equal(s.get(O, 'wv:o/b@d')?.isDefault, true);
  });
  it('listsHolding finds the owner lists of a member', () => {
    const s = new ContactListStore();
    s.create(O, 'wv:o/a@d')!.members.set('wv:m@d2', 'M');
    s.create(O, 'wv:o/b@d');
    assert.deepEqual(s.listsHolding(O, 'wv:m@d2'), ['wv:o/a@d']);
  });
});
