// Domain2 alone (SIMPLE): Jane and Alice, entirely from the console. Alice subscribes to Jane,
// Jane approves the pending watcher, Alice sees Jane's presence, IM both ways with delivery
// reports, and the ladder shows each hop through PS2 with the raw SIP in the inspector.
import { expect, test } from '@playwright/test';
import {
  approve,
  arrow,
  expectReceived,
  filterLadder,
  inspect,
  login,
  logout,
  openConsole,
  panel,
  publish,
  sendIm,
  shot,
  subscribe,
} from './support/console-page.ts';

test('Jane and Alice (Domain2): subscribe, authorize, presence, IM both ways, ladder', async ({ page }) => {
  await openConsole(page);
  const jane = await panel(page, 'Jane');
  const alice = await panel(page, 'Alice');
  await login(jane);
  await login(alice);
  await publish(jane, 'In Paris until Friday');

  await subscribe(alice, 'sip:jane@domain2.lab');
  await approve(jane, 'sip:alice@domain2.lab');
  const buddy = alice.locator('li[data-target="sip:jane@domain2.lab"]');
  await expect(buddy).toContainText('active');
  await expect(buddy).toContainText('online');
  await expect(buddy).toContainText('In Paris until Friday');
  await expect(jane.getByRole('list', { name: "Jane's watchers" })).toContainText('sip:alice@domain2.lab');

  await sendIm(alice, 'sip:jane@domain2.lab', 'Hello Jane');
  await expectReceived(jane, 'sip:alice@domain2.lab', 'Hello Jane');
  await sendIm(jane, 'sip:alice@domain2.lab', 'Hi Alice');
  await expectReceived(alice, 'sip:jane@domain2.lab', 'Hi Alice');

  await filterLadder(page, 'alice@domain2.lab', 'sip');
  await expect(arrow(page, 'alice', 'ps2', /^SUBSCRIBE/).first()).toBeVisible();
  await expect(arrow(page, 'ps2', 'jane', /^NOTIFY/).first()).toBeVisible();
  await expect(arrow(page, 'ps2', 'alice', /^NOTIFY/).first()).toBeVisible();
  await expect(arrow(page, 'alice', 'ps2', /^MESSAGE/).first()).toBeVisible();
  await expect(arrow(page, 'ps2', 'jane', /^MESSAGE/).first()).toBeVisible();
  await expect(page.locator('#ladder-view g.msg[data-from="harry"]')).toHaveCount(0);

  const inspector = await inspect(page, arrow(page, 'ps2', 'alice', /^NOTIFY/));
  const head = inspector.getByLabel('Raw message head');
  await expect(head).toContainText(/^NOTIFY sip:\S+ SIP\/2\.0/);
  await expect(head).toContainText('To: <sip:alice@domain2.lab>');
  await expect(inspector.getByLabel('Pretty-printed payload').first()).toContainText('<basic>open</basic>');
  await expect(inspector).toContainText('Reported by');
  await shot(page, 'domain2-flow');

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'pcap' }).click(),
  ]);
  const { readFileSync } = await import('node:fs');
  const pcap = readFileSync(await download.path());
  expect(pcap.readUInt32LE(0)).toBe(0xa1b2c3d4);
  expect(pcap.length).toBeGreaterThan(24 + 16 * 5);

  await page.getByRole('button', { name: 'Close inspector' }).click();
  await filterLadder(page, '', '');

  // Jane revokes Alice: PS2 ends Alice's subscription (RFC 3857 / RFC 6665 reason=deactivated).
  await jane.getByRole('button', { name: 'Revoke sip:alice@domain2.lab' }).first().click();
  // The terminal drops a terminated subscription from its buddy list.
  await expect(buddy).toHaveCount(0);
  await expect(jane.getByRole('list', { name: "Jane's watchers" })).not.toContainText(
    'sip:alice@domain2.lab — active',
  );
  await logout(alice);
  await logout(jane);
});
