import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WireTraceEvent } from '../../../../common/trace.ts';
import { buildLadder } from '../../../../scenarios/reports/trace-ladder.ts';

const PS2 = { address: '127.0.2.1', port: 5060 };
const JANE = { address: '127.0.2.10', port: 5060 };
const book = new Map([
  ['127.0.2.1', 'ps2'],
  ['127.0.2.10', 'jane'],
]);

const notify = Buffer.from('NOTIFY sip:jane@127.0.2.10 SIP/2.0\r\nEvent: presence\r\nCSeq: 3 NOTIFY\r\n\r\n');
const ok = Buffer.from('SIP/2.0 200 OK\r\nCSeq: 3 NOTIFY\r\n\r\n');

function ev(node: string, direction: 'tx' | 'rx', time: number, bytes: Buffer): WireTraceEvent {
  const [local, remote] = node === 'ps2' ? [PS2, JANE] : [JANE, PS2];
  return { node, protocol: 'sip', direction, transport: 'udp', local, remote, time, bytes };
}

describe('buildLadder', () => {
  it('one entry per crossing: the tx and rx of both ends become one, named by address', () => {
    const ladder = buildLadder(
      [
        ev('jane', 'rx', 2, notify),
        ev('ps2', 'tx', 1, notify),
        ev('jane', 'tx', 3, ok),
        ev('ps2', 'rx', 4, ok),
      ],
      book,
    );
    assert.equal(ladder.length, 2);
    assert.deepEqual(
      ladder.map((e) => [e.index, e.from, e.to, e.summary.label, e.time, e.reportedBy.sort()]),
      [
        [0, 'ps2', 'jane', 'NOTIFY (presence)', 1, ['rx', 'tx']],
        [1, 'jane', 'ps2', '200 OK (NOTIFY)', 3, ['rx', 'tx']],
      ],
    );
  });

  it('a retransmission (same bytes again) stays a second entry', () => {
    const ladder = buildLadder(
      [
        ev('ps2', 'tx', 1, notify),
        ev('jane', 'rx', 2, notify),
        ev('ps2', 'tx', 500, notify),
        ev('jane', 'rx', 501, notify),
      ],
      book,
    );
    assert.equal(ladder.length, 2);
    assert.deepEqual(
      ladder.map((e) => e.time),
      [1, 500],
    );
  });

  it('a message reported by one side only is kept; unknown addresses are shown as they are', () => {
    const lone: WireTraceEvent = {
      node: 'ps2',
      protocol: 'sip',
      direction: 'tx',
      transport: 'udp',
      local: PS2,
      remote: { address: '127.0.9.9', port: 5060 },
      time: 7,
      bytes: notify,
    };
    const [entry] = buildLadder([lone], book);
    assert.equal(entry?.from, 'ps2');
    assert.equal(entry?.to, '127.0.9.9');
    assert.deepEqual(entry?.reportedBy, ['tx']);
  });

  it('the same bytes on different ports are different crossings', () => {
    const other = { ...ev('ps2', 'tx', 2, notify), local: { address: '127.0.2.1', port: 5070 } };
    assert.equal(buildLadder([ev('ps2', 'tx', 1, notify), other], book).length, 2);
  });
});
