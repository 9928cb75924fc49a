import { EventEmitter } from 'node:events';

/**
 * EventEmitter with the event names and payloads checked by the compiler. The emitter is made
 * on the first listener: a gateway keeps tens of thousands of usages that nobody listens to
 * (their owner is a delegate), and an idle EventEmitter is ~290 bytes each.
 */
export class TypedEmitter<Events extends Record<string, unknown[]>> {
  private emitter: EventEmitter | undefined;

  on<K extends keyof Events & string>(event: K, listener: (...args: Events[K]) => void): this {
    this.emitter ??= new EventEmitter();
    this.emitter.on(event, listener as (...args: unknown[]) => void);
    return this;
  }

  once<K extends keyof Events & string>(event: K, listener: (...args: Events[K]) => void): this {
    this.emitter ??= new EventEmitter();
    this.emitter.once(event, listener as (...args: unknown[]) => void);
    return this;
  }

  off<K extends keyof Events & string>(event: K, listener: (...args: Events[K]) => void): this {
    this.emitter?.off(event, listener as (...args: unknown[]) => void);
    return this;
  }

  protected emit<K extends keyof Events & string>(event: K, ...args: Events[K]): void {
    this.emitter?.emit(event, ...args);
  }
}
