import { expect, test } from './support/fixtures';

test('a reservation takes its seat in the grid and stays in the form’s list of attempts', async ({ page }) => {
  await page.goto('/seats');
  const seat = page.locator('[data-seat="12"]');
  await expect(seat).toHaveAttribute('data-state', 'free');

  // Client-side validation: an empty name is refused beside the field, in plain words, nothing is sent.
  await page.fill('input[name=seat_id]', '12');
  await page.click('button[type=submit]');
  await expect(page.locator('[data-field=customer_name]')).toHaveText('Customer name is required');

  await page.fill('input[name=customer_name]', 'Ana');
  await page.selectOption('select[name=server_id]', 'server-2');
  await expect(page.locator('select[name=server_id] option[value=server-2]')).toContainText('clock');
  await page.click('button[type=submit]');
  await expect(seat).toHaveAttribute('data-state', 'taken', { timeout: 30_000 });
  await expect(seat.locator('.holder-name')).toHaveText('Ana');

  await page.fill('input[name=customer_name]', 'Cleo');
  await page.fill('input[name=seat_id]', '13');
  await page.click('button[type=submit]');
  await expect(page.locator('table.results tbody tr')).toHaveCount(2);
  await expect(page.locator('table.results tbody tr').first()).toContainText('Cleo');
  await expect(page.locator('table.results tr[data-result-seat="12"] .chip[data-outcome=won]')).toBeVisible({
    timeout: 15_000,
  });
});

test('the seat grid works with the keyboard alone: one tab stop, arrow keys, Enter opens the timeline', async ({
  page,
}) => {
  await page.goto('/seats');
  await expect(page.locator('[data-seat="1"]')).toBeVisible();
  // Tab from the skip link into the page until the grid's single tab stop has focus.
  const focusedSeat = () => page.evaluate(() => document.activeElement?.getAttribute('data-seat') ?? null);
  let presses = 0;
  while ((await focusedSeat()) === null && presses < 40) {
    await page.keyboard.press('Tab');
    presses += 1;
  }
  expect(await focusedSeat()).toBe('1');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowRight');
  expect(await focusedSeat()).toBe('22');
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-testid=seat-timeline] h2')).toHaveText('Seat 22 timeline');
  await expect(page.locator('input[name=seat_id]')).toHaveValue('22');
  // One Tab leaves the grid: its hundred seats are one stop, not a hundred.
  await page.locator('[data-seat="22"]').focus();
  await page.keyboard.press('Tab');
  expect(await focusedSeat()).toBeNull();
});
