import { assert, eventually, type E2eScenario } from './harness.ts';

export const scenarios: E2eScenario[] = [
  {
    name: 'backend down: the console says so, then recovers without a reload',
    requires: ['/health', '/api/seats'],
    async run({ page, consoleUrl, screenshot, stopBackend, startBackend }) {
      await page.goto(`${consoleUrl}/seats`);
      await page.locator('[data-seat="1"]').waitFor();
      const indicator = page.locator('lab-live-indicator [role=status]');
      await eventually(async () => (await indicator.getAttribute('data-status')) !== 'disconnected', 'connected');
      await page.evaluate(() => ((window as unknown as { noReloadMarker: boolean }).noReloadMarker = true));

      await stopBackend();
      await page.locator('[data-testid=outage]').waitFor({ timeout: 15_000 });
      assert((await indicator.getAttribute('data-status')) === 'disconnected', 'indicator says disconnected');
      await screenshot('outage');

      await startBackend();
      await page.locator('[data-testid=outage]').waitFor({ state: 'detached', timeout: 20_000 });
      await eventually(async () => (await indicator.getAttribute('data-status')) === 'live', 'live again', 20_000);
      const sameDocument = await page.evaluate(
        () => (window as unknown as { noReloadMarker?: boolean }).noReloadMarker === true,
      );
      assert(sameDocument, 'the page must not have reloaded');
    },
  },
];
