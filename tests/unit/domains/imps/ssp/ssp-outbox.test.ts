// The outbox alone, with a fake sender: immediate while under the in-flight bound, coalesced
// past it, bounded per batch, every transaction sent exactly once, in order.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SspTransaction } from '../../../../../domains/imps/ssp/ssp-model.ts';
import { SspOutbox } from '../../../../../domains/imps/ssp/ssp-outbox.ts';

const tx = (n: number): SspTransaction => ({
  mode: 'Response',
  transactionId: `t${n}`,
  content: { kind: 'Status', status: { code: 200 } },
});

function recorder() {
  const batches: string[][] = [];
  const open: Array<() => void> = [];
  const send = (transactions: SspTransaction[], done: () => void) => {
    batches.push(transactions.map((t) => t.transactionId));
    open.push(done);
  };
  return { batches, open, send };
}

describe('SspOutbox', () => {
  it('sends at once while fewer than maxInFlight POSTs are unacknowledged', () => {
    const r = recorder();
    const box = new SspOutbox(r.send, { maxInFlight: 2, maxBatch: 10 });
    box.push(tx(1));
    box.push(tx(2));
    assert.deepEqual(r.batches, [['t1'], ['t2']]);
    assert.equal(box.posting, 2);
    assert.equal(box.waiting, 0);
  });

  it('coalesces what arrives while the link is busy into the next POST', () => {
    const r = recorder();
    const box = new SspOutbox(r.send, { maxInFlight: 1, maxBatch: 10 });
    for (let i = 1; i <= 5; i++) box.push(tx(i));
    assert.deepEqual(r.batches, [['t1']]);
    assert.equal(box.waiting, 4);
    r.open.shift()!();
    assert.deepEqual(r.batches, [['t1'], ['t2', 't3', 't4', 't5']]);
    assert.equal(box.waiting, 0);
  });

  it('caps a batch at maxBatch and keeps the order', () => {
    const r = recorder();
    const box = new SspOutbox(r.send, { maxInFlight: 1, maxBatch: 3 });
    for (let i = 1; i <= 8; i++) box.push(tx(i));
    while (r.open.length > 0) r.open.shift()!();
    assert.deepEqual(r.batches, [['t1'], ['t2', 't3', 't4'], ['t5', 't6', 't7'], ['t8']]);
    assert.equal(box.posting, 0);
  });

  it('a done called twice frees one slot only', () => {
    const r = recorder();
    const box = new SspOutbox(r.send, { maxInFlight: 1, maxBatch: 1 });
    box.push(tx(1));
    box.push(tx(2));
    box.push(tx(3));
    const first = r.open.shift()!;
    first();
    first();
    assert.deepEqual(r.batches, [['t1'], ['t2']], 'the second call to the same done sent nothing more');
    assert.equal(box.posting, 1);
  });

  it('drain hands back what waits and sends nothing more', () => {
    const r = recorder();
    const box = new SspOutbox(r.send, { maxInFlight: 1, maxBatch: 5 });
    box.push(tx(1));
    box.push(tx(2));
    assert.deepEqual(
      box.drain().map((t) => t.transactionId),
      ['t2'],
    );
    r.open.shift()!();
    assert.deepEqual(r.batches, [['t1']]);
  });
});
