/**
 * Where the projection benchmarks run: embedded PGlite with a temp data
 * directory (the app's default), and a real PostgreSQL server when
 * BENCH_DATABASE_URL (or TEST_DATABASE_URL) is set, in a throw-away database.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres } from '../../backend/src/event-store/embedded/embedded-postgres';
import { openThrowawayDatabase, type TestDatabase } from '../../backend/src/testing/test-databases';

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
  open: () => openThrowawayDatabase(adminUrl, 'bench_proj'),
});

export const benchTargets = (): BenchTarget[] => {
  const url = process.env['BENCH_DATABASE_URL'] ?? process.env['TEST_DATABASE_URL'];
  if (!url) console.warn('BENCH_DATABASE_URL / TEST_DATABASE_URL not set: PostgreSQL server cases skipped');
  return url ? [embedded, realServer(url)] : [embedded];
};
