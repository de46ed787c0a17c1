import { eventually, type E2eScenario } from './harness.ts';

export const scenarios: E2eScenario[] = [
  {
    name: 'changing an offset moves the NTP chart',
    requires: [
      '/api/simulation/offsets',
      '/api/simulation/offsets/{server_id}',
      '/api/time/status',
      '/api/time/history',
    ],
    async run({ page, consoleUrl, screenshot }) {
      await page.goto(`${consoleUrl}/ntp`);
      const chart = page.locator('[data-testid=offset-chart]');
      await page.locator('tr[data-server=server-1]').waitFor();
      await page.locator('tr[data-server=server-1] button.link-button').click();
      const before = Number(await eventually(() => chart.getAttribute('data-last-configured'), 'a first chart point'));
      const target = before + 321;

      await page.goto(`${consoleUrl}/simulation`);
      const offset = page.locator('tr[data-server=server-1] input[name=offset_ms]');
      await offset.waitFor();
      await offset.fill(String(target));
      await page.locator('tr[data-server=server-1] button', { hasText: 'Apply' }).click();
      await eventually(async () => Number(await offset.inputValue()) === target, 'the offset to be saved');
      await screenshot('simulation-clocks');

      await page.goto(`${consoleUrl}/ntp`);
      await page.locator('tr[data-server=server-1] button.link-button').click();
      await eventually(
        async () => Number(await chart.getAttribute('data-last-configured')) === target,
        `the configured offset line to reach ${target} ms`,
      );
      await screenshot('ntp-chart');
    },
  },
];
