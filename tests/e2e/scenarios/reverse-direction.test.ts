// The reverse-direction use case run for real through the runner: Jane (SIMPLE) watches Harry
// (IMPS) through PS2 and the IWF, once with a CSP 1.2 XML client and once with CSP 1.3 WBXML.
// PS2 record-routes Jane's SUBSCRIBE, so the IWF's NOTIFYs come back through PS2 (RFC 3261
// §16.6 step 4) — the diagram must show the hops IWF→PS2 and PS2→Jane for NOTIFY, never
// IWF→Jane.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { catalogScenario, relocatedLab, runPassing } from './scenario-harness.ts';

// The lab's topology moved to addresses no other suite uses (127.0.105-109.y).
const lab = relocatedLab('reverse-direction', {
  ps1: '127.0.105.1',
  harry: '127.0.105.10',
  ps2: '127.0.107.1',
  jane: '127.0.107.10',
  iwf: '127.0.108.1',
  visited: '127.0.109.1',
});

async function passes(name: string): Promise<void> {
  const { mermaid } = await runPassing(catalogScenario(name), lab, [
    'jane->>ps2: SUBSCRIBE (presence)',
    'ps2->>iwf: SUBSCRIBE (presence)',
    'iwf->>ps1: SSP SubscribeRequest',
    'ps1->>iwf: SSP PresenceNotification',
    'iwf->>ps2: NOTIFY (presence)',
    'ps2->>jane: NOTIFY (presence)',
  ]);
  const arrows = mermaid.split('\n').map((l) => l.trim());
  // On the dialog's path: the IWF never notifies Jane directly, nor does Jane answer it directly.
  assert.ok(!arrows.includes('iwf->>jane: NOTIFY (presence)'), 'no NOTIFY straight from the IWF to Jane');
  assert.ok(!arrows.some((a) => a.startsWith('jane-->>iwf:')), 'no response straight from Jane to the IWF');
}

describe('reverse-direction use case: Jane watches Harry through PS2 and the IWF', { concurrency: 1 }, () => {
  it('usecase-reverse-csp12 (Harry on CSP 1.2, XML)', () => passes('usecase-reverse-csp12'));
  it('usecase-reverse-csp13 (Harry on CSP 1.3, WBXML)', () => passes('usecase-reverse-csp13'));
});
