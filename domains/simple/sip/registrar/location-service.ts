import type { Clock, TimerHandle } from '../../../../common/clock.ts';
import { formatNameAddr } from '../message/header-values.ts';
import type { NameAddr } from '../message/name-addr.ts';
import { uriEquals } from '../message/uri-codec.ts';

// The location service of RFC 3261 §10.3: per address-of-record, the bindings the registrar
// accepted. Each binding is soft state with its own expiry, driven by the injected Clock; every
// change is reported as a BindingEvent (PS2's Presence Network Agent turns those into
// network-provided presence, 3GPP TS 23.141 §4.3: registration state as a presence source).

export interface SourceAddress {
  transport: 'udp' | 'tcp' | string;
  address: string;
  port: number;
}

export interface Binding {
  /** Canonical AOR key (see aorKey in process-register.ts), e.g. `sip:jane@domain2.lab`. */
  readonly aor: string;
  /**
   * The Contact as registered: URI (with its URI parameters and escaped headers, RFC 4475
   * cparam02/regescrt) and contact parameters (cparam01) other than `expires`.
   */
  contact: NameAddr;
  /** RFC 3261 §20.10 q-value (0..1), undefined when not given. */
  q: number | undefined;
  /** Clock time (ms) when the binding lapses. */
  expiresAt: number;
  /** RFC 3261 §10.3 steps 7-8: a binding is only changed by a higher CSeq of the same Call-ID. */
  callId: string;
  cseq: number;
  /** RFC 3327 Path header values, in order, to use as a route set toward the UA. */
  path: string[];
  /** Where the REGISTER came from (transport layer), e.g. for NAT or the PNA's access info. */
  source: SourceAddress | undefined;
  /** RFC 5626 +sip.instance, if the UA sent one. */
  instanceId: string | undefined;
}

export type BindingEventType = 'added' | 'refreshed' | 'expired' | 'removed';

export interface BindingEvent {
  type: BindingEventType;
  aor: string;
  binding: Readonly<Binding>;
  /** Bindings left for the AOR after this change. */
  remaining: number;
}

export type BindingListener = (event: BindingEvent) => void;

/** Seconds left on a binding, rounded up, never negative. */
export function remainingSeconds(binding: Binding, now: number): number {
  return Math.max(0, Math.ceil((binding.expiresAt - now) / 1000));
}

export interface LocationServiceOptions {
  clock: Clock;
  /** Most bindings per AOR (a flood of Contacts is refused with 403, see process-register.ts). */
  maxBindingsPerAor?: number;
  /** Most AORs held. */
  maxAors?: number;
}

export class LocationService {
  readonly clock: Clock;
  readonly maxBindingsPerAor: number;
  readonly maxAors: number;
  private readonly table = new Map<string, Binding[]>();
  private readonly timers = new Map<Binding, TimerHandle>();
  private readonly listeners = new Set<BindingListener>();

  constructor(options: LocationServiceOptions) {
    this.clock = options.clock;
    this.maxBindingsPerAor = options.maxBindingsPerAor ?? 32;
    this.maxAors = options.maxAors ?? 100_000;
  }

  /** Registers a listener; returns the function that removes it. */
  onBindingEvent(listener: BindingListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Current (unexpired) bindings of an AOR, highest q first (RFC 3261 §16.6: q orders targets). */
  lookup(aor: string, now = this.clock.now()): Binding[] {
    const list = (this.table.get(aor) ?? []).filter((b) => b.expiresAt > now);
    return list.sort((a, b) => (b.q ?? 1) - (a.q ?? 1));
  }

  /** Every AOR with at least one binding. */
  aors(): string[] {
    return [...this.table.keys()];
  }

  get aorCount(): number {
    return this.table.size;
  }

  /** The binding of `aor` whose Contact URI equals `contact` (RFC 3261 §10.3 step 7, §19.1.4). */
  find(aor: string, contact: NameAddr): Binding | undefined {
    return this.table.get(aor)?.find((b) => uriEquals(b.contact.uri, contact.uri));
  }

  /** Adds or replaces a binding (same AOR and Contact URI) and arms its expiry. */
  put(binding: Binding): void {
    const list = this.table.get(binding.aor) ?? [];
    const at = list.findIndex((b) => uriEquals(b.contact.uri, binding.contact.uri));
    let type: BindingEventType = 'added';
    if (at === -1) list.push(binding);
    else {
      this.disarm(list[at]!);
      list[at] = binding;
      type = 'refreshed';
    }
    this.table.set(binding.aor, list);
    this.arm(binding);
    this.emit(type, binding, list.length);
  }

  /** Removes one binding (Expires 0 for its Contact). */
  remove(aor: string, contact: NameAddr): Binding | undefined {
    const binding = this.find(aor, contact);
    if (binding) this.drop(binding, 'removed');
    return binding;
  }

  /** Removes every binding of an AOR (`Contact: *`, RFC 3261 §10.2.2). */
  removeAll(aor: string): Binding[] {
    const list = [...(this.table.get(aor) ?? [])];
    for (const b of list) this.drop(b, 'removed');
    return list;
  }

  /** Expires every binding due at `now`; the timers call this, tests may too. */
  sweep(now = this.clock.now()): void {
    for (const list of [...this.table.values()]) {
      for (const b of [...list]) if (b.expiresAt <= now) this.drop(b, 'expired');
    }
  }

  /** Cancels every timer (the service stops; bindings are kept in memory). */
  close(): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }

  private drop(binding: Binding, type: 'removed' | 'expired'): void {
    const list = this.table.get(binding.aor);
    if (!list) return;
    const at = list.indexOf(binding);
    if (at === -1) return;
    list.splice(at, 1);
    if (list.length === 0) this.table.delete(binding.aor);
    this.disarm(binding);
    this.emit(type, binding, list.length);
  }

  private arm(binding: Binding): void {
    const delay = binding.expiresAt - this.clock.now();
    this.timers.set(
      binding,
      this.clock.setTimer(delay, () => {
        this.timers.delete(binding);
        this.drop(binding, 'expired');
      }),
    );
  }

  private disarm(binding: Binding): void {
    this.timers.get(binding)?.cancel();
    this.timers.delete(binding);
  }

  private emit(type: BindingEventType, binding: Binding, remaining: number): void {
    for (const l of this.listeners) l({ type, aor: binding.aor, binding, remaining });
  }
}

/** `<uri>;params;expires=N` for a binding, as the 200 to REGISTER lists it (§10.3 step 8). */
export function formatBindingContact(binding: Binding, expires: number): string {
  const params = binding.contact.params.clone();
  params.delete('expires');
  params.set('expires', String(expires));
  return formatNameAddr({ ...binding.contact, params });
}
