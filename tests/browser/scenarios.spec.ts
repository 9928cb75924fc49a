// The scenario launcher: run a scenario from the console, watch its steps tick with the use
// case's step numbers, see it pass, and open its JUnit report and Mermaid ladder. The run starts
// its own nodes on 127.100.x.x, beside the live lab.
import { expect, test } from '@playwright/test';
import { openConsole, shot } from './support/console-page.ts';

test('runs domain2-presence-basic and shows each step pass, then its JUnit report and ladder', async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  await openConsole(page);
  const scenario = page.getByRole('group', { name: 'Scenario domain2-presence-basic' });
  await expect(scenario.getByRole('button', { name: 'Run domain2-presence-basic' })).toBeEnabled();
  await scenario.getByRole('button', { name: 'Run domain2-presence-basic' }).click();
  await expect(scenario.getByRole('status')).toContainText('running');
  // Steps tick as they finish: the first passes while the run goes on.
  await expect(scenario.locator('li[data-step="1"]')).toHaveAttribute('data-status', 'passed', {
    timeout: 30_000,
  });
  await expect(scenario.getByRole('status')).toHaveText(/PASSED/, { timeout: 90_000 });
  const steps = scenario.getByRole('list', { name: 'Steps of domain2-presence-basic' }).locator('li');
  const total = await steps.count();
  expect(total).toBeGreaterThan(10);
  await expect(scenario.locator('li[data-status="passed"]')).toHaveCount(total);
  // Use-case step numbers are shown beside the steps that have one.
  await expect(scenario.locator('li[data-step] strong', { hasText: /^§\d+/ }).first()).toBeVisible();
  await shot(page, 'scenario-run');

  const [junit] = await Promise.all([
    context.waitForEvent('page'),
    scenario.getByRole('link', { name: 'Open its JUnit report' }).click(),
  ]);
  await junit.waitForLoadState();
  const xml = await junit.content();
  expect(xml).toContain('testsuite');
  expect(xml).toContain('domain2-presence-basic');
  expect(xml).not.toContain('<failure');

  const [mermaid] = await Promise.all([
    context.waitForEvent('page'),
    scenario.getByRole('link', { name: 'Open its ladder (Mermaid)' }).click(),
  ]);
  await mermaid.waitForLoadState();
  await expect(mermaid.locator('body')).toContainText('sequenceDiagram');
  await expect(mermaid.locator('body')).toContainText('SUBSCRIBE');
});

test('a scenario that cannot run today says why and cannot be started', async ({ page }) => {
  await openConsole(page);
  const scenario = page.getByRole('group', { name: 'Scenario usecase-teleport' });
  await expect(scenario).toContainText('Not runnable yet: needs teleport');
  await expect(scenario.getByRole('button', { name: 'Run usecase-teleport' })).toBeDisabled();
});
