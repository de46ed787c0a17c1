import { ensureInversion } from './support/demo-data';
import { expect, test } from './support/fixtures';

test('stats show one accuracy bar per ordering, each explained', async ({ page, lab }) => {
  await ensureInversion(lab.api);
  await page.goto('/stats');
  await expect(page.locator('lab-accuracy-bars li[data-strategy=truth]')).toBeVisible();
  await expect(page.locator('lab-accuracy-bars li')).toHaveCount(5);
  expect(Number((await page.locator('[data-kpi=attempts]').textContent())?.replace(/,/g, ''))).toBeGreaterThan(0);
  await expect(page.locator('lab-accuracy-bars li[data-strategy=hlc] .explanation')).toContainText(
    'scores like the server clock',
  );
});
