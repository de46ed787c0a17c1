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

  it('answers from the command at once by default, and waits for the read model only when asked', async () => {
    const post = (seatId: number, headers: Record<string, string> = {}) =>
      fetch(`${running.baseUrl}/api/reservations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ seat_id: seatId, customer_name: `c${seatId}`, server_id: 'server-1' }),
      });
    // Projection held back: only the command's own result can answer.
    await running.runner.stop();
    try {
      const quick = await post(11);
      expect(quick.status).toBe(201);
      expect(quick.headers.get('preference-applied')).toBeNull();
      const body = (await quick.json()) as { id: string; outcome: string; log_position: string };
      expect(body.outcome).toBe('pending');
      // Not projected yet, yet followable by id (read from its stream).
      const followed = await fetch(`${running.baseUrl}/api/reservations/${body.id}`);
      expect(followed.status).toBe(200);
      expect(((await followed.json()) as { log_position: string }).log_position).toBe(body.log_position);
    } finally {
      await running.runner.start();
    }
    const waited = await post(12, { prefer: 'respond-async, read-your-writes' });
    expect(waited.status).toBe(201);
    expect(waited.headers.get('preference-applied')).toBe('read-your-writes');
    const { id } = (await waited.json()) as { id: string };
    const list = (await (await fetch(`${running.baseUrl}/api/reservations?seat_id=12`)).json()) as {
      items: { id: string }[];
    };
    expect(list.items.map((item) => item.id)).toEqual([id]);
  });
});
