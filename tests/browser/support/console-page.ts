// What the browser tests do on the console, by clicking and typing as a person would: open it,
// find a user's panel, log in, subscribe, approve, publish, chat, filter and read the ladder.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, type Locator, type Page } from '@playwright/test';

export const SHOTS = fileURLToPath(new URL('../../../artifacts/browser/', import.meta.url));

export function consoleUrl(): string {
  const url = process.env.CONSOLE_URL;
  if (!url) throw new Error('CONSOLE_URL is not set: global-setup.ts starts the lab');
  return url;
}

export async function openConsole(page: Page): Promise<void> {
  await page.goto(consoleUrl());
  await expect(page.locator('#link-status')).toHaveText('live');
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });
}

/** A user's panel; added from "Add a user panel" when it is not shown yet. */
export async function panel(page: Page, name: string, node = name.toLowerCase()): Promise<Locator> {
  const region = page.getByRole('region', { name, exact: true });
  if ((await region.count()) === 0) {
    await page.getByLabel('Add a user panel').selectOption(node);
    await page.getByRole('button', { name: 'Add panel' }).click();
  }
  await expect(region).toBeVisible();
  return region;
}

export async function login(p: Locator): Promise<void> {
  await p.getByRole('button', { name: 'Log in' }).click();
  await expect(p.getByRole('status')).toHaveText(/logged in/, { timeout: 20_000 });
}

export async function logout(p: Locator): Promise<void> {
  await p.getByRole('button', { name: 'Log out' }).click();
  await expect(p.getByRole('status')).toHaveText('logged out', { timeout: 20_000 });
}

export async function publish(p: Locator, note: string, availability = 'available'): Promise<void> {
  await p.getByLabel('Availability', { exact: true }).selectOption(availability);
  await p.getByLabel('Note', { exact: true }).fill(note);
  await p.getByRole('button', { name: 'Publish presence' }).click();
  await expect(p.getByText(`Published: online · ${availability}`)).toBeVisible();
}

export async function subscribe(p: Locator, target: string): Promise<void> {
  await p.getByLabel('Buddy address', { exact: true }).fill(target);
  await p.getByRole('button', { name: 'Subscribe', exact: true }).click();
  await expect(p.locator(`li[data-target="${target}"]`)).toBeVisible();
}

export async function approve(p: Locator, watcher: string): Promise<void> {
  const button = p.getByRole('button', { name: `Approve ${watcher}` });
  await expect(button).toBeVisible({ timeout: 20_000 });
  await button.click();
}

export async function allow(p: Locator, watcher: string): Promise<void> {
  await p.getByLabel('Watcher address', { exact: true }).fill(watcher);
  await p.getByRole('button', { name: 'Allow', exact: true }).click();
  await expect(p.getByRole('list', { name: /watchers/ })).toContainText(watcher);
}

/** Sends an IM and waits until the sender's panel shows it with `status` (e.g. delivered). */
export async function sendIm(p: Locator, to: string, text: string, status = 'delivered'): Promise<void> {
  await p.getByLabel('To', { exact: true }).fill(to);
  await p.getByLabel('Message', { exact: true }).fill(text);
  await p.getByRole('button', { name: 'Send' }).click();
  // A terminal keeps its chat history across logins: the newest matching line is this one.
  const line = p
    .getByRole('list', { name: /messages/ })
    .locator('li.msg-out', { hasText: text })
    .filter({ hasText: `to ${to}` })
    .last();
  await expect(line).toBeVisible();
  await expect(line.locator('.delivery')).toHaveText(status, { timeout: 20_000 });
}

/** The receiver's chat shows `text` from a peer whose address contains `from`. */
export async function expectReceived(p: Locator, from: string, text: string): Promise<void> {
  const line = p
    .getByRole('list', { name: /messages/ })
    .locator('li.msg-in', { hasText: text })
    .filter({ hasText: from })
    .last();
  await expect(line).toContainText('from ', { timeout: 20_000 });
}

/** The ladder filtered to one user; waits for an arrow `from → to` whose label matches. */
export function arrow(page: Page, from: string, to: string, label: RegExp): Locator {
  return page
    .locator(`#ladder-view g.msg[data-from="${from}"][data-to="${to}"]`)
    .filter({ has: page.locator('text', { hasText: label }) });
}

export async function filterLadder(page: Page, user: string, protocol = ''): Promise<void> {
  await page.getByLabel('User', { exact: true }).selectOption(user);
  await page.getByLabel('Protocol', { exact: true }).selectOption(protocol);
}

export async function inspect(page: Page, message: Locator): Promise<Locator> {
  await message.last().click();
  const inspector = page.getByRole('complementary', { name: 'Inspector' });
  await expect(inspector).toBeVisible();
  return inspector;
}
