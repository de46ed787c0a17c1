import type { Page } from '@playwright/test';
import { expect, test } from './support/fixtures';

interface TimeStatus {
  server_id: string;
  reference_time_ms: number;
  true_offset_ms: number;
}

/** Where the chart drew each dataset's points (x pixels), written on the canvas by the chart itself. */
async function pointXs(page: Page, chart: string): Promise<number[][]> {
  const canvas = page.locator(`[data-testid=${chart}] canvas`);
  await expect(canvas).toHaveAttribute('data-point-x', /\d/);
  return JSON.parse((await canvas.getAttribute('data-point-x')) ?? '[]') as number[][];
}

test('the NTP chart’s x axis is time: points 4 s and 4 min apart are drawn at proportional distances', async ({
  page,
  lab,
}) => {
  const statuses = await lab.api.get<TimeStatus[]>('/api/time/status');
  const t0 = statuses[0].reference_time_ms - 10 * 60_000;
  // The one faked answer in the suite: four minutes of history cannot be waited for in a test. It is the
  // backend's own entries, moved to chosen times; statuses come from the real backend, pinned to after them.
  const entry = (atMs: number, trueOffsetMs: number) => ({
    server_id: 'server-1',
    kind: 'synchronized',
    at: new Date(atMs).toISOString(),
    reference_time_ms: atMs,
    true_offset_ms: trueOffsetMs,
    estimated_offset_ms: trueOffsetMs,
    error_bound_ms: 1,
    offset_ms: -trueOffsetMs,
    delay_ms: 2,
    drift_ppm: null,
    scenario: null,
    log_position: String(atMs),
  });
  const times = [t0, t0 + 4_000, t0 + 4_000 + 240_000];
  await page.route('**/api/time/history**', (route) =>
    route.fulfill({ json: times.map((at, index) => entry(at, 100 + index)) }),
  );
  await page.route('**/api/time/status**', async (route) => {
    // The console cancels a poll it no longer needs (switchMap): its response is then disposed mid-read.
    const real = await route
      .fetch()
      .then((response) => response.json() as Promise<TimeStatus[]>)
      .catch(() => null);
    if (real === null) return route.abort().catch(() => undefined);
    await route.fulfill({ json: real.map((status) => ({ ...status, reference_time_ms: times[2] })) });
  });
  await page.goto('/ntp');
  await page.locator('tr[data-server=server-1] th button').click();
  const [trueOffset] = await pointXs(page, 'offset-chart');
  expect(trueOffset).toHaveLength(3);
  const shortGap = trueOffset[1] - trueOffset[0];
  const longGap = trueOffset[2] - trueOffset[1];
  expect(shortGap).toBeGreaterThan(0);
  // 240 s / 4 s = 60: a category axis would draw both gaps the same width.
  expect(longGap / shortGap).toBeGreaterThan(55);
  expect(longGap / shortGap).toBeLessThan(65);
});

test('changing an offset moves the NTP chart, and the drift view shows the clock moving since its last sync', async ({
  page,
  lab,
  saveScreenshot,
}) => {
  await lab.operator.signIn(page);
  await page.goto('/simulation');
  const offset = page.locator('tr[data-server=server-1] input[name=offset_ms]');
  await expect(offset).toBeVisible();
  const target = Number(await offset.inputValue()) + 321;
  const drift = page.locator('tr[data-server=server-1] input[name=drift_ppm]');
  await offset.fill(String(target));
  await drift.fill('-452');
  await page.locator('tr[data-server=server-1] button', { hasText: 'Apply' }).click();
  await expect(offset).toHaveValue(String(target));
  await expect(page.locator('[data-testid=clock-source]')).toContainText('edited by hand');
  await expect(page.locator('select[name=scenario]')).toHaveValue('');

  await page.goto('/ntp');
  await page.locator('tr[data-server=server-1] th button').click();
  // The chart's text alternative reads the line's last point: the new offset, plus what drift added since.
  const chart = page.locator('[data-testid=offset-chart] canvas');
  await expect(async () => {
    const label = (await chart.getAttribute('aria-label')) ?? '';
    const plotted = Number(/true offset ([+-][\d,.]+) ms/.exec(label)?.[1].replace(/,/g, ''));
    expect(Math.abs(plotted - target)).toBeLessThan(200);
  }).toPass({ timeout: 15_000 });
  // −452 ppm: a few ms within seconds, visible on the drift view while flat on the offset chart.
  await expect(page.locator('[data-testid=drift-summary]')).toContainText(/server-1: -\d+\.\d ms since/, {
    timeout: 20_000,
  });
  await expect(page.locator('[data-testid=drift-summary]')).toContainText(/server-1: [^;]*\(-4\d\d\.\d ppm\)/, {
    timeout: 20_000,
  });
  await saveScreenshot('ntp-drift', page);
});
