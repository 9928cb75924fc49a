import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isEmptyPresenceSubList } from '../../../../../domains/imps/client/imps-client-session.ts';

// PS1 never notifies an empty change set to a local watcher; an empty PresenceSubList is its mark
// for "nothing authorized any more" (docs/ps1.md, docs/ssp.md), which ends the subscription.
describe('an empty PresenceSubList', () => {
  it('is one without any attribute element', () => {
    assert.equal(isEmptyPresenceSubList({}), true);
    assert.equal(isEmptyPresenceSubList({ statusText: undefined } as never), true);
    assert.equal(
      isEmptyPresenceSubList({ $layout: [''] } as never),
      true,
      'codec bookkeeping is no attribute',
    );
  });
  it('is not one with an attribute, even an unqualified one', () => {
    assert.equal(isEmptyPresenceSubList({ statusText: { qualifier: true, presenceValue: 'x' } }), false);
    assert.equal(isEmptyPresenceSubList({ onlineStatus: { qualifier: false } } as never), false);
  });
});
