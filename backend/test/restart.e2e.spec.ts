/**
 * Issue 3, "after a restart the seat is still reserved": the embedded store
 * keeps its files under PGLITE_DATA_DIR, and the projection resumes from its
 * checkpoint instead of projecting the log a second time.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postJson, readWholeLog, startTestApp, type RunningApp } from './app-harness';

interface SeatBody {
  id: number;
  is_available: boolean;
  attempts_count: number;
  reservation: { id: string; customer_name: string; server_id: string } | null;
}

const getSeat = async (baseUrl: string, seatId: number): Promise<SeatBody> =>
  (await (await fetch(`${baseUrl}/api/seats/${seatId}`)).json()) as SeatBody;

const waitForSeatTaken = async (baseUrl: string, seatId: number, timeoutMs: number): Promise<SeatBody> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const seat = await getSeat(baseUrl, seatId);
    if (!seat.is_available || Date.now() > deadline) return seat;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

const reservationsTotal = async (baseUrl: string): Promise<number> =>
  ((await (await fetch(`${baseUrl}/api/reservations`)).json()) as { total: number }).total;

describe('restart on the same embedded data directory', () => {
  let dataDir: string;
  let running: RunningApp | undefined;
  const settings = (): Record<string, string> => ({
    PGLITE_DATA_DIR: dataDir,
    MAX_SEATS: '10',
    CONFLICT_WINDOW_MS: '200',
  });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ntp-lab-restart-'));
  });
  afterAll(async () => {
    await running?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps the reservation, the log and the read model without projecting anything twice', async () => {
    running = await startTestApp(settings());
    const created = await postJson(running.baseUrl, '/api/reservations', {
      seat_id: 4,
      customer_name: 'Ana',
      server_id: 'server-3',
    });
    expect(created.status).toBe(201);
    const attemptId = ((await created.json()) as { id: string }).id;

    const seatBefore = await waitForSeatTaken(running.baseUrl, 4, 5000);
    expect(seatBefore).toMatchObject({
      is_available: false,
      attempts_count: 1,
      reservation: { id: attemptId, customer_name: 'Ana', server_id: 'server-3' },
    });
    const logBefore = await readWholeLog(running.store);
    expect(logBefore.map((event) => event.type)).toEqual(
      expect.arrayContaining(['ReservationAttempted', 'SeatAssigned']),
    );
    const totalBefore = await reservationsTotal(running.baseUrl);
    expect(totalBefore).toBe(1);

    await running.close();
    running = undefined;

    running = await startTestApp(settings());
    const logAfter = await readWholeLog(running.store);
    // The old log is intact; a start only adds the booking servers' clock syncs after it.
    expect(logAfter.slice(0, logBefore.length).map((event) => [event.id, event.position])).toEqual(
      logBefore.map((event) => [event.id, event.position]),
    );
    expect(logAfter.slice(logBefore.length).every((event) => event.type === 'ClockSynchronized')).toBe(true);
    // The checkpoint was restored, so the runner starts at the old head instead of replaying from 0.
    expect(running.runner.projectedPosition).toBeGreaterThanOrEqual(logBefore[logBefore.length - 1]!.position);
    // Give the live loop a chance to (wrongly) re-apply something before looking.
    await new Promise((resolve) => setTimeout(resolve, 500));

    expect(await getSeat(running.baseUrl, 4)).toEqual(seatBefore);
    expect(await reservationsTotal(running.baseUrl)).toBe(totalBefore);
    const outcome = (await (await fetch(`${running.baseUrl}/api/reservations/${attemptId}`)).json()) as {
      outcome: string;
    };
    expect(outcome.outcome).toBe('won');
    const reservationEvents = (log: { type: string }[]) =>
      log.filter((event) => !event.type.startsWith('Clock')).length;
    expect(reservationEvents(await readWholeLog(running.store))).toBe(reservationEvents(logBefore));

    // And the restarted app keeps working on the same log.
    const second = await postJson(running.baseUrl, '/api/reservations', {
      seat_id: 5,
      customer_name: 'Bob',
      server_id: 'server-1',
    });
    expect(second.status).toBe(201);
    expect(await reservationsTotal(running.baseUrl)).toBe(2);
  });
});
