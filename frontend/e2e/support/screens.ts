// Every screen of the console, reached with real data, for the checks that
// run on all of them (axe, 390 px layout) and for the screenshots.
import { expect, type Page } from '@playwright/test';
import { ensureInversion, ensureSeededRun } from './demo-data';
import type { Lab } from './fixtures';

export interface Screen {
  name: string;
  /** Opens the screen in the state worth checking (data loaded, a detail open). */
  open(page: Page): Promise<void>;
}

export type Theme = 'default' | 'projector';

/** Opens pages in a theme: the console reads it from localStorage before it renders. */
export async function useTheme(page: Page, theme: Theme): Promise<void> {
  await page.addInitScript((value) => window.localStorage.setItem('ntp-lab.theme', value), theme);
}

export async function screensOf(lab: Lab): Promise<Screen[]> {
  const inversionSeat = await ensureInversion(lab.api);
  const run = await ensureSeededRun(lab.api);
  return [
    {
      name: 'seats',
      async open(page) {
        await page.goto(`/seats?seat=${inversionSeat}`);
        await expect(page.locator('[data-testid=seat-timeline] g.row.inverted')).toHaveCount(1);
      },
    },
    {
      name: 'conflicts',
      async open(page) {
        await page.goto('/conflicts');
        await page.selectOption('select[name=kind]', 'inversion');
        const row = page.locator(`tr.row[data-seat="${inversionSeat}"]`).first();
        await row.locator('button.expander').click();
        await expect(page.locator('lab-witness-table table')).toBeVisible();
      },
    },
    {
      name: 'ntp',
      async open(page) {
        await page.goto('/ntp');
        await expect(page.locator('tr[data-server]').first()).toBeVisible();
        await expect(page.locator('[data-testid=offset-chart] canvas')).toHaveAttribute('data-point-x', /\d/);
      },
    },
    {
      name: 'simulation',
      async open(page) {
        await page.goto('/simulation');
        await expect(page.locator('tr[data-server]').first()).toBeVisible();
        await expect(page.locator('[data-testid=run][data-status=completed]')).toBeVisible({ timeout: 30_000 });
      },
    },
    {
      name: 'run',
      async open(page) {
        await page.goto(`/runs/${run.runId}?kind=inversion&seat=${run.seatId}`);
        await expect(page.locator('[data-testid=seat-timeline] g.row').first()).toBeVisible();
        await expect(page.locator('tr.row').first()).toBeVisible();
      },
    },
    {
      name: 'stats',
      async open(page) {
        await page.goto('/stats');
        await expect(page.locator('lab-accuracy-bars li[data-strategy=truth]')).toBeVisible();
      },
    },
    {
      name: 'sign-in',
      async open(page) {
        await page.goto('/simulation');
        await page.locator('[data-testid=open-sign-in]').click();
        await expect(page.locator('dialog[data-testid=sign-in]')).toBeVisible();
      },
    },
  ];
}
