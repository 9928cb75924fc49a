// Reading a finished SIPp run the way the interop suites check it: passed or not (with the command,
// SIPp's own errors and the tail of its message log in the failure, so a red test says why), and
// the messages SIPp logged as received (-trace_msg), in order.
import assert from 'node:assert/strict';
import type { SippResult } from '../../support/sipp.ts';

/** Asserts SIPp exited 0 (every call of the scenario succeeded, sipp(1)). */
export function expectPass(r: SippResult, label: string): void {
  assert.equal(
    r.exitCode,
    0,
    [
      `${label}: sipp exit ${r.exitCode}${r.killed ? ' (killed by hard timeout)' : ''}`,
      r.command,
      r.stderr.slice(-1500),
      r.errors().slice(-2000),
      r.messages().slice(-5000),
    ].join('\n'),
  );
}

const RECEIVED = /message received \[\d+\] bytes :\n\n/;

/** The start lines of the messages SIPp received, in order. */
export function receivedStartLines(r: SippResult): string[] {
  return [...r.messages().matchAll(/message received \[\d+\] bytes :\n\n([^\r\n]+)/g)].map((m) => m[1]!);
}

/** The received messages (start line, headers, body), in order. */
export function receivedMessages(r: SippResult): string[] {
  return r
    .messages()
    .split(/-{10,}[^\n]*\n/)
    .filter((block) => RECEIVED.test(block))
    .map((block) => block.replace(/^.*message received \[\d+\] bytes :\n\n/s, ''));
}
