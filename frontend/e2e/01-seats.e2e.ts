import { assert, eventually, type E2eScenario } from './harness.ts';

export const scenarios: E2eScenario[] = [
  {
    name: 'a reservation takes its seat in the grid',
    requires: ['/api/seats', '/api/reservations', '/api/seats/{id}/timeline'],
    async run({ page, consoleUrl, screenshot }) {
      await page.goto(`${consoleUrl}/seats`);
      const seat = page.locator('[data-seat="12"]');
      await seat.waitFor();
      assert((await seat.getAttribute('data-state')) === 'free', 'seat 12 should start free');

      // Client-side validation: an empty name is refused beside the field, nothing is sent.
      await page.fill('input[name=seat_id]', '12');
      await page.click('button[type=submit]');
      await page.locator('[data-field=customer_name]').waitFor();

      await page.fill('input[name=customer_name]', 'Ana');
      await page.selectOption('select[name=server_id]', 'server-2');
      await page.click('button[type=submit]');
      await page.locator('table.results tr[data-outcome]').first().waitFor();
      await eventually(async () => (await seat.getAttribute('data-state')) === 'taken', 'seat 12 to be taken', 30_000);

      await seat.click();
      await page.locator('[data-testid=seat-timeline] svg.timeline').waitFor();
      await page.locator('table.results .chip[data-outcome=won]').waitFor({ timeout: 15_000 });
      await screenshot('seats');
    },
  },
];
