// The cross-domain use-case scenarios that pass through the IWF, each run for real through the
// runner: PS1, Harry, the IWF, PS2 and Jane (and the visited network for roaming) as separate
// processes on loopback, driven through the terminals' control API. One test per scenario; each
// checks that every step passed, that the IWF is a participant of the diagram, and the JUnit file.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { catalogScenario, relocatedLab, runPassing } from './scenario-harness.ts';

// The lab's topology moved to addresses no other suite uses (127.0.85-89.y).
const lab = relocatedLab('cross-domain', {
  ps1: '127.0.85.1',
  harry: '127.0.85.10',
  ps2: '127.0.87.1',
  jane: '127.0.87.10',
  iwf: '127.0.88.1',
  visited: '127.0.89.1',
});

async function passes(name: string, hops: string[]): Promise<void> {
  const { mermaid } = await runPassing(catalogScenario(name), lab, hops);
  assert.match(mermaid, /participant iwf as IWF/);
}

describe('cross-domain use-case scenarios through the IWF', { concurrency: 1 }, () => {
  it('usecase-normal-flow (§5.3.5 steps 1–7)', () =>
    passes('usecase-normal-flow', [
      'ps1->>iwf: SSP SubscribeRequest',
      'iwf->>ps2: SUBSCRIBE (presence)',
      'ps2->>iwf: NOTIFY (presence)',
      'iwf->>ps1: SSP PresenceNotification',
      'iwf->>ps2: MESSAGE',
    ]));

  it('usecase-alternative-flow (§5.3.6, reactive authorization approved)', () =>
    passes('usecase-alternative-flow', [
      'iwf->>ps2: SUBSCRIBE (presence)',
      'iwf->>ps1: SSP PresenceNotification',
    ]));

  it('usecase-unsubscribe', () =>
    passes('usecase-unsubscribe', ['ps1->>iwf: SSP UnsubscribeRequest', 'iwf->>ps2: SUBSCRIBE (presence)']));

  it('usecase-im-both-ways (delivery reports ⇄ IMDN)', () =>
    passes('usecase-im-both-ways', [
      'ps1->>iwf: SSP SendMessageRequest',
      'iwf->>ps1: SSP DeliveryStatusReport',
      'ps1->>iwf: SSP DeliveryStatusReport',
      'iwf->>ps1: SSP SendMessageRequest',
    ]));

  it('usecase-im-offline (stored both ways, reports at delivery)', () =>
    passes('usecase-im-offline', ['iwf->>ps2: MESSAGE', 'iwf->>ps1: SSP SendMessageRequest']));

  it('usecase-roaming (both users through the visited network)', () =>
    passes('usecase-roaming', ['iwf->>ps2: SUBSCRIBE (presence)', 'iwf->>ps1: SSP PresenceNotification']));
});
