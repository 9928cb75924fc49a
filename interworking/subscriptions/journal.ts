// The IWF's embedded store: an append-only JSON-lines journal (no dependency; node:sqlite is
// not in Node 20 and npm here blocks native builds). Every change is one line, written and
// fsync'ed before the caller goes on, so a kill -9 loses nothing that was acknowledged; a torn
// last line (the process died mid-write) is ignored on load. The file is rewritten (compacted)
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
  /** fsync after each append (default true; benchmarks may turn it off). */
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

  put(key: string, value: Json): void {
    this.records.set(key, value);
    this.append({ op: 'put', key, value: this.encoded(key, value) });
  }

  delete(key: string): void {
    if (!this.records.delete(key)) return;
    this.append({ op: 'del', key });
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private append(entry: Json): void {
    if (this.fd === undefined) throw new Error('journal is not open');
    writeSync(this.fd, `${JSON.stringify(entry)}\n`);
    if (this.options.sync !== false) fsyncSync(this.fd);
    this.lines += 1;
    if (this.lines > this.records.size + (this.options.compactSlack ?? 1000)) this.rewrite();
  }

  private encoded(key: string, value: Json): Json {
    return this.options.encode ? this.options.encode(key, value) : value;
  }

  /** Compaction: the live records to a new file, fsync'ed, renamed over the old one. */
  private rewrite(): void {
    this.close();
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
