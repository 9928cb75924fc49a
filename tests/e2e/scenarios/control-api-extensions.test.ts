// The use-case scenarios that need the control API's extensions (docs/control-api.md
// "Subscription options", "Buddy lists", and Harry's terminal ending a refused or revoked
// subscription), each run for real through the runner: PS1, the IMPS terminals, the IWF, PS2 and
// the SIMPLE terminals as separate processes on loopback. Each checks that every step passed and
// the hops that show the extension at work on the wire.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseScenario } from '../../../scenarios/scenario-file.ts';
import type { Scenario } from '../../../scenarios/scenario-schema.ts';
import { catalogScenario, relocatedLab, runPassing } from './scenario-harness.ts';

// The lab's topology moved to addresses no other suite uses (127.0.6x.y).
const lab = relocatedLab('control-api-extensions', {
  ps1: '127.0.62.1',
  harry: '127.0.62.10',
  ps2: '127.0.63.1',
  jane: '127.0.63.10',
  iwf: '127.0.64.1',
  visited: '127.0.65.1',
});

/** The catalog's scenario; the extra users of usecase-buddy-lists moved beside the others. */
function scenario(name: string): Scenario {
  const s = catalogScenario(name);
  for (const node of Object.values(s.topology?.add ?? {}) as Array<{ address?: string }>) {
    if (node.address === '127.0.1.11') node.address = '127.0.62.11';
    if (node.address === '127.0.2.11') node.address = '127.0.63.11';
  }
  return s;
}

async function passes(name: string, hops: string[], given?: Scenario): Promise<void> {
  await runPassing(given ?? scenario(name), lab, hops);
}

// Jane's side of the subscription options (no catalog scenario has it): the filter and the Accept
// on her SUBSCRIBE, full state first, then a patch that carries the changed note and not the mood.
const JANE_OPTIONS = `
name: jane-subscription-options
description: Jane's attribute subset and change-only subscription on the wire.
timeoutMs: 8000
topology:
  nodes: [ps2, jane, alice]
  add:
    alice:
      role: jane
      address: 127.0.63.11
      ports: { sip: 5060, control: 8092 }
      user: sip:alice@domain2.lab
  set:
    ps2: { notifyMinIntervalMs: 0 }
actors:
  jane: { password: jane-pw }
  alice: { password: alice-pw }
steps:
  - login: { actor: jane }
  - login: { actor: alice }
  - authorize: { actor: alice, watcher: sip:jane@domain2.lab, decision: approve }
  - setPresence: { actor: alice, presence: { basic: open, note: first, mood: [happy] } }
  - subscribe: { actor: jane, target: sip:alice@domain2.lab, attributes: [note], onlyChanges: true }
  - expect: { hop: Jane->PS2, protocol: sip, method: SUBSCRIBE, contains: ["application/simple-filter+xml", "pidf-diff"] }
  - expect: { hop: PS2->Jane, protocol: sip, method: NOTIFY, contains: "pidf-full" }
  - expectEvent: { actor: jane, type: presence, match: { from: sip:alice@domain2.lab, presence: { note: first } } }
  - expectState: { actor: jane, match: { subscriptions: [{ target: sip:alice@domain2.lab, state: active }] } }
  - setPresence: { actor: alice, presence: { basic: open, note: second, mood: [happy] } }
  - expect: { hop: PS2->Jane, protocol: sip, method: NOTIFY, contains: "second", notContains: [happy, "pidf-full"] }
  - expectEvent: { actor: jane, type: presence, match: { from: sip:alice@domain2.lab, presence: { note: second } } }
  - expectNoEvent: { actor: jane, type: error, forMs: 300 }
`;

describe('use-case scenarios on the control API extensions', { concurrency: 1 }, () => {
  it('usecase-attribute-subsets: attributes + onlyChanges → SubscribePresence subset → RFC 4661 filter', () =>
    passes('usecase-attribute-subsets', [
      'harry->>ps1: CSP SubscribePresence-Request',
      'ps1->>iwf: SSP SubscribeRequest',
      'iwf->>ps2: SUBSCRIBE (presence)',
      'iwf->>ps1: SSP PresenceNotification',
    ]));

  it('usecase-buddy-lists: a contact list (CreateList, AutoSubscribe) and a resource list (XCAP, RLS)', () =>
    passes('usecase-buddy-lists', [
      'harry->>ps1: CSP CreateList-Request',
      'ps1->>iwf: SSP SubscribeRequest',
      'jane->>ps2: SUBSCRIBE (presence)',
      'ps2->>iwf: SUBSCRIBE (presence)',
    ]));

  it('usecase-alternative-flow-deny: the refusal ends Harry’s subscription', () =>
    passes('usecase-alternative-flow-deny', [
      'ps2->>iwf: NOTIFY (presence)',
      'iwf->>ps1: SSP PresenceNotification',
    ]));

  it('usecase-revocation: the revocation ends Harry’s subscription, later changes stay in Domain2', () =>
    passes('usecase-revocation', ['ps2->>iwf: NOTIFY (presence)', 'iwf->>ps1: SSP PresenceNotification']));

  it("Jane's attributes + onlyChanges: RFC 4661 filter and RFC 5263 partial notification from PS2", () => {
    const parsed = parseScenario(JANE_OPTIONS);
    assert.ok(parsed.ok, parsed.ok ? '' : JSON.stringify(parsed.problems));
    return passes(
      'jane-subscription-options',
      ['jane->>ps2: SUBSCRIBE (presence)', 'ps2->>jane: NOTIFY (presence)'],
      parsed.scenario,
    );
  });
});
