// The IWF's embedded store: an append-only JSON-lines journal (no dependency; node:sqlite is
// not in Node 20 and npm here blocks native builds). Changes are group-committed: those made in
// one turn of the event loop are written as one append and one fsync (a key changed several
// times in that turn is written once, as it stands), and `durable()` resolves once everything
// changed so far is on disk — what a caller must await before it acknowledges anything that
// depends on the change, so a kill -9 loses nothing that was acknowledged. A torn last line
// (the process died mid-write) is ignored on load. The file is rewritten (compacted)
// when dead lines outnumber live records. The first line names the schema version; older files
// are brought forward by the numbered migrations below (STYLE.md lesson 9).
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export const SCHEMA_VERSION = 2;

export type Json = Record<string, unknown>;

/**
 * Numbered migrations: `up[n]` turns a record of schema n into schema n+1.
 * 0 → 1: files from before the header line; records had no `kind`, it is read from the key.
 * 1 → 2: SIP dialog state gained `remoteSeq: null` for "not yet seen" (JSON has no undefined).
 */
export const MIGRATIONS: ReadonlyArray<{ from: number; up: (key: string, value: Json) => Json }> = [
  {
    from: 0,
    up: (key, value) =>
      'kind' in value ? value : { ...value, kind: key.slice(0, Math.max(0, key.indexOf(':'))) },
  },
  {
    from: 1,
    up: (_key, value) => {
      const dialog = value.dialog as Json | undefined;
      if (!dialog || 'remoteSeq' in dialog) return value;
      return { ...value, dialog: { ...dialog, remoteSeq: null } };
    },
  },
];

export interface JournalOptions {
  path: string;
  /** Rewrite when the file holds more than this many lines beyond the live records (default 1000). */
  compactSlack?: number;
  /** fsync at each group commit (default true; benchmarks may turn it off). */
  sync?: boolean;
  /**
   * A record as written (default: as held). Records are held as their owner uses them and turned
   * into plain JSON only when a line is written, so nothing is held twice.
   */
  encode?: (key: string, value: Json) => Json;
  /** A record as read (after the migrations) into what its owner holds (default: as read). */
  decode?: (key: string, value: Json) => Json;
}

export class Journal {
  private readonly records = new Map<string, Json>();
  /** Keys changed since the last commit, with their last change. */
  private readonly changed = new Map<string, 'put' | 'del'>();
  private waiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  private scheduled: NodeJS.Immediate | undefined;
  private fd: number | undefined;
  private lines = 0;

  constructor(private readonly options: JournalOptions) {}

  /** Loads the file (creating it when absent) and migrates its records to SCHEMA_VERSION. */
  open(): void {
    mkdirSync(dirname(this.options.path), { recursive: true });
    let text = '';
    try {
      text = readFileSync(this.options.path, 'utf8');
    } catch {
      text = '';
    }
    let version = 0;
    const raw = text.split('\n');
    for (const [i, line] of raw.entries()) {
      if (line.trim() === '') continue;
      let entry: Json;
      try {
        entry = JSON.parse(line) as Json;
      } catch {
        // Only a torn tail is expected (killed mid-write); anything else is skipped as well.
        continue;
      }
      if (i === 0 && typeof entry.schema === 'number') {
        version = entry.schema;
        continue;
      }
      const key = entry.key;
      if (typeof key !== 'string') continue;
      if (entry.op === 'del') this.records.delete(key);
      else if (entry.op === 'put' && entry.value && typeof entry.value === 'object')
        this.records.set(key, entry.value as Json);
    }
    if (version > SCHEMA_VERSION)
      throw new Error(`journal ${this.options.path} has schema ${version}, newer than ${SCHEMA_VERSION}`);
    for (const m of MIGRATIONS) {
      if (m.from < version) continue;
      for (const [key, value] of this.records) this.records.set(key, m.up(key, value));
    }
    const decode = this.options.decode;
    if (decode) for (const [key, value] of this.records) this.records.set(key, decode(key, value));
    this.rewrite();
  }

  get(key: string): Json | undefined {
    return this.records.get(key);
  }

  /** Every live record whose key starts with `prefix`. */
  entries(prefix = ''): Array<[string, Json]> {
    return [...this.records].filter(([k]) => k.startsWith(prefix));
  }

  get size(): number {
    return this.records.size;
  }

  /** Holds the record now; it reaches the file with the next group commit (see durable()). */
  put(key: string, value: Json): void {
    if (this.fd === undefined) throw new Error('journal is not open');
    this.records.set(key, value);
    this.change(key, 'put');
  }

  delete(key: string): void {
    if (!this.records.delete(key)) return;
    this.change(key, 'del');
  }

  /** Resolves once every change made so far is written and fsync'ed; rejects if that failed. */
  durable(): Promise<void> {
    if (this.changed.size === 0) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Writes what is pending, then closes the file. */
  close(): void {
    if (this.fd === undefined) return;
    this.commit();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private change(key: string, op: 'put' | 'del'): void {
    // A key's last change in this turn is the one that counts; re-inserting keeps it simple.
    this.changed.delete(key);
    this.changed.set(key, op);
    this.scheduled ??= setImmediate(() => this.commit());
  }

  /** One group commit: a line per changed key (its value as it stands now), one fsync. */
  private commit(): void {
    if (this.scheduled !== undefined) clearImmediate(this.scheduled);
    this.scheduled = undefined;
    if (this.changed.size === 0 || this.fd === undefined) return;
    const lines: string[] = [];
    for (const [key, op] of this.changed) {
      const value = op === 'put' ? this.records.get(key) : undefined;
      lines.push(
        JSON.stringify(
          value === undefined ? { op: 'del', key } : { op: 'put', key, value: this.encoded(key, value) },
        ),
      );
    }
    const waiters = this.waiters;
    try {
      writeSync(this.fd, `${lines.join('\n')}\n`);
      if (this.options.sync !== false) fsyncSync(this.fd);
    } catch (error) {
      // Kept for the next commit: nothing is dropped because one write failed.
      this.waiters = [];
      for (const w of waiters) w.reject(error as Error);
      this.scheduled ??= setImmediate(() => this.commit());
      return;
    }
    this.changed.clear();
    this.waiters = [];
    this.lines += lines.length;
    if (this.lines > this.records.size + (this.options.compactSlack ?? 1000)) this.rewrite();
    for (const w of waiters) w.resolve();
  }

  private encoded(key: string, value: Json): Json {
    return this.options.encode ? this.options.encode(key, value) : value;
  }

  /** Compaction: the live records to a new file, fsync'ed, renamed over the old one. */
  private rewrite(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    const tmp = `${this.options.path}.tmp`;
    const fd = openSync(tmp, 'w');
    const out = [JSON.stringify({ schema: SCHEMA_VERSION })];
    for (const [key, value] of this.records)
      out.push(JSON.stringify({ op: 'put', key, value: this.encoded(key, value) }));
    writeSync(fd, `${out.join('\n')}\n`);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, this.options.path);
    this.fd = openSync(this.options.path, 'a');
    this.lines = this.records.size;
  }
}
