// Domain1 alone (IMPS): Harry (CSP 1.2 XML) and Sally (CSP 1.3 WBXML), entirely from the
// console. Sally subscribes to Harry, Harry authorizes reactively, Sally sees his presence, IM
// both ways; the inspector shows Sally's WBXML as hex beside the XML it decodes to.
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

test('Harry and Sally (Domain1): reactive authorization, presence, IM both ways, WBXML inspector', async ({
  page,
}) => {
  await openConsole(page);
  const harry = await panel(page, 'Harry');
  const sally = await panel(page, 'Sally');
  await expect(harry.getByText('IMPS · CSP 1.2 · XML')).toBeVisible();
  await expect(sally.getByText('IMPS · CSP 1.3 · WBXML')).toBeVisible();
  await login(harry);
  await login(sally);
  await publish(harry, 'at the lab');

  await subscribe(sally, 'wv:harry@domain1.lab');
  await approve(harry, 'wv:sally@domain1.lab');
  const buddy = sally.locator('li[data-target="wv:harry@domain1.lab"]');
  await expect(buddy).toContainText('online');
  await expect(buddy).toContainText('at the lab');

  await publish(harry, 'in a meeting', 'discreet');
  await expect(buddy).toContainText('in a meeting');

  await sendIm(sally, 'wv:harry@domain1.lab', 'Hello Harry');
  await expectReceived(harry, 'wv:sally@domain1.lab', 'Hello Harry');
  await sendIm(harry, 'wv:sally@domain1.lab', 'Hi Sally');
  await expectReceived(sally, 'wv:harry@domain1.lab', 'Hi Sally');

  await filterLadder(page, 'sally@domain1.lab', 'csp');
  await expect(arrow(page, 'sally', 'ps1', /SubscribePresence-Request/).first()).toBeVisible();
  await expect(arrow(page, 'ps1', 'sally', /PresenceNotification-Request/).first()).toBeVisible();
  await expect(arrow(page, 'sally', 'ps1', /SendMessage-Request/).first()).toBeVisible();
  await expect(arrow(page, 'harry', 'ps1', /SendMessage-Request/).first()).toBeVisible();
  await expect(page.locator('#ladder-view g.msg[data-from="jane"]')).toHaveCount(0);

  const inspector = await inspect(page, arrow(page, 'sally', 'ps1', /SubscribePresence-Request/));
  await expect(inspector.getByLabel('WBXML as hex')).toContainText(/^000000 {2}03 /);
  await expect(inspector.getByLabel('Decoded XML')).toContainText('<SubscribePresence-Request>');
  await expect(inspector.getByLabel('Decoded XML')).toContainText('wv:harry@domain1.lab');
  await shot(page, 'domain1-flow');

  await page.getByRole('button', { name: 'Close inspector' }).click();
  await filterLadder(page, '', '');
  await logout(sally);
  await logout(harry);
});
