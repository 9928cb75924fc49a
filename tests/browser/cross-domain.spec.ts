// Across the domains, through the IWF: the use case's reactive-authorization flow (§5.3.6) and
// normal flow (§5.3.5), entirely by clicking: Harry subscribes to Jane, Jane approves (or has
// allowed him beforehand), Harry sees Jane online, Harry sends an IM, Jane reads it and replies;
// the ladder shows Harry → PS1 → IWF → PS2 → Jane. These run only once the lab has an IWF role.
import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import {
  allow,
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
  SHOTS,
  sendIm,
  shot,
  subscribe,
} from './support/console-page.ts';

const ROLES_FILE = new URL('../../lab/roles/index.ts', import.meta.url);
const hasIwf = /^\s*iwf\s*:/m.test(readFileSync(ROLES_FILE, 'utf8'));

async function expectCrossDomainHops(page: Page): Promise<void> {
  await filterLadder(page, 'harry@domain1.lab');
  await expect(arrow(page, 'harry', 'ps1', /SubscribePresence-Request/).first()).toBeVisible();
  await expect(arrow(page, 'ps1', 'iwf', /SubscribeRequest/).first()).toBeVisible();
  await expect(arrow(page, 'iwf', 'ps2', /^SUBSCRIBE/).first()).toBeVisible();
  await expect(arrow(page, 'ps2', 'iwf', /^NOTIFY/).first()).toBeVisible();
  await expect(arrow(page, 'iwf', 'ps1', /PresenceNotification/).first()).toBeVisible();
  await expect(arrow(page, 'ps1', 'harry', /PresenceNotification-Request/).first()).toBeVisible();
  await expect(arrow(page, 'ps1', 'iwf', /SendMessageRequest/).first()).toBeVisible();
  await expect(arrow(page, 'iwf', 'ps2', /^MESSAGE/).first()).toBeVisible();
  await expect(arrow(page, 'ps2', 'jane', /^MESSAGE/).first()).toBeVisible();
}

if (!hasIwf) {
  console.log(
    'cross-domain browser flows not run: lab/roles/index.ts has no `iwf` role yet (the IWF is not part of the lab)',
  );
} else {
  test.describe
    .serial('Harry (IMPS) and Jane (SIMPLE) across the IWF', () => {
      test('reactive authorization (§5.3.6): Jane approves Harry when he asks', async ({ page }) => {
        await openConsole(page);
        const harry = await panel(page, 'Harry');
        const jane = await panel(page, 'Jane');
        await login(jane);
        await publish(jane, 'In Paris until Friday');
        await login(harry);

        await subscribe(harry, 'wv:jane@domain2.lab');
        await approve(jane, 'sip:harry@domain1.lab');
        const buddy = harry.locator('li[data-target="wv:jane@domain2.lab"]');
        await expect(buddy).toContainText('online', { timeout: 20_000 });
        await expect(buddy).toContainText('In Paris until Friday');

        await sendIm(harry, 'wv:jane@domain2.lab', 'Hello Jane, fancy lunch?');
        await expectReceived(jane, 'harry@domain1.lab', 'Hello Jane, fancy lunch?');
        await sendIm(jane, 'sip:harry@domain1.lab', 'Yes, at noon');
        await expectReceived(harry, 'jane@domain2.lab', 'Yes, at noon');

        await expectCrossDomainHops(page);
        const inspector = await inspect(page, arrow(page, 'iwf', 'ps2', /^SUBSCRIBE/));
        await expect(inspector.getByLabel('Raw message head')).toContainText('From: <sip:harry@domain1.lab>');
        // The IWF reported which rows of docs/mapping.md produced this SUBSCRIBE.
        const rows = inspector.getByRole('table', { name: 'Mapping rows' }).locator('tr');
        await expect(rows.first()).toBeVisible();
        await expect(rows.first().locator('th')).toHaveText(/^[A-Z]{1,3}\d{1,3}$/);
        await expect(rows.first().locator('td')).not.toHaveText('—');
        await shot(page, 'cross-domain-reactive');
        // The README's picture: the top of the console (topology, both panels) after the flow.
        await page.evaluate('window.scrollTo(0, 0)');
        await page.screenshot({ path: `${SHOTS}console-overview.png` });
        await page.getByRole('button', { name: 'Close inspector' }).click();
        await filterLadder(page, '');
        await logout(harry);
        await logout(jane);
      });

      test('normal flow (§5.3.5): Jane allows Harry first, he sees her at once', async ({ page }) => {
        await openConsole(page);
        await page.getByRole('button', { name: 'Clear trace' }).click();
        const harry = await panel(page, 'Harry');
        const jane = await panel(page, 'Jane');
        await login(jane);
        await allow(jane, 'sip:harry@domain1.lab');
        await publish(jane, 'Back in the office');
        await login(harry);

        await subscribe(harry, 'wv:jane@domain2.lab');
        const buddy = harry.locator('li[data-target="wv:jane@domain2.lab"]');
        await expect(buddy).toContainText('online', { timeout: 20_000 });
        await expect(buddy).toContainText('Back in the office');
        await expect(jane.getByRole('list', { name: "Jane's pending authorizations" })).toContainText('none');

        await sendIm(harry, 'wv:jane@domain2.lab', 'Hello again Jane');
        await expectReceived(jane, 'harry@domain1.lab', 'Hello again Jane');
        await sendIm(jane, 'sip:harry@domain1.lab', 'Hello Harry');
        await expectReceived(harry, 'jane@domain2.lab', 'Hello Harry');

        await expectCrossDomainHops(page);
        await shot(page, 'cross-domain-normal');
        await filterLadder(page, '');
        await logout(harry);
        await logout(jane);
      });
    });
}
