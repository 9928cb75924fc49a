import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { traceWire, type WireTraceEvent } from '../../../../common/trace.ts';
import {
  followDiagnostics,
  followIpc,
  followLab,
  TraceStore,
} from '../../../../web-ui/server/trace-store.ts';

const event: WireTraceEvent = {
  node: 'jane',
  protocol: 'sip',
  direction: 'tx',
  transport: 'udp',
  local: { address: '127.0.2.10', port: 5060 },
  remote: { address: '127.0.2.1', port: 5060 },
  time: 1,
  bytes: Buffer.from('REGISTER sip:domain2.lab SIP/2.0\r\n\r\n'),
};

test('IPC: the launcher’s trace messages (bytes in base64) and mapping reports; other messages ignored', () => {
  const store = new TraceStore();
  const proc = new EventEmitter();
  const seen: string[] = [];
  store.onChange((c) => seen.push(c.wire ? 'wire' : 'map'));
  const off = followIpc(store, proc);
  proc.emit('message', { type: 'trace', event: { ...event, bytes: event.bytes.toString('base64') } });
  proc.emit('message', { type: 'map', event: { node: 'iwf', time: 2, rows: ['P1'], from: 'a', to: 'b' } });
  proc.emit('message', { type: 'ready' });
  proc.emit('message', { type: 'trace', event: { time: 'x', bytes: 5 } });
  proc.emit('message', null);
  off();
  proc.emit('message', { type: 'trace', event: { ...event, bytes: '' } });
  assert.deepEqual(seen, ['wire', 'map']);
  assert.equal(store.wire[0]?.bytes.toString(), event.bytes.toString());
  assert.deepEqual(store.maps[0]?.rows, ['P1']);
});

test('diagnostics: nodes in the same process are heard while followed', () => {
  const store = new TraceStore();
  const off = followDiagnostics(store);
  traceWire(event);
  off();
  traceWire(event);
  assert.equal(store.wire.length, 1);
});

test('a Lab’s trace array is read as it grows, and again from the start after it shrinks', async () => {
  const store = new TraceStore();
  const lab = { trace: [event] as WireTraceEvent[] };
  const off = followLab(store, lab, 5);
  assert.equal(store.wire.length, 1);
  lab.trace.push({ ...event, time: 2 });
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(store.wire.length, 2);
  lab.trace.length = 0;
  lab.trace.push({ ...event, time: 3 });
  await new Promise((r) => setTimeout(r, 30));
  off();
  assert.deepEqual(
    store.wire.map((e) => e.time),
    [1, 2, 3],
  );
  store.clear();
  assert.equal(store.wire.length, 0);
});
