import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatDuration,
  formatHeader,
  formatStepLine,
  formatSummary,
} from '../../../../scenarios/reports/step-log.ts';
import type { ScenarioResult } from '../../../../scenarios/reports/step-result.ts';

describe('step log', () => {
  it('one line per step: progress, mark, use case step, title, time', () => {
    const line = formatStepLine(
      {
        index: 4,
        title: 'jane: approve wv:harry@domain1.lab',
        useCaseStep: 2,
        status: 'passed',
        startedAt: 0,
        durationMs: 264,
      },
      12,
    );
    assert.equal(line, '  [ 4/12] ✓ §2 jane: approve wv:harry@domain1.lab (264 ms)');
    assert.equal(
      formatStepLine({ index: 5, title: 'x', status: 'skipped', startedAt: 0, durationMs: 0 }, 9),
      '  [5/9] · x',
    );
  });

  it('a failure carries its detail, indented under the line', () => {
    const line = formatStepLine(
      {
        index: 2,
        title: 'hop',
        status: 'failed',
        startedAt: 0,
        durationMs: 5012,
        error: 'not seen\nseen: NOTIFY',
      },
      3,
    );
    assert.equal(line, '  [2/3] ✗ hop (5.01 s)\n        not seen\n        seen: NOTIFY');
  });

  it('durations, header and summary', () => {
    assert.deepEqual(
      [formatDuration(12.4), formatDuration(1234), formatDuration(61_000)],
      ['12 ms', '1.23 s', '61.0 s'],
    );
    assert.equal(formatHeader('n', 'first line\nsecond', 3), '▶ n (3 steps)\n  first line');
    const r: ScenarioResult = {
      name: 'n',
      status: 'failed',
      startedAt: 0,
      durationMs: 900,
      steps: [
        { index: 1, title: 'a', status: 'passed', startedAt: 0, durationMs: 1 },
        { index: 2, title: 'b', status: 'failed', startedAt: 0, durationMs: 1 },
      ],
    };
    assert.equal(formatSummary(r), '✗ n: step 2 failed — 1/2 steps passed in 900 ms');
    assert.equal(
      formatSummary({ ...r, status: 'passed', steps: [r.steps[0]!] }),
      '✓ n: 1/1 steps passed in 900 ms',
    );
    assert.equal(
      formatSummary({ ...r, steps: [], error: 'lab did not start\nmore' }),
      '✗ n: lab did not start — 0/0 steps passed in 900 ms',
    );
  });
});
