import type { Clock, TimerHandle } from '../../../../common/clock.ts';

/** A usage with one long timer (a refresh, an expiry) in a DueSchedule. */
export interface Scheduled {
  /** Where it sits in its schedule, -1 when not scheduled: the schedule's own bookkeeping. */
  scheduleSlot: number;
  /** Its time has come (it is out of the schedule by then). */
  onDue(): void;
}

/**
 * One Clock timer for the long timers of many usages (subscription refresh, expiry): a binary
 * min-heap on the due time, each usage knowing its slot, so (re)arming and cancelling are
 * O(log n) with no timer object or closure per usage. A gateway holds tens of thousands of
 * subscriptions for hours; a Node timer per usage (~260 bytes with its closure) would cost
 * more than the rest of the usage. Tests still step every timer through the injected Clock.
 */
export class DueSchedule {
  private readonly due: number[] = [];
  private readonly items: Scheduled[] = [];
  private handle: TimerHandle | undefined;
  private armedAt = Number.POSITIVE_INFINITY;
  private readonly fire = (): void => this.onClock();

  constructor(private readonly clock: Clock) {}

  /** Usages scheduled. */
  get size(): number {
    return this.items.length;
  }

  /** (Re)arms `item` to be due `delayMs` from now. */
  set(item: Scheduled, delayMs: number): void {
    const at = this.clock.now() + Math.max(0, delayMs);
    let i = item.scheduleSlot;
    if (i < 0) {
      i = this.items.length;
      this.items.push(item);
      this.due.push(at);
      item.scheduleSlot = i;
    } else this.due[i] = at;
    this.down(this.up(i));
    this.arm();
  }

  cancel(item: Scheduled): void {
    const i = item.scheduleSlot;
    if (i < 0) return;
    item.scheduleSlot = -1;
    const lastItem = this.items.pop()!;
    const lastDue = this.due.pop()!;
    if (i < this.items.length) {
      this.items[i] = lastItem;
      this.due[i] = lastDue;
      lastItem.scheduleSlot = i;
      this.down(this.up(i));
    }
    // A Clock timer armed for an earlier head finds nothing due and re-arms; none is left armed
    // for an empty schedule.
    if (this.items.length === 0) this.disarm();
  }

  private arm(): void {
    const head = this.due[0];
    if (head === undefined || head >= this.armedAt) return;
    this.handle?.cancel();
    this.armedAt = head;
    this.handle = this.clock.setTimer(Math.max(0, head - this.clock.now()), this.fire);
  }

  private disarm(): void {
    this.handle?.cancel();
    this.handle = undefined;
    this.armedAt = Number.POSITIVE_INFINITY;
  }

  private onClock(): void {
    this.handle = undefined;
    this.armedAt = Number.POSITIVE_INFINITY;
    const now = this.clock.now();
    // A system timer may fire a fraction of a millisecond early: then nothing is due and it re-arms.
    for (let head = this.items[0]; head && this.due[0]! <= now; head = this.items[0]) {
      this.cancel(head);
      head.onDue();
    }
    this.arm();
  }

  private up(i: number): number {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.due[parent]! <= this.due[i]!) break;
      this.swap(i, parent);
      i = parent;
    }
    return i;
  }

  private down(i: number): void {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let least = i;
      if (l < this.due.length && this.due[l]! < this.due[least]!) least = l;
      if (r < this.due.length && this.due[r]! < this.due[least]!) least = r;
      if (least === i) return;
      this.swap(i, least);
      i = least;
    }
  }

  private swap(a: number, b: number): void {
    const item = this.items[a]!;
    const at = this.due[a]!;
    this.items[a] = this.items[b]!;
    this.due[a] = this.due[b]!;
    this.items[b] = item;
    this.due[b] = at;
    this.items[a]!.scheduleSlot = a;
    item.scheduleSlot = b;
  }
}
