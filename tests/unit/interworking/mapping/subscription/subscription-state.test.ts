import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatSubscriptionState } from '../../../../../domains/simple/sip/core/event-header.ts';
import {
  impsOutcomeToSip,
  sipStateToImps,
} from '../../../../../interworking/mapping/subscription/subscription-state.ts';
import { SUBSCRIPTION_STATE_ROWS } from '../../../../../interworking/mapping/subscription/subscription-state-rows.ts';

// One test per row: the row's example goes through its mapper and must come out as the row says,
// naming the row.

describe('subscription state rows', () => {
  for (const row of SUBSCRIPTION_STATE_ROWS) {
    it(`${row.id} ${row.direction}: ${row.sip} ⇄ ${row.imps}`, () => {
      if (row.direction === 'simple→imps') {
        const r = sipStateToImps(row.example.header, row.example.previous);
        assert.deepEqual(r.value, row.example.effect);
        assert.equal(r.row, row.id);
      } else {
        const r = impsOutcomeToSip(row.example.outcome, { expires: 3600, initial: row.example.initial });
        assert.deepEqual(r.value, row.example.answer);
        assert.equal(r.row, row.id);
      }
    });
  }

  it('covers every RFC 6665 reason, both with and without retry-after', () => {
    for (const reason of [
      'deactivated',
      'probation',
      'rejected',
      'timeout',
      'giveup',
      'noresource',
      'invariant',
    ]) {
      const r = sipStateToImps({ state: 'terminated', reason });
      assert.notEqual(r.row, 'SS11', `${reason} fell through to the unknown-reason row`);
    }
    assert.deepEqual(sipStateToImps({ state: 'terminated', reason: 'probation', retryAfter: 5 }).value, {
      kind: 'resubscribe',
      afterSeconds: 300,
    });
    assert.deepEqual(sipStateToImps({ state: 'terminated' }).row, 'SS11');
    assert.equal(sipStateToImps({ state: 'TERMINATED', reason: 'Rejected' }).row, 'SS6');
  });

  it('answers to an existing subscription carry no response code; initial ones do', () => {
    const inDialog = impsOutcomeToSip({ kind: 'blocked' }, { expires: 600, initial: false });
    assert.equal(inDialog.value.response, undefined);
    assert.equal(formatSubscriptionState(inDialog.value.state), 'terminated;reason=rejected');
    const first = impsOutcomeToSip({ kind: 'reactive-request', csp: '1.3' }, { expires: 600, initial: true });
    assert.equal(first.value.response, 200);
    assert.equal(formatSubscriptionState(first.value.state), 'pending;expires=600');
  });
});
