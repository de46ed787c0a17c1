import { expect, test } from './support/fixtures';

interface TimeStatus {
  reference_time_ms: number;
}
interface HistoryEntry {
  kind: string;
  scenario: string | null;
  reference_time_ms: number;
}

test('"Show me an inversion" from a fresh lab ends on the timeline with the crossing lines, in under 10 s of lab time', async ({
  page,
  lab,
  saveScreenshot,
}) => {
  await lab.operator.signIn(page);
  await page.goto('/seats');
  await page.locator('[data-testid=show-inversion]').click();

  const narration = page.locator('[data-testid=guide-narration] li');
  await expect(narration.first()).toContainText('Applying extreme_drift');
  const timeline = page.locator('[data-testid=seat-timeline]');
  await expect(timeline.locator('g.row.inverted[data-row=server_clock]')).toBeVisible({ timeout: 10_000 });
  await expect(narration.last()).toContainText('the seat goes to Ana by NTP-corrected time');
  const labNow = (await lab.api.get<TimeStatus[]>('/api/time/status'))[0].reference_time_ms;

  // The lines cross: on the server-clock row Bob is left of Ana, on the true-time row right of her.
  const xOf = async (row: string, rank: number) =>
    Number(await timeline.locator(`g.row[data-row=${row}] g.mark[data-rank="${rank}"] circle`).getAttribute('cx'));
  const attemptAt = (row: string, rank: number) =>
    timeline.locator(`g.row[data-row=${row}] g.mark[data-rank="${rank}"]`).getAttribute('data-attempt');
  expect(await attemptAt('server_clock', 1)).toBe(await attemptAt('truth', 2));
  expect(await attemptAt('server_clock', 2)).toBe(await attemptAt('truth', 1));
  expect(await xOf('server_clock', 1)).toBeLessThan(await xOf('server_clock', 2));
  await expect(timeline.locator('[data-testid=timeline-description]')).toContainText('the lines cross');

  // Lab time: from the scenario's clock configuration in the log to the crossing on screen.
  const history = await lab.api.get<HistoryEntry[]>('/api/time/history?limit=200');
  const applied = history.filter((entry) => entry.kind === 'configured' && entry.scenario === 'extreme_drift').at(-1);
  expect(applied).toBeDefined();
  const labSeconds = (labNow - applied!.reference_time_ms) / 1000;
  console.log(`guided inversion: ${labSeconds.toFixed(1)} s of lab time from applying the scenario to the crossing`);
  expect(labSeconds).toBeLessThan(10);
  await saveScreenshot('timeline-inversion', timeline);
  await saveScreenshot('guided-inversion', page);
});

test('an inversion is an alert on every screen, dismissible, and its conflict links to the seat timeline', async ({
  page,
}) => {
  await page.goto('/stats');
  const alert = page.locator('[data-testid=alert-bar] li[data-kind=inversion]').first();
  await expect(alert).toBeVisible();
  await page.goto('/conflicts');
  await expect(alert).toBeVisible();
  const seatLink = alert.locator('a');
  const seatId = (await seatLink.textContent())?.match(/\d+/)?.[0];
  await alert.getByRole('button', { name: /Dismiss/ }).click();
  await expect(page.locator('[data-testid=alert-bar]')).toContainText('dismissed');

  await page.selectOption('select[name=kind]', 'inversion');
  const row = page.locator(`tr.row[data-seat="${seatId}"]`).first();
  await row.locator('button.expander').press('Enter');
  await expect(page.locator('[data-testid=witness-legend]')).toBeVisible();
  await row.locator('a[data-testid=timeline-link]').click();
  await expect(page).toHaveURL(new RegExp(`/seats\\?seat=${seatId}$`));
  await expect(page.locator('[data-testid=seat-timeline] h2')).toHaveText(`Seat ${seatId} timeline`);
});
