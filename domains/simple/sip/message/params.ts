// Generic parameters (`;name=value` / `;flag`) as they appear on URIs, name-addrs and Via.
// Order and the original spelling of names are kept; lookups ignore case, as RFC 3261 §7.3.1
// and §19.1.4 say parameter names compare case-insensitively.

export type ParamValue = string | null;

export class Params {
  private readonly entries: Array<[string, ParamValue]>;

  constructor(entries: Array<[string, ParamValue]> = []) {
    this.entries = entries;
  }

  get size(): number {
    return this.entries.length;
  }

  private indexOf(name: string): number {
    const lower = name.toLowerCase();
    for (let i = 0; i < this.entries.length; i++) {
      if (this.entries[i]![0].toLowerCase() === lower) return i;
    }
    return -1;
  }

  has(name: string): boolean {
    return this.indexOf(name) !== -1;
  }

  /** The value (null for a flag parameter), or undefined when absent. */
  get(name: string): ParamValue | undefined {
    const i = this.indexOf(name);
    return i === -1 ? undefined : this.entries[i]![1];
  }

  set(name: string, value: ParamValue): this {
    const i = this.indexOf(name);
    if (i === -1) this.entries.push([name, value]);
    else this.entries[i] = [this.entries[i]![0], value];
    return this;
  }

  delete(name: string): boolean {
    const i = this.indexOf(name);
    if (i === -1) return false;
    this.entries.splice(i, 1);
    return true;
  }

  [Symbol.iterator](): IterableIterator<[string, ParamValue]> {
    return this.entries[Symbol.iterator]();
  }

  clone(): Params {
    return new Params(this.entries.map(([n, v]) => [n, v]));
  }

  /** `;a=1;b` — the wire form, values written as stored (already escaped/quoted as needed). */
  toString(): string {
    let out = '';
    for (const [n, v] of this.entries) out += v === null ? `;${n}` : `;${n}=${v}`;
    return out;
  }
}
