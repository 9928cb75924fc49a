import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addBlock, emptyTally, percentile, summarize } from '../../../../bench/ps2/tally.ts';

describe('bench:ps2 tally', () => {
  it('percentile is nearest-rank on an ascending array', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1); // 1..100
    assert.equal(percentile(sorted, 50), 50);
    assert.equal(percentile(sorted, 99), 99);
    assert.equal(percentile(sorted, 100), 100);
    assert.equal(percentile(sorted, 0), 1);
    assert.equal(percentile([7], 99), 7);
    assert.ok(Number.isNaN(percentile([], 50)));
  });

  it('a block adds its NOTIFYs, its span to the last NOTIFY, its CPU and each latency', () => {
    const t = emptyTally();
    addBlock(t, {
      start: 1000,
      sentAt: new Map([
        ['0/1', 1000],
        ['1/1', 1010],
      ]),
      arrivals: [
        [0, 1, 1030],
        [1, 1, 1050],
        [0, 1, 1500], // the slowest NOTIFY ends the block
      ],
      expected: 4,
      cpuSeconds: 0.2,
    });
    assert.deepEqual(t.latencies, [30, 40, 500]);
    assert.equal(t.notifies, 3);
    assert.equal(t.expected, 4);
    assert.equal(t.seconds, 0.5);
    assert.equal(t.cpuSeconds, 0.2);
  });

  it('blocks sum: the rate is NOTIFYs over the summed block spans, not over the whole run', () => {
    const t = emptyTally();
    for (const start of [0, 10_000]) {
      addBlock(t, {
        start,
        sentAt: new Map([['0/1', start]]),
        arrivals: Array.from({ length: 100 }, (_, k) => [0, 1, start + 10 + k * 10] as const),
        expected: 100,
        cpuSeconds: 0.05,
      });
    }
    const s = summarize(t);
    assert.equal(t.seconds, 2); // 1 s per block (start → 1,000 ms), the 9 s between blocks excluded
    assert.equal(s.rate, 100);
    assert.equal(s.perCpu, 2000);
    assert.equal(s.p50, 500);
    assert.equal(s.p99, 990);
  });

  it('an empty block adds no time; an empty tally summarizes to zero rates and NaN latencies', () => {
    const t = emptyTally();
    addBlock(t, { start: 5, sentAt: new Map(), arrivals: [], expected: 1000, cpuSeconds: 0 });
    const s = summarize(t);
    assert.equal(t.seconds, 0);
    assert.equal(s.rate, 0);
    assert.equal(s.perCpu, 0);
    assert.ok(Number.isNaN(s.p99));
  });

  it('a NOTIFY for a PUBLISH the block never sent is an error, not a zero latency', () => {
    assert.throws(
      () =>
        addBlock(emptyTally(), {
          start: 0,
          sentAt: new Map([['0/1', 0]]),
          arrivals: [[3, 1, 20]],
          expected: 1,
          cpuSeconds: 0,
        }),
      /p3 round 1/,
    );
  });
});
