// The IWF's state survives kill -9 (issue 5 point 3): the IWF runs as its own process with a
// journal; a cross-domain subscription (Harry watching Jane) and an IM the IWF had accepted and
// not yet had answered are in flight when it is killed; after a restart the same SIP dialog
// carries Jane's next NOTIFY to PS1, and the IM is delivered — nobody did anything.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { SipUserAgent, StaticRouter, Subscriber } from '../../../domains/simple/sip/core/index.ts';
import { FakePs1, FakePs2, pidf, SECRET, until } from './peers.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'iwf-restart-'));
const stateFile = join(dir, 'iwf-state.jsonl');
const topology = join(dir, 'topology.yaml');
writeFileSync(
  topology,
  `domains:
  domain1.lab: { server: ps1 }
  domain2.lab: { server: ps2 }
nodes:
  ps1: { role: ps1, address: 127.0.91.1, ports: { http: 8081 } }
  ps2: { role: ps2, address: 127.0.92.1, ports: { sip: 5060 } }
  iwf:
    role: iwf
    address: 127.0.93.1
    ports: { sip: 5060, ssp: 8083 }
    sspSecret: ${SECRET}
    stateFile: ${stateFile}
`,
);

const children: ChildProcess[] = [];
async function startIwf(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'interworking/main.ts', topology, 'iwf'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on('data', () => {});
  await until('the IWF process to be ready', () => out.includes('"endpoints"'), 20_000);
  return child;
}

const ps1 = new FakePs1('http://127.0.93.1:8083/ssp');
const jane = new SipUserAgent({
  node: 'jane',
  address: '127.0.94.1',
  port: 5060,
  router: new StaticRouter({ 'domain1.lab': { address: '127.0.93.1', port: 5060 } }),
});

async function harryNotifies(note: string): Promise<void> {
  const r = await ps1.notifyPresence('wv:harry@domain1.lab', {
    onlineStatus: { qualifier: true, presenceValue: 'T' },
    statusText: { qualifier: true, presenceValue: note },
  });
  assert.ok(r.kind === 'Status' && r.status.code === 200, JSON.stringify(r));
}
const ps2 = new FakePs2('127.0.92.1', 5060);

after(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await ps1.close();
  await ps2.stop();
  await jane.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('IWF restart (kill -9)', () => {
  it('keeps both subscriptions on their SIP dialogs and delivers the accepted IM', async (t) => {
    await ps1.listen('127.0.91.1', 8081);
    await ps2.start();
    const first = await startIwf();

    const subscribed = await ps1.subscribe('wv:harry@domain1.lab');
    assert.equal(subscribed.kind === 'Status' && subscribed.status.code, 200);
    await until('the first PresenceNotification', () => ps1.notes().includes('before'));
    const dialog = ps2.subscriptions[0]!.dialog.state;

    // The reverse direction: Jane watches Harry through the IWF, PS1 has notified her once.
    await jane.start();
    const janeNotes: string[] = [];
    const janeSub = new Subscriber(jane, {
      target: 'sip:harry@domain1.lab',
      from: 'sip:jane@domain2.lab',
      event: 'presence',
      expires: 600,
    });
    janeSub.on('notify', (n) =>
      janeNotes.push(/<(?:[a-z]+:)?note>([^<]*)</.exec(n.body.toString())?.[1] ?? n.state.state),
    );
    assert.equal((await janeSub.subscribe()).status, 200);
    await until('the SubscribeRequest at PS1', () => ps1.subscribes[0]);
    await harryNotifies('at the lab');
    await until('Jane’s NOTIFY', () => janeNotes.includes('at the lab'));
    const janeDialog = janeSub.dialog!.id;

    // An IM the IWF accepts; PS2 does not answer it before the IWF dies.
    ps2.holdMessages = true;
    const pending = ps1
      .sendMessage('wv:harry@domain1.lab', 'kept across the restart', {
        message: { messageId: 'm-restart-1' },
      })
      .catch((e: Error) => e);
    await until('the MESSAGE at PS2', () => ps2.texts().includes('kept across the restart'));
    const journal = readFileSync(stateFile, 'utf8');
    assert.match(journal, /"kind":"imps-watch"/);
    assert.match(journal, /kept across the restart/);

    first.kill('SIGKILL');
    await until('the IWF to die', () => first.exitCode !== null || first.signalCode !== null);
    ps2.holdMessages = false;
    const restartedAt = Date.now();
    await startIwf();
    t.diagnostic(`restarted IWF ready in ${Date.now() - restartedAt} ms`);

    // The restarted IWF resends the IM it had accepted …
    await until('the IM resent after the restart', () =>
      ps2.texts().filter((t) => t === 'kept across the restart').length >= 2 ? true : undefined,
    );
    t.diagnostic(`accepted IM resent ${Date.now() - restartedAt} ms after the restart began`);
    // … and refreshes its subscription inside the same dialog (same Call-ID, higher CSeq).
    assert.equal(ps2.subscriptions.length, 1, 'no new subscription: the old dialog was resumed');
    assert.equal(ps2.subscriptions[0]!.dialog.state.callId, dialog.callId);
    assert.equal(ps2.subscriptions[0]!.state, 'active');

    ps2.note = 'after the restart';
    await ps2.subscriptions[0]!.notify({
      body: pidf('after the restart'),
      contentType: 'application/pidf+xml',
    });
    await until('the NOTIFY after the restart at PS1', () => ps1.notes().includes('after the restart'));
    const last = ps1.notifications.at(-1)!;
    assert.deepEqual(last.recipients, ['wv:harry@domain1.lab']);
    assert.equal(last.presences[0]?.userId, 'wv:jane@domain2.lab');
    assert.ok((await pending) instanceof Error, 'the first IWF never answered the IM it was killed with');

    // Jane's subscription to Harry: the IWF subscribed again at PS1 for her, and PS1's next
    // notification reaches her on the dialog she had before the restart.
    await until('the SubscribeRequest again after the restart', () => ps1.subscribes[1]);
    assert.equal(ps1.subscribes[1]!.meta.userId, 'wv:jane@domain2.lab');
    await harryNotifies('after the restart too');
    await until('Jane’s NOTIFY after the restart', () => janeNotes.includes('after the restart too'));
    assert.equal(janeSub.dialog!.id, janeDialog);
    assert.equal((await janeSub.refresh(600))?.status, 200, 'the restarted IWF knows her dialog');
    janeSub.terminate({ reason: 'deactivated' });
  });
});
