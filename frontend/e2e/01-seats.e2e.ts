import { expect, test } from './support/fixtures';

test('a reservation takes its seat in the grid', async ({ page }) => {
  await page.goto('/seats');
  const seat = page.locator('[data-seat="12"]');
  await expect(seat).toHaveAttribute('data-state', 'free');

  await page.fill('input[name=seat_id]', '12');
  await page.click('button[type=submit]');
  await expect(page.locator('[data-field=customer_name]')).toBeVisible();

  await page.fill('input[name=customer_name]', 'Ana');
  await page.selectOption('select[name=server_id]', 'server-2');
  await page.click('button[type=submit]');
  await expect(seat).toHaveAttribute('data-state', 'taken', { timeout: 30_000 });
});
