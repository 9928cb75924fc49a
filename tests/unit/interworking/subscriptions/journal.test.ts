import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Journal, MIGRATIONS, SCHEMA_VERSION } from '../../../../interworking/subscriptions/journal.ts';

const dir = mkdtempSync(join(tmpdir(), 'journal-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = () => join(dir, `j${++n}`, 'state.jsonl');

function reopen(path: string, compactSlack?: number): Journal {
  const j = new Journal({ path, ...(compactSlack === undefined ? {} : { compactSlack }) });
  j.open();
  return j;
}

describe('Journal', () => {
  it('once durable() resolves, every put and delete is in the file, and a new instance reads it back', async () => {
    const path = fresh();
    const a = reopen(path);
    a.put('sub:1', { kind: 'imps-watch', n: 1 });
    a.put('sub:2', { kind: 'imps-watch', n: 2 });
    a.put('sub:1', { kind: 'imps-watch', n: 3 });
    a.delete('sub:2');
    await a.durable();
    // No close(): a killed process never closes; what was written is what counts.
    const b = reopen(path);
    assert.deepEqual(b.get('sub:1'), { kind: 'imps-watch', n: 3 });
    assert.equal(b.get('sub:2'), undefined);
    assert.equal(b.size, 1);
    b.close();
    a.close();
  });

  it('group commit: the changes of one turn are one append, each key once, as it stands', async () => {
    const path = fresh();
    const j = reopen(path);
    const header = readFileSync(path, 'utf8');
    const record = { kind: 'imps-watch', n: 0 };
    for (let i = 1; i <= 50; i++) {
      record.n = i;
      j.put('sub:1', record);
    }
    j.put('sub:2', { kind: 'imps-watch' });
    j.put('sub:3', { kind: 'imps-watch' });
    j.delete('sub:3');
    assert.equal(readFileSync(path, 'utf8'), header, 'nothing written before the commit');
    await j.durable();
    const lines = readFileSync(path, 'utf8')
      .slice(header.length)
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(lines, [
      { op: 'put', key: 'sub:1', value: { kind: 'imps-watch', n: 50 } },
      { op: 'put', key: 'sub:2', value: { kind: 'imps-watch' } },
      { op: 'del', key: 'sub:3' },
    ]);
    j.close();
  });

  it('close() writes what is still pending', () => {
    const path = fresh();
    const a = reopen(path);
    a.put('im:1', { kind: 'im' });
    a.close();
    assert.deepEqual(reopen(path).get('im:1'), { kind: 'im' });
  });

  it('starts with a header naming the schema version', () => {
    const path = fresh();
    reopen(path).close();
    assert.equal(readFileSync(path, 'utf8').split('\n')[0], JSON.stringify({ schema: SCHEMA_VERSION }));
  });

  it('ignores a torn last line (killed mid-write) and keeps everything before it', () => {
    const path = fresh();
    const a = reopen(path);
    a.put('im:1', { kind: 'im', text: 'kept' });
    a.close();
    appendFileSync(path, '{"op":"put","key":"im:2","value":{"kind":"im","te');
    const b = reopen(path);
    assert.deepEqual(b.get('im:1'), { kind: 'im', text: 'kept' });
    assert.equal(b.get('im:2'), undefined);
    b.put('im:3', { kind: 'im' });
    b.close();
    assert.ok(reopen(path).get('im:3'), 'appends after a torn line still load');
  });

  it('compacts: the file is rewritten to the live records when dead lines pile up', async () => {
    const path = fresh();
    const j = reopen(path, 10);
    for (let i = 0; i < 100; i++) {
      j.put('sub:x', { kind: 'imps-watch', i });
      await j.durable(); // one commit (one line) per put
    }
    j.close();
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    assert.ok(lines.length <= 12, `${lines.length} lines after 100 puts of one key`);
    assert.deepEqual(reopen(path).get('sub:x'), { kind: 'imps-watch', i: 99 });
  });

  it('migrates a file without a header (schema 0) through every numbered migration', () => {
    const path = fresh();
    reopen(path).close();
    writeFileSync(
      path,
      `${JSON.stringify({ op: 'put', key: 'sub:a', value: { dialog: { callId: 'c1', localSeq: 3 } } })}\n`,
    );
    const j = reopen(path);
    assert.deepEqual(j.get('sub:a'), { kind: 'sub', dialog: { callId: 'c1', localSeq: 3, remoteSeq: null } });
    j.close();
    assert.equal(readFileSync(path, 'utf8').split('\n')[0], JSON.stringify({ schema: SCHEMA_VERSION }));
    assert.deepEqual(
      MIGRATIONS.map((m) => m.from),
      [...Array(SCHEMA_VERSION).keys()],
      'one migration per version step',
    );
  });

  it('a schema-1 file only gets the 1 → 2 migration', () => {
    const path = fresh();
    reopen(path).close();
    writeFileSync(
      path,
      `${JSON.stringify({ schema: 1 })}\n${JSON.stringify({ op: 'put', key: 'x:1', value: { kind: 'sip-watch', dialog: { callId: 'c' } } })}\n`,
    );
    assert.deepEqual(reopen(path).get('x:1'), {
      kind: 'sip-watch',
      dialog: { callId: 'c', remoteSeq: null },
    });
  });

  it('refuses a file from a newer schema rather than misreading it', () => {
    const path = fresh();
    reopen(path).close();
    writeFileSync(path, `${JSON.stringify({ schema: SCHEMA_VERSION + 1 })}\n`);
    assert.throws(() => reopen(path), /newer/);
  });

  it('entries() filters by key prefix', () => {
    const j = reopen(fresh());
    j.put('sub:1', { kind: 'a' });
    j.put('im:1', { kind: 'b' });
    assert.deepEqual(
      j.entries('im:').map(([k]) => k),
      ['im:1'],
    );
    j.close();
  });
});
