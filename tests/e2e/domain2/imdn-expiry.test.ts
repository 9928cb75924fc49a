import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { SimpleTerminal } from '../../../domains/simple/client/simple-terminal.ts';
import type { ControlEvent } from '../../../domains/simple/client/terminal-control.ts';
import { type Lab, startLab, waitFor } from './lab.ts';

// A message for a user who never comes back: PS2 keeps it for the configured time, then drops
// it and sends the sender a negative IMDN ("failed"), since the sender asked for one.

describe('PS2 store-and-forward expiry with negative IMDN', () => {
  let lab: Lab;
  let jane: SimpleTerminal;
  const events: ControlEvent[] = [];
  before(async () => {
    lab = await startLab('127.0.9.9', { messageTtlMs: 300 });
    jane = lab.terminal('jane', '127.0.9.90');
    jane.onEvent((e) => events.push(e));
  });
  after(() => lab.stop());

  it('reports failed delivery when the stored message expires', async () => {
    await jane.login({});
    const sent = await jane.sendMessage('sip:dave@domain2.lab', 'are you there?', { deliveryReport: true });
    assert.equal(sent.status, 'stored');
    assert.equal(lab.ps2.messages.pending('sip:dave@domain2.lab').length, 1);
    await waitFor(() => events.some((e) => e.type === 'delivery'), 3000);
    const d = events.find((e) => e.type === 'delivery');
    assert.ok(d && d.type === 'delivery');
    assert.equal(d.id, sent.id);
    assert.equal(d.status, 'failed');
    assert.equal(lab.ps2.messages.pending('sip:dave@domain2.lab').length, 0);
    // Without a delivery request the expiry is silent.
    const quiet = await jane.sendMessage('sip:dave@domain2.lab', 'never mind');
    assert.equal(quiet.status, 'stored');
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(events.filter((e) => e.type === 'delivery').length, 1);
  });
});
