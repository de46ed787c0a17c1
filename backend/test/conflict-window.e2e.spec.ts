import { postJson, startTestApp, type RunningApp } from './app-harness';

const WINDOW_MS = 300;

interface Seat {
  is_available: boolean;
  reservation: { customer_name: string } | null;
}
interface Reservation {
  id: string;
  status: string;
  outcome: string;
  outcome_reason: string | null;
  ntp_corrected_time: string;
}

describe('the conflict window: attempts after the seat settled lose to the holder, whatever their clocks say', () => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startTestApp({ CONFLICT_WINDOW_MS: String(WINDOW_MS), SETTLEMENT_GRACE_MS: '50' });
  });
  afterAll(async () => {
    await running?.close();
  });

  const seatOf = async (seatId: number): Promise<Seat> =>
    (await (await fetch(`${running.baseUrl}/api/seats/${seatId}`)).json()) as Seat;
  const reservationOf = async (id: string): Promise<Reservation> =>
    (await (await fetch(`${running.baseUrl}/api/reservations/${id}`)).json()) as Reservation;
  const until = async <T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> => {
    const deadline = Date.now() + 5000;
    for (;;) {
      const value = await read();
      if (done(value) || Date.now() > deadline) return value;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  it('settles by itself once the window closed, and a late attempt whose corrected time looks earlier still loses', async () => {
    // server-2 jumps 10 s behind and stops syncing: its corrected time is ~10 s early, and unbounded.
    const change = await fetch(`${running.baseUrl}/api/simulation/offsets/server-2`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...running.operatorHeaders },
      body: JSON.stringify({ offset_ms: -10_000, jitter_ms: 0, never_syncs: true }),
    });
    expect(change.status).toBe(200);

    const first = await postJson(running.baseUrl, '/api/reservations', {
      seat_id: 11,
      customer_name: 'Early',
      server_id: 'server-1',
    });
    expect(first.status).toBe(201);
    const seat = await until(
      () => seatOf(11),
      (value) => !value.is_available,
    );
    expect(seat.reservation?.customer_name).toBe('Early');

    const late = await postJson(running.baseUrl, '/api/reservations', {
      seat_id: 11,
      customer_name: 'Late',
      server_id: 'server-2',
    });
    const lateAttempt = (await late.json()) as Reservation;
    const firstAttempt = (await first.json()) as Reservation;
    // The premise: by corrected time, the late attempt looks first.
    expect(Date.parse(lateAttempt.ntp_corrected_time)).toBeLessThan(Date.parse(firstAttempt.ntp_corrected_time));
    // Its server already sees the seat assigned: it answers "rejected" at once.
    expect(lateAttempt.status).toBe('rejected');
    const outcome = await until(
      () => reservationOf(lateAttempt.id),
      (value) => value.outcome !== 'pending',
    );
    expect(outcome.outcome).toBe('lost');
    expect(outcome.outcome_reason).toMatch(/after the seat was settled for Early/);
    expect((await seatOf(11)).reservation?.customer_name).toBe('Early');
  });
});
