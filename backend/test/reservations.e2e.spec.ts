import { postJson, readWholeLog, startTestApp, type RunningApp } from './app-harness';

describe('reservations API on the embedded store', () => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startTestApp({ MAX_SEATS: '20', CONFLICT_WINDOW_MS: '300' });
  });
  afterAll(async () => {
    await running?.close();
  });

  it('lists MAX_SEATS seats, all free at first', async () => {
    const response = await fetch(`${running.baseUrl}/api/seats`);
    expect(response.status).toBe(200);
    const seats = (await response.json()) as { id: number; is_available: boolean }[];
    expect(seats).toHaveLength(20);
    expect(seats.map((seat) => seat.id)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(seats.every((seat) => seat.is_available)).toBe(true);
  });

  it('accepts a reservation, records it in the log and assigns the seat once the window passes', async () => {
    const response = await postJson(running.baseUrl, '/api/reservations', {
      seat_id: 3,
      customer_name: 'Ana',
      server_id: 'server-2',
    });
    expect(response.status).toBe(201);
    const body = (await response.json()) as { id: string; status: string; outcome: string; server_id: string };
    expect(body).toMatchObject({ status: 'confirmed', server_id: 'server-2' });

    const log = await readWholeLog(running.store);
    expect(
      log.filter((event) => event.type === 'ReservationAttempted').map((event) => event.data['attemptId']),
    ).toContain(body.id);

    const deadline = Date.now() + 5000;
    let seat: { is_available: boolean; reservation: { customer_name: string } | null } | undefined;
    while (Date.now() < deadline) {
      seat = (await (await fetch(`${running.baseUrl}/api/seats/3`)).json()) as typeof seat;
      if (seat && !seat.is_available) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(seat).toMatchObject({ is_available: false, reservation: { customer_name: 'Ana' } });
    const outcome = (await (await fetch(`${running.baseUrl}/api/reservations/${body.id}`)).json()) as {
      outcome: string;
    };
    expect(outcome.outcome).toBe('won');
  });
});
