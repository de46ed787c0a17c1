// The browser suite (`npm run e2e -w frontend`): @playwright/test driving Debian's
// Chromium (never a downloaded browser) against the real backend, one worker
// because the machine is small and the tests share one lab per worker.
import { defineConfig } from '@playwright/test';
import { join } from 'node:path';
import { CHROMIUM_PATH } from './e2e/support/fixtures';
import { CHROMIUM_FLAGS } from './e2e/support/lab-backend';

const artifacts = join(__dirname, 'test-artifacts');

export default defineConfig({
  testDir: './e2e',
  testMatch: /\.e2e\.ts$/,
  globalSetup: './e2e/global-setup.ts',
  outputDir: join(artifacts, 'results'),
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [
    ['list'],
    // scripts/run-tests.mjs sums these counts into the repository's closing line.
    ['json', { outputFile: process.env['E2E_RESULT_FILE'] ?? join(artifacts, 'results.json') }],
  ],
  use: {
    browserName: 'chromium',
    viewport: { width: 1440, height: 900 },
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_FLAGS,
    },
  },
});
