import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KeyQueue } from '../../../../interworking/core/key-queue.ts';

const tick = () => new Promise((r) => setImmediate(r));

describe('KeyQueue', () => {
  it('runs the jobs of one key one at a time, in arrival order', async () => {
    const q = new KeyQueue<string>();
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const a = q.run('k', async () => {
      log.push('a:start');
      await gate;
      log.push('a:end');
      return 1;
    });
    const b = q.run('k', () => {
      log.push('b');
      return 2;
    });
    await tick();
    assert.deepEqual(log, ['a:start'], 'b waits for a');
    release();
    assert.deepEqual(await Promise.all([a, b]), [1, 2]);
    assert.deepEqual(log, ['a:start', 'a:end', 'b']);
  });

  it('runs different keys concurrently', async () => {
    const q = new KeyQueue<string>();
    const log: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const a = q.run('k1', async () => {
      await gate;
      log.push('k1');
    });
    const b = q.run('k2', () => {
      log.push('k2');
    });
    await b;
    assert.deepEqual(log, ['k2'], 'k2 did not wait for k1');
    release();
    await a;
  });

  it('a failing job rejects its own promise only; the next job of the key still runs', async () => {
    const q = new KeyQueue<string>();
    const failed = q.run('k', () => {
      throw new Error('boom');
    });
    const next = q.run('k', () => 'ran');
    await assert.rejects(failed, /boom/);
    assert.equal(await next, 'ran');
  });

  it('forgets a key once its work is done', async () => {
    const q = new KeyQueue<string>();
    await q.run('k', () => undefined);
    await q.idle();
    assert.equal(q.size, 0);
  });
});
