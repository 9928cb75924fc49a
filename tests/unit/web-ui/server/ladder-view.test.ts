import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { MappingTraceEvent, WireTraceEvent } from '../../../../common/trace.ts';
import { buildLadder } from '../../../../scenarios/reports/trace-ladder.ts';
import { attachMappings, ladderRows, readMappingRows } from '../../../../web-ui/server/ladder-view.ts';

const book = new Map([
  ['127.0.3.1', 'iwf'],
  ['127.0.2.1', 'ps2'],
  ['127.0.1.1', 'ps1'],
]);
const iwf = { address: '127.0.3.1', port: 5060 };
const ps2 = { address: '127.0.2.1', port: 5060 };

function sipTx(time: number, text: string): WireTraceEvent {
  return {
    node: 'iwf',
    protocol: 'sip',
    direction: 'tx',
    transport: 'udp',
    local: iwf,
    remote: ps2,
    time,
    bytes: Buffer.from(text),
  };
}
const SUBSCRIBE =
  'SUBSCRIBE sip:jane@domain2.lab SIP/2.0\r\nFrom: <sip:harry@domain1.lab>\r\nCSeq: 1 SUBSCRIBE\r\n\r\n';
const MESSAGE = 'MESSAGE sip:jane@domain2.lab SIP/2.0\r\nCSeq: 2 MESSAGE\r\n\r\n';

test('a mapping report goes to the first message its node sent after it, preferring the kind it names', () => {
  const trace = [sipTx(1000, SUBSCRIBE), sipTx(1002, MESSAGE)];
  const entries = buildLadder(trace, book);
  const maps: MappingTraceEvent[] = [
    { node: 'iwf', time: 999, rows: ['S1', 'A1'], from: 'SubscribeRequest', to: 'SUBSCRIBE' },
    { node: 'iwf', time: 1000, rows: ['M3'], from: 'SendMessageRequest', to: 'MESSAGE' },
    { node: 'iwf', time: 5000, rows: ['late'], from: 'x', to: 'y' },
    { node: 'ps2', time: 999, rows: ['other-node'], from: 'x', to: 'SUBSCRIBE' },
  ];
  assert.deepEqual(attachMappings(entries, maps), [['S1', 'A1'], ['M3']]);
});

test('ladder rows name the users each message mentions and carry the rows', () => {
  const { rows } = ladderRows(
    [sipTx(1000, SUBSCRIBE)],
    [{ node: 'iwf', time: 1000, rows: ['S1'], from: '', to: '' }],
    book,
    ['harry@domain1.lab', 'jane@domain2.lab', 'alice@domain2.lab'],
  );
  assert.equal(rows.length, 1);
  assert.deepEqual(rows[0]?.users, ['harry@domain1.lab', 'jane@domain2.lab']);
  assert.equal(rows[0]?.from, 'iwf');
  assert.equal(rows[0]?.to, 'ps2');
  assert.equal(rows[0]?.method, 'SUBSCRIBE');
  assert.deepEqual(rows[0]?.rows, ['S1']);
});

test('mapping rows are read from the Markdown tables of docs/mapping.md', () => {
  const path = join(tmpdir(), `mapping-${process.pid}.md`);
  writeFileSync(
    path,
    '| row | IMPS | SIMPLE |\n|---|---|---|\n| A1 | wv:user@domain | sip:user@domain |\n| P4 | `DISCREET` | &lt;rpid:busy/> |\nnot a row\n',
  );
  const rows = readMappingRows(path);
  assert.deepEqual(rows.get('A1')?.cells, ['wv:user@domain', 'sip:user@domain']);
  assert.deepEqual(rows.get('P4')?.cells, ['DISCREET', '<rpid:busy/>']);
  assert.equal(rows.size, 2);
  assert.equal(readMappingRows(join(tmpdir(), 'no-such-file.md')).size, 0);
});
