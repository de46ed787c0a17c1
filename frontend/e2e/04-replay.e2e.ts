import { assert, type E2eScenario } from './harness.ts';

export const scenarios: E2eScenario[] = [
  {
    name: 'a replay runs to completion with its progress bar',
    requires: ['/api/replay', '/api/replay/{id}'],
    async run({ page, consoleUrl, screenshot }) {
      await page.goto(`${consoleUrl}/simulation`);
      await page.click('[data-testid=start-replay]');
      await page.locator('[data-testid=replay-status][data-status=completed]').waitFor({ timeout: 60_000 });
      const progress = await page.locator('[role=progressbar]').getAttribute('aria-valuenow');
      assert(progress === '100', `progress should end at 100, got ${progress}`);
      await page.waitForTimeout(300); // let the bar's width transition finish before the picture
      await screenshot('simulation');
    },
  },
];
