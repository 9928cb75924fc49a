import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../../../../common/manual-clock.ts';
import { primitive } from '../../../../../domains/imps/csp/model/primitives.ts';
import { ImpsSession } from '../../../../../domains/imps/server/imps-session.ts';

function session(clock: ManualClock, onExpire: () => void = () => {}) {
  return new ImpsSession(
    's1',
    'wv:a@d',
    'c',
    'cookie',
    60,
    { version: '1.2', encoding: 'xml', remoteAddress: '127.0.1.10', roaming: false },
    clock,
    onExpire,
  );
}
const status = primitive('Status', { result: { code: 200 } });

describe('ImpsSession (imps.md §13 items 3-4)', () => {
  it('expires after KeepAliveTime without requests; touch() pushes the deadline', () => {
    const clock = new ManualClock();
    let expired = 0;
    const s = session(clock, () => expired++);
    clock.advance(59_000);
    s.touch();
    clock.advance(59_000);
    assert.equal(expired, 0);
    clock.advance(1_000);
    assert.equal(expired, 1);
  });
  it('close() disarms the timer', () => {
    const clock = new ManualClock();
    const s = session(clock);
    s.close();
    assert.equal(clock.armed, 0);
  });
  it('wakes only when the first unsent transaction is queued', () => {
    const clock = new ManualClock();
    const s = session(clock);
    let wakes = 0;
    s.wake = () => wakes++;
    s.enqueue({ transactionId: 't1', primitive: status });
    s.enqueue({ transactionId: 't2', primitive: status });
    assert.equal(wakes, 1);
    s.takeForPoll(clock.now(), 1000);
    s.enqueue({ transactionId: 't3', primitive: status });
    assert.equal(wakes, 1, 't2 is still unsent');
  });
  it('polls hand out MultiTrans transactions, resend after the delay, retire on answer', () => {
    const clock = new ManualClock();
    const s = session(clock);
    s.capabilities.multiTrans = 2;
    for (const id of ['t1', 't2', 't3']) s.enqueue({ transactionId: id, primitive: status });
    assert.deepEqual(
      s.takeForPoll(clock.now(), 5000).map((t) => t.transactionId),
      ['t1', 't2'],
    );
    assert.ok(s.hasUnsent());
    assert.deepEqual(
      s.takeForPoll(clock.now(), 5000).map((t) => t.transactionId),
      ['t3'],
    );
    assert.equal(s.takeForPoll(clock.now(), 5000).length, 0);
    assert.equal(s.retire('t1')?.transactionId, 't1');
    assert.equal(s.retire('t1'), undefined);
    clock.advance(5000);
    assert.deepEqual(
      s.takeForPoll(clock.now(), 5000).map((t) => t.transactionId),
      ['t2', 't3'],
    );
  });
});
