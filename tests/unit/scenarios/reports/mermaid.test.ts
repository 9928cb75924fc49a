import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WireTraceEvent } from '../../../../common/trace.ts';
import { mermaidText, participantLabel, toMermaid } from '../../../../scenarios/reports/mermaid.ts';
import { buildLadder } from '../../../../scenarios/reports/trace-ladder.ts';

const at = (address: string, port = 5060) => ({ address, port });
const book = new Map([
  ['127.0.1.1', 'ps1'],
  ['127.0.3.1', 'iwf'],
  ['127.0.2.1', 'ps2'],
  ['127.0.2.10', 'jane'],
]);

function tx(from: string, to: string, time: number, text: string): WireTraceEvent {
  return {
    node: 'x',
    protocol: 'sip',
    direction: 'tx',
    transport: 'udp',
    local: at(from),
    remote: at(to),
    time,
    bytes: Buffer.from(text.replace(/\n/g, '\r\n')),
  };
}

describe('toMermaid', () => {
  const ladder = buildLadder(
    [
      tx('127.0.2.1', '127.0.2.10', 10, 'NOTIFY sip:jane@x SIP/2.0\nEvent: presence\n\n'),
      tx('127.0.2.10', '127.0.2.1', 11, 'SIP/2.0 200 OK\nCSeq: 1 NOTIFY\n\n'),
      tx('127.0.3.1', '127.0.2.1', 12, 'SUBSCRIBE sip:jane@domain2.lab SIP/2.0\nEvent: presence\n\n'),
    ],
    book,
  );

  it('participants in the given order, then others met; requests solid, answers dashed', () => {
    const text = toMermaid(ladder, {
      participants: [
        { node: 'harry', label: 'Harry' },
        { node: 'ps1', label: 'PS1' },
        { node: 'ps2', label: 'PS2' },
        { node: 'jane', label: 'Jane' },
      ],
    });
    assert.equal(
      text,
      [
        'sequenceDiagram',
        '  participant harry as Harry',
        '  participant ps1 as PS1',
        '  participant ps2 as PS2',
        '  participant jane as Jane',
        '  participant iwf as IWF',
        '  ps2->>jane: NOTIFY (presence)',
        '  jane-->>ps2: 200 OK (NOTIFY)',
        '  iwf->>ps2: SUBSCRIBE (presence)',
        '',
      ].join('\n'),
    );
  });

  it('notes go in time order between the arrows, spanning every participant', () => {
    const text = toMermaid(ladder, {
      notes: [{ time: 11.5, text: 'step 1; Harry subscribes #1' }],
      title: 'run',
    });
    const lines = text.split('\n');
    assert.equal(lines[1], '  title run');
    const note = lines.findIndex((l) => l.includes('Note over'));
    assert.equal(lines[note], '  Note over ps2,iwf: step 1#59; Harry subscribes #35;1');
    assert.match(lines[note - 1] ?? '', /jane-->>ps2/);
    assert.match(lines[note + 1] ?? '', /iwf->>ps2/);
  });

  it('non-SIP arrows carry the protocol; bare addresses become valid ids', () => {
    const csp = buildLadder(
      [
        {
          ...tx('127.0.1.10', '127.0.1.1', 1, 'x'),
          protocol: 'http',
          bytes: Buffer.from('GET /cir HTTP/1.1\r\n\r\n'),
        },
      ],
      book,
    );
    const text = toMermaid(csp);
    assert.match(text, /participant n127_0_1_10 as 127\.0\.1\.10/);
    assert.match(text, /n127_0_1_10->>ps1: HTTP GET \/cir/);
  });

  it('labels and text escaping', () => {
    assert.deepEqual(['ps1', 'iwf', 'jane', 'alice'].map(participantLabel), ['PS1', 'IWF', 'Jane', 'Alice']);
    assert.equal(mermaidText('a;b#c\nd'), 'a#59;b#35;c d');
  });
});
