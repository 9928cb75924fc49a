import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../../../../../common/manual-clock.ts';
import { DueSchedule, type Scheduled } from '../../../../../../domains/simple/sip/core/due-schedule.ts';

// The shared schedule of the usages' long timers (refresh, expiry): one Clock timer for many.

class Usage implements Scheduled {
  scheduleSlot = -1;
  constructor(
    readonly name: string,
    readonly fired: string[],
  ) {}
  onDue(): void {
    this.fired.push(this.name);
  }
}

describe('DueSchedule', () => {
  it('fires many usages in due order on one Clock timer; re-arming and cancelling move them', () => {
    const clock = new ManualClock();
    const schedule = new DueSchedule(clock);
    const fired: string[] = [];
    const usages = Array.from({ length: 50 }, (_, i) => new Usage(`u${i}`, fired));
    // Due times 1000, 2000 … in a scrambled order of arming.
    for (let i = 0; i < usages.length; i++) schedule.set(usages[(i * 7) % 50]!, (((i * 7) % 50) + 1) * 1000);
    assert.equal(schedule.size, 50);
    assert.equal(clock.armed, 1, 'one Clock timer for all of them');
    schedule.set(usages[0]!, 60_000); // u0 moves last
    schedule.cancel(usages[1]!); // u1 never fires
    schedule.cancel(usages[1]!); // twice is harmless
    clock.advance(3000);
    assert.deepEqual(fired, ['u2']);
    clock.advance(50_000);
    assert.equal(fired.length, 48);
    assert.deepEqual(
      fired,
      Array.from({ length: 48 }, (_, i) => `u${i + 2}`),
    );
    clock.advance(7000);
    assert.equal(fired.at(-1), 'u0');
    assert.equal(schedule.size, 0);
    assert.equal(clock.armed, 0, 'nothing left armed');
  });

  it('an earlier usage re-arms the Clock timer; cancelling the last one disarms it', () => {
    const clock = new ManualClock();
    const schedule = new DueSchedule(clock);
    const fired: string[] = [];
    const late = new Usage('late', fired);
    const early = new Usage('early', fired);
    schedule.set(late, 10_000);
    schedule.set(early, 500);
    clock.advance(500);
    assert.deepEqual(fired, ['early']);
    assert.equal(late.scheduleSlot, 0);
    schedule.cancel(late);
    assert.equal(late.scheduleSlot, -1);
    assert.equal(clock.armed, 0);
    clock.advance(20_000);
    assert.deepEqual(fired, ['early']);
  });
});
