/**
 * Issue 13.1: PostgreSQL stopped (`pg_ctl stop -m fast`: every session gets
 * FATAL 57P01) and started again, three times, under a steady write load. The
 * backend runs as its own OS process on a private throw-away cluster (never
 * the shared server other suites use). Each trial: the process stays up,
 * writes answer 503 while the database is down and succeed again by
 * themselves once it is back; at the end nothing acknowledged is lost or
 * doubled, and the read model and the live stream have caught up.
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { PostgresEventStore } from '../../src/event-store/postgres/postgres-event-store';
import { startBackendProcess, type BackendProcess } from './backend-process';
import {
  expectNothingLostOrDoubled,
  expectProcessUp,
  inspectAfterTheOutage,
  projectionCaughtUp,
  reportFigures,
  runOutageTrials,
  waitFor,
} from './outage-trials';
import { privatePostgresUnavailableReason, startPrivatePostgres, type PrivatePostgres } from './private-postgres';

const unavailable = privatePostgresUnavailableReason();
if (unavailable) console.warn(`database stop/start fault tests skipped: ${unavailable}`);
const describeWithCluster = unavailable ? describe.skip : describe;

describeWithCluster('PostgreSQL stopped and restarted (a private cluster)', () => {
  let cluster: PrivatePostgres;

  beforeAll(async () => {
    cluster = await startPrivatePostgres();
  }, 60_000);
  afterAll(async () => {
    await cluster?.dispose();
  }, 60_000);

  it('a client checked out of the event store pool survives its session being killed between two queries', async () => {
    const pool = new Pool({ connectionString: cluster.connectionString, max: 2 });
    const store = new PostgresEventStore({ pool, kind: 'postgres' });
    try {
      await store.migrate();
      // Checked out and idle between two queries: pg-pool has no listener on it now; only the store's guard has.
      const held = await pool.connect();
      const { rows } = await held.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      const ended = new Promise<void>((resolve) => held.once('end', () => resolve()));
      await pool.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
      await ended; // The FATAL arrived and the socket closed without an unhandled 'error' event.
      held.release(new Error('its server session was terminated'));
      const appended = await store.append('guard-check', [{ id: randomUUID(), type: 'Checked', data: {} }]);
      expect(appended.nextExpectedRevision).toBe(0n);
    } finally {
      await store.close();
      await pool.end();
    }
  });

  describe('three times under write load, the backend in its own process', () => {
    let backend: BackendProcess;

    beforeAll(async () => {
      backend = await startBackendProcess({
        DATABASE_URL: cluster.connectionString,
        MAX_SEATS: '40',
        CONFLICT_WINDOW_MS: '300',
      });
    }, 120_000);
    afterAll(async () => {
      await backend?.stop();
    }, 60_000);

    it('503 while down, the process up, writes back by themselves, nothing acknowledged lost or doubled', async () => {
      const run = await runOutageTrials({
        backend,
        fault: { takeDown: () => cluster.stop(), bringBack: () => cluster.start() },
        trials: 3,
        downForMs: 1500,
        label: 'pgfault',
        seats: 40,
      });
      try {
        expect(await projectionCaughtUp(backend.baseUrl)).toBe(true);
        // The live stream survived and delivered changes made after the last restart.
        expect(run.live.ended()).toBeNull();
        expect(
          await waitFor(() => run.live.received.some((e) => e.event === 'change' && e.atMs > run.lastUpAtMs), 5000),
        ).toBe(true);
        const after = await inspectAfterTheOutage(cluster.connectionString, run.answers, 'pgfault');
        reportFigures('PostgreSQL stop/start ×3', run, after);
        expectNothingLostOrDoubled(after);
        expectProcessUp(backend, 'after the trials');
        expect((await fetch(`${backend.baseUrl}/health/live`)).status).toBe(200);
      } finally {
        run.live.close();
      }
    }, 240_000);
  });
});
