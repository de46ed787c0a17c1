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

const setOffset = async (running: RunningApp, serverId: string, offsetMs: number): Promise<void> => {
  const response = await fetch(`${running.baseUrl}/api/simulation/offsets/${serverId}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', ...running.operatorHeaders },
    body: JSON.stringify({ offset_ms: offsetMs }),
  });
  expect(response.status).toBe(200);
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

  it('keeps the reservation, the log, the read model and the HLCs without projecting anything twice', async () => {
    running = await startTestApp(settings());
    // server-3 runs a minute ahead for its first attempt (its HLC stamps a minute ahead too).
    await setOffset(running, 'server-3', 60_000);
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
    // The old log is intact; a start only adds the booking servers' clock syncs after it (and the step
    // the first sync of server-3 finds: it was set a minute ahead without a sync before the restart).
    expect(logAfter.slice(0, logBefore.length).map((event) => [event.id, event.position])).toEqual(
      logBefore.map((event) => [event.id, event.position]),
    );
    const added = logAfter.slice(logBefore.length);
    expect(added.every((event) => event.type === 'ClockSynchronized' || event.type === 'ClockStepDetected')).toBe(true);
    expect(added.filter((event) => event.type === 'ClockStepDetected').map((event) => event.data['serverId'])).toEqual([
      'server-3',
    ]);
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

    // server-3 is set back a minute before anything else happens on the restarted app.
    await setOffset(running, 'server-3', 0);
    // And the restarted app keeps working on the same log.
    const second = await postJson(running.baseUrl, '/api/reservations', {
      seat_id: 5,
      customer_name: 'Bob',
      server_id: 'server-1',
    });
    expect(second.status).toBe(201);
    expect(await reservationsTotal(running.baseUrl)).toBe(2);

    // Point 10: the HLC state is restored, so the same server never stamps behind its stamps of before,
    // even now that its clock is a minute behind them.
    const third = await postJson(running.baseUrl, '/api/reservations', {
      seat_id: 6,
      customer_name: 'Cy',
      server_id: 'server-3',
    });
    const thirdId = ((await third.json()) as { id: string }).id;
    const hlcOf = (log: Awaited<ReturnType<typeof readWholeLog>>, id: string) =>
      String((log.find((event) => event.data['attemptId'] === id)!.data['clock'] as { hlc: string }).hlc);
    expect(hlcOf(await readWholeLog(running.store), thirdId) > hlcOf(logBefore, attemptId)).toBe(true);
  }, 90_000);
});
