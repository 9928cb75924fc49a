// Per-key serialisation (STYLE.md lesson 7): work on one IWF subscription (a SUBSCRIBE, the
// NOTIFYs that follow, an unsubscribe, a restore) runs one job at a time and in arrival order;
// different subscriptions run concurrently. A failing job does not block its successors.

export class KeyQueue<K> {
  private readonly tails = new Map<K, Promise<unknown>>();

  /** Runs `job` after every earlier job of `key` has settled; resolves with its result. */
  run<T>(key: K, job: () => Promise<T> | T): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const next = previous.then(
      () => job(),
      () => job(),
    );
    const tail = next.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }

  /** Keys with work queued or running. */
  get size(): number {
    return this.tails.size;
  }

  /** Resolves when everything queued so far has settled. */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }
}
