import type { Clock, TimerHandle } from '../../../../common/clock.ts';

// All transaction timers of one layer share a single Clock timer. Timers of equal duration are
// kept in one intrusive list: since they are all armed "now + d", each list stays sorted by due
// time with O(1) insert and O(1) cancel, and no closure is created per timer. The one Clock timer
// is armed for the earliest head. Thousands of transactions per second then cost a few pointer
// updates each instead of a setTimeout/clearTimeout pair per timer, and tests still step every
// timer through the injected Clock (ManualClock).

export interface TimerOwner {
  onTimer(kind: number): void;
}

/** One timer slot of a transaction (E, F, K …), allocated once and re-armed as needed. */
export class TimerNode {
  at = 0;
  prev: TimerNode | undefined = undefined;
  next: TimerNode | undefined = undefined;
  list: TimerList | undefined = undefined;

  constructor(
    readonly owner: TimerOwner,
    readonly kind: number,
  ) {}

  get armed(): boolean {
    return this.list !== undefined;
  }
}

class TimerList {
  head: TimerNode | undefined = undefined;
  tail: TimerNode | undefined = undefined;
  size = 0;

  push(node: TimerNode): void {
    node.list = this;
    node.prev = this.tail;
    node.next = undefined;
    if (this.tail) this.tail.next = node;
    else this.head = node;
    this.tail = node;
    this.size++;
  }

  remove(node: TimerNode): void {
    if (node.prev) node.prev.next = node.next;
    else this.head = node.next;
    if (node.next) node.next.prev = node.prev;
    else this.tail = node.prev;
    node.prev = undefined;
    node.next = undefined;
    node.list = undefined;
    this.size--;
  }
}

export class TimerQueue {
  private readonly lists = new Map<number, TimerList>();
  private readonly listArray: TimerList[] = [];
  private handle: TimerHandle | undefined;
  private armedAt = Number.POSITIVE_INFINITY;
  private readonly fire = (): void => this.onClock();

  constructor(private readonly clock: Clock) {}

  /** Arms `node` to fire `delayMs` from now (re-arming it if it was armed). */
  schedule(node: TimerNode, delayMs: number): void {
    if (node.list) node.list.remove(node);
    let list = this.lists.get(delayMs);
    if (!list) {
      list = new TimerList();
      this.lists.set(delayMs, list);
      this.listArray.push(list);
    }
    node.at = this.clock.now() + delayMs;
    list.push(node);
    if (node.at < this.armedAt) this.arm(node.at);
  }

  cancel(node: TimerNode): void {
    // The Clock timer stays armed; if it was for this node it finds nothing due and re-arms.
    if (node.list) node.list.remove(node);
  }

  /** Timers currently armed (tests use it to prove cleanup). */
  get pending(): number {
    let n = 0;
    for (const list of this.listArray) n += list.size;
    return n;
  }

  /** Stops the Clock timer; armed nodes stay armed but will not fire until the next schedule. */
  stop(): void {
    this.handle?.cancel();
    this.handle = undefined;
    this.armedAt = Number.POSITIVE_INFINITY;
  }

  private arm(at: number): void {
    this.handle?.cancel();
    this.armedAt = at;
    this.handle = this.clock.setTimer(Math.max(0, at - this.clock.now()), this.fire);
  }

  private onClock(): void {
    this.handle = undefined;
    this.armedAt = Number.POSITIVE_INFINITY;
    const now = this.clock.now();
    // Fire everything due, earliest first across lists, so E/F/K keep their relative order.
    for (;;) {
      let due: TimerNode | undefined;
      for (const list of this.listArray) {
        const head = list.head;
        if (head && head.at <= now && (!due || head.at < due.at)) due = head;
      }
      if (!due) break;
      due.list!.remove(due);
      due.owner.onTimer(due.kind);
    }
    let next = Number.POSITIVE_INFINITY;
    for (const list of this.listArray) {
      const head = list.head;
      if (head && head.at < next) next = head.at;
    }
    // Nothing left is due (next > now), so this never spins; a system timer that fired a
    // fraction of a millisecond early simply re-arms for the remainder.
    if (next < this.armedAt) this.arm(next);
  }
}
