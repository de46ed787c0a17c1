/**
 * Issue 16, "reset the lab between demos": a reset frees every seat for the
 * next session, keeps the ended one readable as run_id=session-<n>, survives a
 * rebuild and a restart, and a booking server's local view sees the new session.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postJson, readWholeLog, startTestApp, type RunningApp } from './app-harness';

interface SeatBody {
  id: number;
  is_available: boolean;
  reservation: { customer_name: string } | null;
}
interface Session {
  session_id: string;
  started_at: string;
  ended_at: string | null;
  attempts: number;
  seats_taken: number;
}

const json = async <T>(app: RunningApp, path: string): Promise<T> => {
  const response = await fetch(`${app.baseUrl}${path}`);
  expect({ path, status: response.status }).toEqual({ path, status: 200 });
  return (await response.json()) as T;
};

const waitFor = async <T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

const reserve = async (app: RunningApp, seatId: number, customer: string, serverId = 'server-1') => {
  const response = await postJson(app.baseUrl, '/api/reservations', {
    seat_id: seatId,
    customer_name: customer,
    server_id: serverId,
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; status: 'confirmed' | 'rejected' };
};

const holderOf = async (app: RunningApp, seatId: number): Promise<string | null> =>
  (
    await waitFor(
      () => json<SeatBody>(app, `/api/seats/${seatId}`),
      (seat) => !seat.is_available,
    )
  ).reservation?.customer_name ?? null;

const sessionsOf = async (app: RunningApp) =>
  (await json<{ items: Session[] }>(app, '/api/lab/sessions')).items.map(
    ({ session_id, attempts, seats_taken, ended_at }) => ({
      session_id,
      attempts,
      seats_taken,
      ended: ended_at !== null,
    }),
  );

describe('lab reset', () => {
  let dataDir: string;
  let app: RunningApp | undefined;
  const settings = () => ({ PGLITE_DATA_DIR: dataDir, CONFLICT_WINDOW_MS: '200', SETTLEMENT_GRACE_MS: '50' });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ntp-lab-reset-'));
    app = await startTestApp(settings());
  });
  afterAll(async () => {
    await app?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('frees every seat for a new session and keeps the ended one readable as a run', async () => {
    const running = app!;
    await reserve(running, 3, 'Ana');
    await reserve(running, 5, 'Eve', 'server-2');
    expect(await holderOf(running, 3)).toBe('Ana');
    expect(await holderOf(running, 5)).toBe('Eve');
    expect(await sessionsOf(running)).toEqual([{ session_id: 'session-1', attempts: 2, seats_taken: 2, ended: false }]);

    const reset = await postJson(running.baseUrl, '/api/lab/reset', {});
    expect(reset.status).toBe(200);
    const body = (await reset.json()) as { session_id: string; previous_session_id: string; started_at: string };
    expect(body).toMatchObject({ session_id: 'session-2', previous_session_id: 'session-1' });
    expect(Number.isNaN(Date.parse(body.started_at))).toBe(false);

    await running.runner.catchUp();
    const seats = await json<SeatBody[]>(running, '/api/seats');
    expect(seats.filter((seat) => !seat.is_available)).toEqual([]);
    expect(await json<{ attempts: number }>(running, '/api/stats')).toMatchObject({ attempts: 0 });
    expect(
      await json<{ attempts: number; settled_seats: number }>(running, '/api/stats?run_id=session-1'),
    ).toMatchObject({ attempts: 2, settled_seats: 2 });
    const timeline = await json<{ attempts: { customer_name: string; outcome: string }[] }>(
      running,
      '/api/seats/3/timeline?run_id=session-1',
    );
    expect(timeline.attempts.map(({ customer_name, outcome }) => [customer_name, outcome])).toEqual([['Ana', 'won']]);

    // The booking server's own view reads the new session's seat stream: the seat looks free again.
    const bob = await reserve(running, 3, 'Bob', 'server-3');
    expect(bob.status).toBe('confirmed');
    expect(await holderOf(running, 3)).toBe('Bob');
    expect(await sessionsOf(running)).toEqual([
      { session_id: 'session-1', attempts: 2, seats_taken: 2, ended: true },
      { session_id: 'session-2', attempts: 1, seats_taken: 1, ended: false },
    ]);
    const streams = (await readWholeLog(running.store)).map((event) => event.streamId);
    expect(streams).toEqual(expect.arrayContaining(['seat-3', 'lab-sessions', 'session-2-seat-3']));
  });

  it('a full rebuild gives the same sessions and seats', async () => {
    const running = app!;
    const before = { sessions: await sessionsOf(running), seats: await json<SeatBody[]>(running, '/api/seats') };
    const started = await postJson(running.baseUrl, '/api/replay', {});
    expect(started.status).toBe(202);
    const job = (await started.json()) as { id: string };
    const finished = await waitFor(
      () => json<{ status: string }>(running, `/api/replay/${job.id}`),
      (status) => status.status !== 'running' && status.status !== 'queued',
      30_000,
    );
    expect(finished.status).toBe('completed');
    expect({ sessions: await sessionsOf(running), seats: await json<SeatBody[]>(running, '/api/seats') }).toEqual(
      before,
    );
  });

  it('after a restart the current session goes on where it was', async () => {
    await app!.close();
    app = await startTestApp(settings());
    await reserve(app, 4, 'Cy');
    expect(await holderOf(app, 4)).toBe('Cy');
    expect((await readWholeLog(app.store)).map((event) => event.streamId)).toContain('session-2-seat-4');
    expect((await sessionsOf(app)).at(-1)).toEqual({
      session_id: 'session-2',
      attempts: 2,
      seats_taken: 2,
      ended: false,
    });
  });

  it('refuses a seeded run named like a session', async () => {
    const response = await postJson(app!.baseUrl, '/api/simulation/runs', { run_id: 'session-7', attempts: 10 });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toMatch(/lab session/);
  });
});
