import { assert, type E2eScenario } from './harness.ts';

export const scenarios: E2eScenario[] = [
  {
    name: 'stats show one accuracy bar per strategy',
    requires: ['/api/stats'],
    async run({ page, consoleUrl, screenshot }) {
      await page.goto(`${consoleUrl}/stats`);
      await page.locator('lab-accuracy-bars li[data-strategy=truth]').waitFor();
      assert((await page.locator('lab-accuracy-bars li').count()) === 5, 'five strategies');
      assert(Number(await page.locator('[data-kpi=attempts]').textContent()) > 0, 'attempts counted');
      await screenshot('stats');
    },
  },
];
