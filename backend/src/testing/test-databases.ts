/**
 * The databases tests run against: embedded PGlite always, and a real
 * PostgreSQL server when TEST_DATABASE_URL is set. Each open() gives a fresh,
 * empty database, so parallel suites never see each other.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../event-store/embedded/embedded-postgres';

export interface TestDatabase {
  readonly kind: 'pglite' | 'postgres';
  readonly connectionString: string;
  dispose(): Promise<void>;
}

export interface TestDatabaseTarget {
  readonly name: string;
  open(): Promise<TestDatabase>;
}

const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'];

const pglite: TestDatabaseTarget = {
  name: 'PGlite',
  open: async () => {
    const embedded = await startEmbeddedPostgres({ maxConnections: 40 });
    return { kind: 'pglite', connectionString: embedded.connectionString, dispose: () => embedded.close() };
  },
};

const SESSIONS_LEAVE_TIMEOUT_MS = 5_000;

/**
 * pg's Pool.end() resolves once it has asked its clients to end, before the server has closed
 * their sessions. A DROP ... WITH (FORCE) in that gap terminates them, and an ending client that
 * receives the termination (57P01) reports it through its pool's idle listener as an unhandled
 * error. Waiting for the sessions to leave first keeps FORCE for the ones a test really left open.
 */
const waitForSessionsToLeave = async (admin: Client, database: string): Promise<void> => {
  const deadline = Date.now() + SESSIONS_LEAVE_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const { rows } = await admin.query<{ sessions: number }>(
      `SELECT count(*)::int AS sessions FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend'`,
      [database],
    );
    if (rows[0]?.sessions === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  // Still there: FORCE ends them, and a test that really left a client open hears about it.
};

/** A fresh, empty database on a real server, dropped (with its connections) by dispose(). */
export const openThrowawayDatabase = async (adminUrl: string, prefix = 'lab_t'): Promise<TestDatabase> => {
  const database = `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return {
    kind: 'postgres',
    connectionString: url.toString(),
    dispose: async () => {
      const cleanup = new Client({ connectionString: adminUrl });
      await cleanup.connect();
      try {
        await waitForSessionsToLeave(cleanup, database);
        await cleanup.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      } finally {
        await cleanup.end();
      }
    },
  };
};

const realServer = (adminUrl: string): TestDatabaseTarget => ({
  name: 'PostgreSQL',
  open: () => openThrowawayDatabase(adminUrl),
});

let skipNoticePrinted = false;

/** PGlite always; the real server only when TEST_DATABASE_URL is set (else a printed skip reason). */
export const testDatabaseTargets = (): TestDatabaseTarget[] => {
  if (TEST_DATABASE_URL) return [pglite, realServer(TEST_DATABASE_URL)];
  if (!skipNoticePrinted) {
    skipNoticePrinted = true;
    console.warn('TEST_DATABASE_URL is not set: read-model tests run on PGlite only (CI sets it for PostgreSQL 15).');
  }
  return [pglite];
};
