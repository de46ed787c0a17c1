import { expect, test } from './support/fixtures';

// Last: it restarts the backend, whose fresh in-memory store forgets everything before.
test('backend down: the console says so, then recovers without a reload, and the stale error clears', async ({
  page,
  lab,
  saveScreenshot,
}) => {
  await page.goto('/seats');
  await expect(page.locator('[data-seat="1"]')).toBeVisible();
  const indicator = page.locator('lab-live-indicator [role=status]');
  await expect(indicator).not.toHaveAttribute('data-status', 'disconnected');
  await page.evaluate(() => ((window as unknown as { noReloadMarker: boolean }).noReloadMarker = true));

  await lab.backend.stop();
  await expect(page.locator('[data-testid=outage]')).toBeVisible({ timeout: 15_000 });
  await expect(indicator).toHaveAttribute('data-status', 'disconnected');
  // An attempt sent meanwhile fails as "unreachable" beside the form…
  await page.fill('input[name=customer_name]', 'Dora');
  await page.fill('input[name=seat_id]', '5');
  await page.click('button[type=submit]');
  await expect(page.locator('table.results tr[data-outcome=error]')).toBeVisible();
  const formError = page.locator('lab-reservation-form lab-api-error [role=alert]');
  await expect(formError).toContainText('Backend unreachable');
  await saveScreenshot('outage', page);

  await lab.backend.start();
  await expect(page.locator('[data-testid=outage]')).toBeHidden({ timeout: 20_000 });
  await expect(indicator).toHaveAttribute('data-status', 'live', { timeout: 20_000 });
  // …and that error clears by itself once the backend is back.
  await expect(formError).toBeHidden();
  const sameDocument = await page.evaluate(
    () => (window as unknown as { noReloadMarker?: boolean }).noReloadMarker === true,
  );
  expect(sameDocument).toBe(true);
});
