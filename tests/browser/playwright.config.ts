// The console's browser tests: @playwright/test driving Debian's chromium (/usr/bin/chromium,
// installed by .ci/run; Playwright's own browser download is never used). One lab for the run,
// started by global-setup.ts; screenshots and results go to artifacts/browser/.
import { defineConfig } from '@playwright/test';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: '../../artifacts/browser/test-output',
  timeout: 120_000,
  expect: { timeout: 15_000 },
  workers: 1,
  fullyParallel: false,
  retries: 0,
  globalSetup: './support/global-setup.ts',
  reporter: [['list'], ['json', { outputFile: '../../artifacts/browser/results.json' }]],
  use: {
    browserName: 'chromium',
    // Playwright gives every launch a fresh temporary user-data-dir of its own.
    launchOptions: { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS },
    viewport: { width: 1600, height: 1100 },
    screenshot: 'only-on-failure',
    trace: 'off',
  },
});
