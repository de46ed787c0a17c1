/**
 * Two backend processes on one log: each hosts the booking servers and runs
 * the resolution, and the seat stream's expected revision still lets exactly
 * one of them assign each seat. (Two Nest apps in one jest process stand in
 * for two OS processes: they share nothing but the database.)
 */
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../src/event-store/embedded/embedded-postgres';
import { postJson, readWholeLog, startTestApp, type RunningApp } from './app-harness';

describe('two backend processes sharing one PostgreSQL log', () => {
  let database: EmbeddedPostgres;
  let first: RunningApp;
  let second: RunningApp;

  beforeAll(async () => {
    database = await startEmbeddedPostgres({ maxConnections: 60 });
    const settings = { DATABASE_URL: database.connectionString, CONFLICT_WINDOW_MS: '500', MAX_SEATS: '20' };
    first = await startTestApp(settings);
    second = await startTestApp(settings);
  });
  afterAll(async () => {
    await first?.close();
    await second?.close();
    await database?.close();
  });

  it('both resolve the same contended seats, yet every seat is assigned exactly once', async () => {
    const seats = [1, 2, 3, 4, 5, 6];
    await Promise.all(
      seats.flatMap((seatId) => [
        postJson(first.baseUrl, '/api/reservations', {
          seat_id: seatId,
          customer_name: `a${seatId}`,
          server_id: 'server-1',
        }),
        postJson(second.baseUrl, '/api/reservations', {
          seat_id: seatId,
          customer_name: `b${seatId}`,
          server_id: 'server-2',
        }),
        postJson(second.baseUrl, '/api/reservations', {
          seat_id: seatId,
          customer_name: `c${seatId}`,
          server_id: 'server-3',
        }),
      ]),
    );
    const deadline = Date.now() + 20_000;
    let taken = 0;
    while (Date.now() < deadline) {
      const [fromFirst, fromSecond] = await Promise.all(
        [first, second].map(
          async (app) =>
            (
              (await (await fetch(`${app.baseUrl}/api/seats`)).json()) as { id: number; is_available: boolean }[]
            ).filter((seat) => seats.includes(seat.id) && !seat.is_available).length,
        ),
      );
      taken = Math.min(fromFirst!, fromSecond!);
      if (taken === seats.length) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(taken).toBe(seats.length);
    // Give both schedulers time to try again (they would, if the guard let them).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const log = await readWholeLog(first.store);
    const assignments = log.filter((event) => event.type === 'SeatAssigned');
    expect(assignments.map((event) => event.streamId).sort()).toEqual(seats.map((seatId) => `seat-${seatId}`).sort());
    expect(log.filter((event) => event.type === 'ReservationAttempted')).toHaveLength(seats.length * 3);
  }, 60_000);
});
