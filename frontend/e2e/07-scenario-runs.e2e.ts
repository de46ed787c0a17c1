import { assert, eventually, type E2eScenario } from './harness.ts';

export const scenarios: E2eScenario[] = [
  {
    name: 'a seeded run completes and reports each strategy’s accuracy',
    requires: ['/api/simulation/runs', '/api/simulation/runs/{id}', '/api/simulation/scenarios'],
    async run({ page, consoleUrl, screenshot }) {
      await page.goto(`${consoleUrl}/simulation`);
      await page.locator('select[name=run_scenario] option[value=major_drift]').waitFor({ state: 'attached' });
      await page.selectOption('select[name=run_scenario]', 'major_drift');
      await page.fill('input[name=run_seed]', '7');
      await page.fill('input[name=run_seats]', '40');
      await page.fill('input[name=run_attempts_per_seat]', '4');
      await page.fill('input[name=run_spread_ms]', '500');
      await page.click('[data-testid=start-run]');
      await page.locator('[data-testid=run][data-status=completed]').waitFor({ timeout: 60_000 });

      const rows = page.locator('[data-testid=run-report] tbody tr');
      assert((await rows.count()) === 5, 'one report row per strategy');
      const accuracyOf = async (strategy: string) =>
        parseFloat(
          (await page
            .locator(`[data-testid=run-report] tr[data-strategy=${strategy}] td:nth-child(2)`)
            .textContent()) ?? 'NaN',
        );
      const truth = await eventually(() => accuracyOf('truth'), 'the truth row');
      assert(truth === 100, `truth is right by definition, got ${truth}%`);
      // Seconds of skew: the naive server clock hands seats to the wrong customer, NTP correction does not.
      assert(
        (await accuracyOf('server_clock')) < (await accuracyOf('ntp_corrected')),
        'server_clock should be less accurate than ntp_corrected under major_drift',
      );
      await page.locator('[data-testid=run-report]').scrollIntoViewIfNeeded();
      await screenshot('simulation-runs');
    },
  },
];
