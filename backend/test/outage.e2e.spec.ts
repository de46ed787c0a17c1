/**
 * Issue 3: "A database that goes away gives 503 on the affected routes and
 * the process keeps running; when it comes back, work resumes."
 *
 * The app talks to Postgres through a TCP proxy that the test cuts and
 * restores. Behind the proxy: the real server named by TEST_DATABASE_URL (a
 * throw-away database per run), otherwise a separate embedded PGlite.
 */
import { startEmbeddedPostgres } from '../src/event-store/embedded/embedded-postgres';
import { openThrowawayDatabase } from '../src/testing/test-databases';
import { postJson, startTestApp, type RunningApp } from './app-harness';
import { startTcpProxy, type TcpProxy } from './tcp-proxy';

interface Backing {
  readonly connectionString: string;
  close(): Promise<void>;
}

/** A database only this suite uses: a fresh database on the real server, or a fresh embedded PGlite. */
const openBackingDatabase = async (): Promise<Backing> => {
  const serverUrl = process.env['TEST_DATABASE_URL'];
  if (!serverUrl) {
    // TCP: the test puts a proxy between the app and the store to cut the link.
    const embedded = await startEmbeddedPostgres({ maxConnections: 40, transport: 'tcp' });
    return { connectionString: embedded.connectionString, close: () => embedded.close() };
  }
  const database = await openThrowawayDatabase(serverUrl, 'lab_outage');
  return { connectionString: database.connectionString, close: () => database.dispose() };
};

const throughProxy = (connectionString: string, proxyPort: number): string => {
  const url = new URL(connectionString);
  url.hostname = '127.0.0.1';
  url.port = String(proxyPort);
  return url.toString();
};

/** Polls `probe` until it returns a value `done` accepts; returns the last value either way. */
const pollUntil = async <T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

const answer = async (request: Promise<Response>): Promise<Answer> => {
  const response = await request;
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('a database that goes away and comes back', () => {
  let backing: Backing;
  let proxy: TcpProxy;
  let running: RunningApp;

  beforeAll(async () => {
    backing = await openBackingDatabase();
    const target = new URL(backing.connectionString);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    running = await startTestApp({
      DATABASE_URL: throughProxy(backing.connectionString, proxy.port),
      MAX_SEATS: '10',
      CONFLICT_WINDOW_MS: '200',
    });
  }, 60_000);

  afterAll(async () => {
    // Restore the link first so the app can close its pools cleanly.
    await proxy?.start();
    await running?.close();
    await proxy?.stop();
    await backing?.close();
  }, 60_000);

  const seat = (seatId: number) => answer(fetch(`${running.baseUrl}/api/seats/${seatId}`));
  const health = () => answer(fetch(`${running.baseUrl}/health`));
  const reserve = (seatId: number, customerName: string) =>
    answer(
      postJson(running.baseUrl, '/api/reservations', {
        seat_id: seatId,
        customer_name: customerName,
        server_id: 'server-1',
      }),
    );

  it('works through the proxy before the outage', async () => {
    expect((await health()).status).toBe(200);
    expect((await reserve(1, 'Ana')).status).toBe(201);
  });

  it('answers 503 in the JSON error format while the database is unreachable, and keeps serving', async () => {
    await proxy.stop();

    const attempt = await reserve(2, 'Bob');
    expect(attempt).toMatchObject({ status: 503, body: { statusCode: 503, error: 'Service Unavailable' } });
    expect(String(attempt.body['message'])).toMatch(/unreachable/);

    const seats = await answer(fetch(`${running.baseUrl}/api/seats`));
    expect(seats).toMatchObject({ status: 503, body: { statusCode: 503, error: 'Service Unavailable' } });
    expect((await seat(1)).status).toBe(503);

    const healthDuringOutage = await health();
    expect(healthDuringOutage).toMatchObject({
      status: 503,
      body: {
        status: 'unavailable',
        event_store: { kind: 'postgres', reachable: false },
        read_model: { kind: 'postgres', reachable: false },
      },
    });

    // Bad input is still judged without the database, and routes that need none still answer.
    expect((await answer(postJson(running.baseUrl, '/api/reservations', { seat_id: 0 }))).status).toBe(400);
    expect((await fetch(`${running.baseUrl}/docs-json`)).status).toBe(200);
  }, 30_000);

  it('resumes when the database comes back: a reservation succeeds and the read model catches up', async () => {
    await proxy.start();

    const healthAfter = await pollUntil(health, (value) => value.status === 200, 15_000);
    expect(healthAfter).toMatchObject({ status: 200, body: { status: 'ok' } });

    // Once /health is green the very next attempt must succeed: no 500s while pools reconnect.
    const attempt = await reserve(3, 'Cleo');
    expect(attempt).toMatchObject({ status: 201, body: { seat_id: 3, customer_name: 'Cleo', status: 'confirmed' } });

    const taken = await pollUntil(
      () => seat(3),
      (value) => value.body['is_available'] === false,
      15_000,
    );
    expect(taken).toMatchObject({
      status: 200,
      body: { is_available: false, reservation: { customer_name: 'Cleo' } },
    });
    // The attempt made before the outage settled too (its settlement may have fallen inside the outage).
    const first = await pollUntil(
      () => seat(1),
      (value) => value.body['is_available'] === false,
      15_000,
    );
    expect(first.body).toMatchObject({ is_available: false, reservation: { customer_name: 'Ana' } });
    // The attempt refused during the outage left no trace.
    expect((await seat(2)).body).toMatchObject({ is_available: true, attempts_count: 0 });

    const caughtUp = await pollUntil(
      health,
      (value) => (value.body['read_model'] as { caught_up?: boolean } | undefined)?.caught_up === true,
      15_000,
    );
    expect(caughtUp.body).toMatchObject({ read_model: { caught_up: true, lag_events: 0 } });
  }, 60_000);
});
