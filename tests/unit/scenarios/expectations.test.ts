import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WireTraceEvent } from '../../../common/trace.ts';
import {
  describeHopExpectation,
  entryMatches,
  findOnHop,
  matches,
  parseHop,
  seenOnHop,
} from '../../../scenarios/expectations.ts';
import { buildLadder } from '../../../scenarios/reports/trace-ladder.ts';

describe('matches (partial JSON)', () => {
  const event = {
    type: 'presence',
    from: 'sip:jane@domain2.lab',
    presence: { basic: 'open', note: 'In Paris', activities: ['meeting', 'travel'] },
  };
  it('objects by the keys named, arrays in any order, scalars by equality', () => {
    assert.equal(matches({ presence: { basic: 'open' } }, event), true);
    assert.equal(matches({ presence: { activities: ['travel'] } }, event), true);
    assert.equal(matches({ presence: { basic: 'closed' } }, event), false);
    assert.equal(matches({ presence: { activities: ['sleeping'] } }, event), false);
    assert.equal(matches({ presence: { mood: ['happy'] } }, event), false, 'a missing field does not match');
    assert.equal(matches({ presence: 'open' }, event), false);
    assert.equal(matches({}, event), true);
    assert.equal(
      matches(
        [{ state: 'active' }],
        [
          { target: 'a', state: 'pending' },
          { target: 'b', state: 'active' },
        ],
      ),
      true,
    );
    assert.equal(matches({ n: 1 }, { n: '1' }), false);
  });
  it('`~` strings are case-insensitive regular expressions; `$name` reads a remembered value', () => {
    assert.equal(matches({ from: '~^sip:JANE@' }, event), true);
    assert.equal(matches({ from: '~^wv:' }, event), false);
    assert.equal(matches({ from: '~[' }, event), false, 'a bad expression matches nothing');
    assert.equal(matches({ id: '$m1' }, { id: 'abc' }, new Map([['m1', 'abc']])), true);
    assert.equal(matches({ id: '$m1' }, { id: 'abc' }, new Map()), false);
  });
});

const at = (address: string) => ({ address, port: 5060 });
const book = new Map([
  ['127.0.2.1', 'ps2'],
  ['127.0.3.1', 'iwf'],
]);
function tx(src: string, dst: string, time: number, text: string): WireTraceEvent {
  return {
    node: 'n',
    protocol: 'sip',
    direction: 'tx',
    transport: 'udp',
    local: at(src),
    remote: at(dst),
    time,
    bytes: Buffer.from(text.replace(/\n/g, '\r\n')),
  };
}
const ladder = buildLadder(
  [
    tx(
      '127.0.2.1',
      '127.0.3.1',
      10,
      'NOTIFY sip:x SIP/2.0\nEvent: presence\nCSeq: 1 NOTIFY\n\n<basic>closed</basic>',
    ),
    tx('127.0.3.1', '127.0.2.1', 11, 'SIP/2.0 200 OK\nCSeq: 1 NOTIFY\n\n'),
    tx(
      '127.0.2.1',
      '127.0.3.1',
      20,
      'NOTIFY sip:x SIP/2.0\nEvent: presence\nCSeq: 2 NOTIFY\n\n<basic>open</basic>',
    ),
  ],
  book,
);

describe('hop expectations', () => {
  it('parseHop: case-insensitive node names, sender first, unknown nodes refused', () => {
    assert.deepEqual(parseHop(' PS2 -> IWF ', ['ps2', 'iwf']), { from: 'ps2', to: 'iwf' });
    assert.throws(() => parseHop('PS2->Jane', ['ps2', 'iwf']), /no node "jane" in this run \(ps2, iwf\)/);
  });

  it('matches protocol, method (of requests and of responses), status, contains and notContains', () => {
    const [first, ok, second] = ladder;
    assert.ok(first && ok && second);
    const want = { hop: 'PS2->IWF' };
    assert.equal(entryMatches(first, { ...want, protocol: 'sip', method: 'notify' }), true);
    assert.equal(entryMatches(first, { ...want, protocol: 'csp' }), false);
    assert.equal(entryMatches(ok, { ...want, method: 'NOTIFY', status: 200 }), true);
    assert.equal(entryMatches(ok, { ...want, status: 202 }), false);
    assert.equal(
      entryMatches(second, { ...want, contains: ['<basic>open</basic>', 'Event: presence'] }),
      true,
    );
    assert.equal(
      entryMatches(second, { ...want, contains: '<basic>open</basic>', notContains: 'presence' }),
      false,
    );
    assert.equal(entryMatches(first, { ...want, primitive: 'SubscribeRequest' }), false);
  });

  it('findOnHop: only that direction of that hop, at or after the given time', () => {
    const hop = { from: 'ps2', to: 'iwf' };
    assert.equal(findOnHop(ladder, hop, { hop: 'PS2->IWF', method: 'NOTIFY' }, 0).length, 2);
    assert.equal(findOnHop(ladder, hop, { hop: 'PS2->IWF', method: 'NOTIFY' }, 15).length, 1);
    assert.equal(
      findOnHop(ladder, { from: 'iwf', to: 'ps2' }, { hop: 'IWF->PS2', method: 'NOTIFY' }, 0).length,
      1,
    );
    assert.equal(findOnHop(ladder, hop, { hop: 'PS2->IWF', contains: '<basic>open' }, 0)[0]?.time, 20);
  });

  it('descriptions for the step log and the failure message', () => {
    assert.equal(
      describeHopExpectation({
        hop: 'PS2 -> IWF',
        protocol: 'sip',
        method: 'NOTIFY',
        contains: '<basic>open',
        status: 200,
      }),
      'PS2->IWF sip NOTIFY 200 contains "<basic>open"',
    );
    assert.equal(
      describeHopExpectation({ hop: 'A->B', absent: true, notContains: 'x' }),
      'no A->B without "x"',
    );
    assert.equal(
      seenOnHop(ladder, { from: 'ps2', to: 'iwf' }, 0),
      'seen on ps2->iwf: sip NOTIFY (presence); sip NOTIFY (presence)',
    );
    assert.equal(seenOnHop(ladder, { from: 'ps2', to: 'iwf' }, 100), 'nothing crossed ps2->iwf');
  });
});
