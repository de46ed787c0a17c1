import { expect, test } from './support/fixtures';

test('a replay runs to completion with its progress bar', async ({ page, lab }) => {
  await lab.operator.signIn(page);
  await page.goto('/simulation');
  await page.click('[data-testid=start-replay]');
  await expect(page.locator('[data-testid=replay-status][data-status=completed]')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole('progressbar', { name: 'Replay progress' })).toHaveAttribute('aria-valuenow', '100');
  await expect(page.locator('[data-testid=replay-status]')).toContainText(/Done: [\d,]+ events replayed/);
});

test('a seeded run reports each ordering’s accuracy, and its inversions open down to a seat timeline', async ({
  page,
  lab,
}) => {
  await lab.operator.signIn(page);
  await page.goto('/simulation');
  await expect(page.locator('select[name=run_scenario] option[value=major_drift]')).toBeAttached();
  await page.selectOption('select[name=run_scenario]', 'major_drift');
  await page.fill('input[name=run_seed]', '11');
  await page.fill('input[name=run_seats]', '40');
  await page.fill('input[name=run_attempts_per_seat]', '4');
  await page.fill('input[name=run_spread_ms]', '500');
  await page.click('[data-testid=start-run]');
  await expect(page.locator('[data-testid=run][data-status=completed]')).toBeVisible({ timeout: 60_000 });

  const rows = page.locator('[data-testid=run-report] tbody tr');
  await expect(rows).toHaveCount(5);
  const accuracyOf = async (strategy: string) =>
    parseFloat(
      (await page.locator(`[data-testid=run-report] tr[data-strategy=${strategy}] td`).first().textContent()) ?? 'NaN',
    );
  expect(await accuracyOf('truth')).toBe(100);
  expect(await accuracyOf('server_clock')).toBeLessThan(await accuracyOf('ntp_corrected'));
  const inversions = Number((await page.locator('[data-kpi=run-inversions]').textContent())?.replace(/,/g, ''));
  expect(inversions).toBeGreaterThan(0);

  await page.locator('[data-testid=open-run-inversions]').click();
  await expect(page).toHaveURL(/\/runs\/[^/?]+\?kind=inversion/);
  await expect(page.locator('h1')).toContainText('Seeded run');
  await expect(page.locator('[data-kpi=inversions]')).toHaveText(String(inversions));
  const conflictRows = page.locator('tr.row');
  await expect(conflictRows.first()).toBeVisible();
  expect(await conflictRows.count()).toBe(Math.min(inversions, 100));
  await conflictRows.first().locator('a[data-testid=timeline-link]').click();
  await expect(page).toHaveURL(/seat=\d+/);
  await expect(page.locator('[data-testid=seat-timeline] g.row[data-row=server_clock].inverted')).toBeVisible();
});
