import type { Page } from 'playwright-core';
import { assert, eventually, type E2eScenario } from './harness.ts';

interface TimelineBody {
  winners: { server_clock: { attempt_id: string } } | null;
  kinds: string[];
}

async function burst(page: Page, seatId: number): Promise<void> {
  await page.fill('input[name=customer_name]', `burst-${seatId}`);
  await page.fill('input[name=seat_id]', String(seatId));
  // Every server, so the drifted clocks disagree as much as they can.
  for (const box of await page.locator('fieldset.burst input[type=checkbox]').all()) await box.check();
  await page.click('[data-testid=burst]');
  await page.locator('table.results tr[data-outcome]').first().waitFor();
}

/** A seat the backend classifies as an inversion (server-clock winner ≠ NTP-corrected winner). */
async function findInversion(page: Page, backendUrl: string): Promise<number> {
  for (let seatId = 40; seatId < 52; seatId++) {
    await burst(page, seatId);
    const inverted = await eventually(
      async () => {
        const body = (await (await fetch(`${backendUrl}/api/seats/${seatId}/timeline`)).json()) as TimelineBody;
        if (!body.winners) return null;
        return { inverted: body.kinds.includes('inversion') };
      },
      `seat ${seatId} to be settled`,
      30_000,
    );
    if (inverted.inverted) return seatId;
  }
  throw new Error('no inversion in 12 bursts under extreme_drift');
}

export const scenarios: E2eScenario[] = [
  {
    name: 'extreme_drift + a burst: conflict listed, inversion visible on the timeline',
    requires: [
      '/api/simulation/scenarios',
      '/api/simulation/scenarios/{name}/apply',
      '/api/conflicts',
      '/api/seats/{id}/timeline',
    ],
    async run({ page, consoleUrl, backendUrl, screenshot }) {
      await page.goto(`${consoleUrl}/simulation`);
      await page.locator('select[name=scenario] option[value=extreme_drift]').waitFor({ state: 'attached' });
      await page.selectOption('select[name=scenario]', 'extreme_drift');
      await page.click('[data-testid=apply-scenario]');
      await page.getByText('Applied extreme_drift').waitFor();

      // Applying a scenario syncs every server once, so NTP correction already knows the new
      // offsets: no "Sync now" round is needed before the burst.
      const statuses = (await (await fetch(`${backendUrl}/api/time/status`)).json()) as {
        server_id: string;
        estimated_offset_ms: number | null;
        true_offset_ms: number;
      }[];
      const stale = statuses.filter(
        (s) => s.estimated_offset_ms === null || Math.abs(s.estimated_offset_ms - s.true_offset_ms) > 1000,
      );
      assert(stale.length === 0, `servers not re-estimated after apply: ${stale.map((s) => s.server_id).join(', ')}`);

      await page.goto(`${consoleUrl}/seats`);
      await page.locator('[data-seat="40"]').waitFor();
      const seatId = await findInversion(page, backendUrl);

      const seat = page.locator(`[data-seat="${seatId}"]`);
      await eventually(
        async () => (await seat.getAttribute('data-state')) === 'conflict',
        `seat ${seatId} shown in conflict`,
      );
      await seat.click();
      const winnerOn = (row: string) =>
        page.locator(`[data-testid=seat-timeline] g.row[data-row=${row}] g.mark.winner`).getAttribute('data-attempt');
      await page.locator('[data-testid=seat-timeline] g.mark.winner').first().waitFor();
      assert((await page.locator('[data-testid=seat-timeline] g.mark.winner').count()) === 3, 'one winner per row');
      // The inversion, as drawn: server clock and NTP correction crown different attempts.
      assert(
        (await winnerOn('server_clock')) !== (await winnerOn('ntp_corrected')),
        'server-clock and NTP winners differ',
      );
      await screenshot('timeline-inversion');

      await page.goto(`${consoleUrl}/conflicts`);
      await page.selectOption('select[name=kind]', 'inversion');
      const row = page.locator(`tr[data-seat="${seatId}"]`, { has: page.locator('[data-kind=inversion]') }).first();
      await row.waitFor();
      await row.click();
      await page.locator('lab-witness-table table').waitFor();
      await screenshot('conflicts');
    },
  },
  {
    name: 'the NTP dashboard raises the inversion alert',
    requires: ['/api/time/status', '/api/time/history', '/api/conflicts'],
    async run({ page, consoleUrl, backendUrl, screenshot }) {
      const inversions = (await (await fetch(`${backendUrl}/api/conflicts?kind=inversion`)).json()) as {
        total: number;
      };
      assert(inversions.total > 0, 'the previous scenario should have left an inversion');
      await page.goto(`${consoleUrl}/ntp`);
      await page.locator('[data-testid=alerts] li[data-kind=inversion]').first().waitFor();
      await page.locator('table.dense tr[data-server]').first().waitFor();
      await screenshot('ntp');
    },
  },
];
