/**
 * Where the projection benchmarks run: embedded PGlite with a temp data
 * directory (the app's default), and a real PostgreSQL server when
 * BENCH_DATABASE_URL (or TEST_DATABASE_URL) is set, in a throw-away database.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../../backend/src/event-store/embedded/embedded-postgres';
import type { TestDatabase } from '../../backend/src/testing/test-databases';

export interface BenchTarget {
  readonly name: 'pglite' | 'postgresql';
  open(): Promise<TestDatabase>;
}

const embedded: BenchTarget = {
  name: 'pglite',
  open: async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'bench-projections-'));
    const server = await startEmbeddedPostgres({ dataDir, maxConnections: 40 });
    return {
      kind: 'pglite',
      connectionString: server.connectionString,
      dispose: async () => {
        await server.close();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  },
};

const realServer = (adminUrl: string): BenchTarget => ({
  name: 'postgresql',
  open: async () => {
    const database = `bench_proj_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
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
        await cleanup.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
        await cleanup.end();
      },
    };
  },
});

export const benchTargets = (): BenchTarget[] => {
  const url = process.env['BENCH_DATABASE_URL'] ?? process.env['TEST_DATABASE_URL'];
  if (!url) console.warn('BENCH_DATABASE_URL / TEST_DATABASE_URL not set: PostgreSQL server cases skipped');
  return url ? [embedded, realServer(url)] : [embedded];
};
