// The console itself: topology with each node's health, panels added at runtime, keyboard use
// and labels, the inspector by keyboard, and the lab API's problem bodies as a browser sees them.
import { expect, test } from '@playwright/test';
import { consoleUrl, openConsole, panel, shot } from './support/console-page.ts';

test('topology shows every node of both domains with its health', async ({ page }) => {
  await openConsole(page);
  const d1 = page.getByRole('group', { name: 'Domain domain1.lab' });
  const d2 = page.getByRole('group', { name: 'Domain domain2.lab' });
  for (const node of ['ps1', 'harry', 'sally'])
    await expect(d1.locator(`li[data-node="${node}"]`)).toHaveAttribute('data-health', 'up');
  for (const node of ['ps2', 'jane', 'alice'])
    await expect(d2.locator(`li[data-node="${node}"]`)).toHaveAttribute('data-health', 'up');
  await expect(
    page.getByRole('group', { name: 'Visited network and lab' }).locator('li[data-node="visited"]'),
  ).toHaveAttribute('data-health', 'up');
  await expect(
    page.getByRole('group', { name: 'Interworking' }).locator('li[data-node="iwf"]'),
  ).toHaveAttribute('data-health', /^(up|not-built)$/);
  // Health is said in words as well as colour.
  await expect(d1.locator('li[data-node="ps1"]')).toContainText('up');
});

test('Harry and Jane have panels; more users are added at runtime on either side', async ({ page }) => {
  await openConsole(page);
  await expect(page.getByRole('region', { name: 'Harry', exact: true })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Jane', exact: true })).toBeVisible();
  const sally = await panel(page, 'Sally');
  await expect(sally).toContainText('wv:sally@domain1.lab');
  const alice = await panel(page, 'Alice');
  await expect(alice).toContainText('sip:alice@domain2.lab');
  await expect(page.getByRole('button', { name: 'Add panel' })).toBeDisabled();
});

test('every form control has a label, and the ladder and inspector work from the keyboard', async ({
  page,
}) => {
  await openConsole(page);
  // Evaluated in the page (a string: the test's own type check has no DOM types).
  const unlabelled = await page.evaluate<string[]>(
    `[...document.querySelectorAll('input, select')]
      .filter((el) => el.labels.length === 0 && !el.getAttribute('aria-label'))
      .map((el) => el.outerHTML)`,
  );
  expect(unlabelled).toEqual([]);
  // Log Jane in and out by keyboard: focus the button and press Enter.
  const jane = page.getByRole('region', { name: 'Jane', exact: true });
  await jane.getByRole('button', { name: 'Log in' }).focus();
  await page.keyboard.press('Enter');
  await expect(jane.getByRole('status')).toHaveText(/logged in/);
  const register = page.locator('#ladder-view g.msg[data-from="jane"][data-to="ps2"]').first();
  await expect(register).toBeVisible();
  await register.focus();
  await page.keyboard.press('Enter');
  const inspector = page.getByRole('complementary', { name: 'Inspector' });
  await expect(inspector).toBeVisible();
  await expect(page.getByRole('button', { name: 'Close inspector' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(inspector).toBeHidden();
  await jane.getByRole('button', { name: 'Log out' }).focus();
  await page.keyboard.press('Enter');
  await expect(jane.getByRole('status')).toHaveText('logged out');
  await shot(page, 'console');
});

test('an action the terminal refuses shows its reason in the panel', async ({ page }) => {
  await openConsole(page);
  const harry = page.getByRole('region', { name: 'Harry', exact: true });
  await harry.getByLabel('Password').fill('wrong-password');
  await harry.getByRole('button', { name: 'Log in' }).click();
  await expect(harry.getByRole('alert')).toContainText('login failed');
  await expect(harry.getByRole('alert')).toContainText('TERM_ERR_AUTH_FAILED');
  await expect(harry.getByRole('status')).toHaveText('logged out');
});

test('the lab API answers malformed requests with problem bodies', async ({ request }) => {
  const base = consoleUrl();
  const bad = await request.post(`${base}api/v1/users/jane/login`, { data: { via: 'moon' } });
  expect(bad.status()).toBe(400);
  expect(bad.headers()['content-type']).toBe('application/problem+json');
  expect((await bad.json()).detail).toContain('via');
  const unknown = await request.post(`${base}api/v1/users/jane/shell`, { data: {} });
  expect(unknown.status()).toBe(404);
  const file = await request.get(`${base}app/../../package.json`);
  expect(file.status()).toBe(404);
});

test('roaming: Jane logs in through the visited network', async ({ page }) => {
  await openConsole(page);
  const jane = page.getByRole('region', { name: 'Jane', exact: true });
  await jane.getByLabel('Network').selectOption('visited');
  await jane.getByRole('button', { name: 'Log in' }).click();
  await expect(jane.getByRole('status')).toHaveText('logged in (roaming)', { timeout: 20_000 });
  await page.getByLabel('User', { exact: true }).selectOption('jane@domain2.lab');
  await expect(page.locator('#ladder-view g.msg[data-from="jane"][data-to="visited"]').first()).toBeVisible();
  await expect(page.locator('#ladder-view g.msg[data-from="visited"][data-to="ps2"]').first()).toBeVisible();
  await jane.getByRole('button', { name: 'Log out' }).click();
  await expect(jane.getByRole('status')).toHaveText('logged out', { timeout: 20_000 });
  await jane.getByLabel('Network').selectOption('home');
});
