import { SettlementScheduler } from '../src/reservations/application/settlement-scheduler';
import { postJson, startTestApp, type RunningApp } from './app-harness';

const WINDOW_MS = 300;

describe('the conflict window: attempts after it lose to the holder, whatever their clocks say', () => {
  let running: RunningApp;
  let scheduler: SettlementScheduler;

  beforeAll(async () => {
    running = await startTestApp({ CONFLICT_WINDOW_MS: String(WINDOW_MS) });
    scheduler = running.app.get(SettlementScheduler);
    // Settle by hand, so the late attempt is certainly in the read model when the seat settles.
    scheduler.onApplicationShutdown();
  });
  afterAll(async () => {
    await running?.close();
  });

  it('a late attempt whose (stale) corrected time looks earlier still loses', async () => {
    // server-2 jumps 10 s behind without a sync: its NTP estimate is stale, so its corrected time is ~10 s early.
    const change = await fetch(`${running.baseUrl}/api/simulation/offsets/server-2`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ offset_ms: -10_000, jitter_ms: 0, never_syncs: true }),
    });
    expect(change.status).toBe(200);

    const first = await postJson(running.baseUrl, '/api/reservations', {
      seat_id: 11,
      customer_name: 'Early',
      server_id: 'server-1',
    });
    expect(first.status).toBe(201);
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS + 150));
    const late = await postJson(running.baseUrl, '/api/reservations', {
      seat_id: 11,
      customer_name: 'Late',
      server_id: 'server-2',
    });
    expect(late.status).toBe(201);
    const lateAttempt = (await late.json()) as { id: string; ntp_corrected_time: string };
    const firstAttempt = (await first.json()) as { id: string; ntp_corrected_time: string };
    // The premise: by corrected time, the late attempt looks first.
    expect(Date.parse(lateAttempt.ntp_corrected_time)).toBeLessThan(Date.parse(firstAttempt.ntp_corrected_time));

    expect(await scheduler.settleDueSeats()).toBe(1);
    const deadline = Date.now() + 5000;
    let seat: { is_available: boolean; reservation: { customer_name: string } | null } = {
      is_available: true,
      reservation: null,
    };
    while (seat.is_available && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      seat = (await (await fetch(`${running.baseUrl}/api/seats/11`)).json()) as typeof seat;
    }
    expect(seat.reservation?.customer_name).toBe('Early');
    const outcome = (await (await fetch(`${running.baseUrl}/api/reservations/${lateAttempt.id}`)).json()) as {
      outcome: string;
    };
    expect(outcome.outcome).toBe('lost');
  });
});
