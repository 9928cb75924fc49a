// Generic parameters (`;name=value` / `;flag`) as they appear on URIs, name-addrs and Via.
// Order and the original spelling of names are kept; lookups ignore case, as RFC 3261 §7.3.1
// and §19.1.4 say parameter names compare case-insensitively.

export type ParamValue = string | null;

/** Hands a flat list to the constructor without a copy (see Params.fromFlat). */
let pendingFlat: ParamValue[] | undefined;

export class Params {
  // Flat name, value, name, value …: the parsers fill one array per parameter list instead of
  // one [name, value] array per parameter (the decode hot path's allocations, measured).
  private readonly kv: ParamValue[];

  constructor(entries?: Array<[string, ParamValue]>) {
    if (pendingFlat !== undefined) {
      this.kv = pendingFlat;
      pendingFlat = undefined;
      return;
    }
    const kv: ParamValue[] = [];
    if (entries !== undefined)
      for (let i = 0; i < entries.length; i++) kv.push(entries[i]![0], entries[i]![1]);
    this.kv = kv;
  }

  /** From a flat [name, value, name, value …] list (the parsers' form); the list is kept. */
  static fromFlat(kv: ParamValue[]): Params {
    pendingFlat = kv;
    return new Params();
  }

  get size(): number {
    return this.kv.length >> 1;
  }

  private indexOf(name: string): number {
    const lower = name.toLowerCase();
    const kv = this.kv;
    for (let i = 0; i < kv.length; i += 2) {
      const n = kv[i] as string;
      if (n === lower || (n.length === lower.length && n.toLowerCase() === lower)) return i;
    }
    return -1;
  }

  has(name: string): boolean {
    return this.indexOf(name) !== -1;
  }

  /** The value (null for a flag parameter), or undefined when absent. */
  get(name: string): ParamValue | undefined {
    const i = this.indexOf(name);
    return i === -1 ? undefined : this.kv[i + 1]!;
  }

  set(name: string, value: ParamValue): this {
    const i = this.indexOf(name);
    if (i === -1) this.kv.push(name, value);
    else this.kv[i + 1] = value;
    return this;
  }

  delete(name: string): boolean {
    const i = this.indexOf(name);
    if (i === -1) return false;
    this.kv.splice(i, 2);
    return true;
  }

  *[Symbol.iterator](): IterableIterator<[string, ParamValue]> {
    const kv = this.kv;
    for (let i = 0; i < kv.length; i += 2) yield [kv[i] as string, kv[i + 1]!];
  }

  clone(): Params {
    return Params.fromFlat(this.kv.slice());
  }

  /** `;a=1;b` — the wire form, values written as stored (already escaped/quoted as needed). */
  toString(): string {
    const kv = this.kv;
    let out = '';
    for (let i = 0; i < kv.length; i += 2) {
      const v = kv[i + 1];
      out += v === null ? `;${kv[i]}` : `;${kv[i]}=${v}`;
    }
    return out;
  }
}
