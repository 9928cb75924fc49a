import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../../../../../common/manual-clock.ts';
import {
  TimerNode,
  type TimerOwner,
  TimerQueue,
} from '../../../../../../domains/simple/sip/transaction/timer-queue.ts';

class Log implements TimerOwner {
  readonly fired: Array<[string, number]> = [];
  constructor(
    private readonly name: string,
    private readonly clock: ManualClock,
  ) {}
  onTimer(kind: number): void {
    this.fired.push([`${this.name}${kind}`, this.clock.now()]);
  }
}

test('timers of different durations fire in time order through one Clock timer', () => {
  const clock = new ManualClock();
  const q = new TimerQueue(clock);
  const a = new Log('a', clock);
  const b = new Log('b', clock);
  q.schedule(new TimerNode(a, 1), 32_000);
  q.schedule(new TimerNode(a, 2), 500);
  clock.advance(100);
  q.schedule(new TimerNode(b, 1), 500);
  q.schedule(new TimerNode(b, 2), 100);
  assert.equal(clock.armed, 1, 'a single Clock timer');
  clock.advance(40_000);
  assert.deepEqual(
    [...a.fired, ...b.fired].sort((x, y) => x[1] - y[1]),
    [
      ['b2', 200],
      ['a2', 500],
      ['b1', 600],
      ['a1', 32_000],
    ],
  );
  assert.equal(q.pending, 0);
});

test('cancel and re-schedule', () => {
  const clock = new ManualClock();
  const q = new TimerQueue(clock);
  const a = new Log('a', clock);
  const n = new TimerNode(a, 0);
  q.schedule(n, 500);
  q.cancel(n);
  assert.equal(n.armed, false);
  clock.advance(1000);
  assert.deepEqual(a.fired, []);
  q.schedule(n, 500);
  q.schedule(n, 200); // re-arming moves it
  clock.advance(1000);
  assert.deepEqual(a.fired, [['a0', 1200]]);
});
