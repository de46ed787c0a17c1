/**
 * How much does the event store's append cost compared with the raw INSERT it
 * is built on? Same database, same connection count, rows of the same size.
 *
 *   npx tsx benchmarks/event-store/append-vs-insert.ts
 *
 * Runs on embedded PGlite (data directory in a temp folder, as the default app
 * uses it) and, when BENCH_DATABASE_URL or TEST_DATABASE_URL is set, on that
 * PostgreSQL server (in a throw-away schema). Prints a table with the ratio
 * event-store ÷ raw per case, then one JSON line. Target: ratio ≥ 0.8.
 * BENCH_SECONDS (default 1.2) sets the measuring time per case.
 *
 * Both sides run as named prepared statements through the same helper the
 * store uses, so the ratio measures the append's extra work (revision and
 * idempotency checks, two unique indexes), not statement preparation.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'pg';
import { startEmbeddedPostgres } from '../../backend/src/event-store/embedded/embedded-postgres';
import type { EventToAppend, JsonObject } from '../../backend/src/event-store/event-store.port';
import { PostgresEventStore } from '../../backend/src/event-store/postgres/postgres-event-store';
import { queryPrepared } from '../../backend/src/event-store/postgres/prepared-query';

const MEASURE_MS = Number(process.env['BENCH_SECONDS'] ?? '1.2') * 1000;
const WARMUP_MS = 150;
const SLICES = 4;
const CONNECTION_COUNTS = [1, 5] as const;
const BATCH_SIZES = [1, 10, 100] as const;

interface CaseResult {
  readonly target: string;
  readonly batchSize: number;
  readonly connections: number;
  readonly storeEventsPerSecond: number;
  readonly rawRowsPerSecond: number;
  readonly ratio: number;
}

/** A reservation-sized payload (~250 bytes of JSON), identical for both sides. */
function payload(index: number): JsonObject {
  return {
    seatId: `seat-${index % 500}`,
    serverId: `server-${index % 5}`,
    serverTimeMs: 1_750_000_000_000 + index,
    ntpOffsetEstimateMs: -12.5,
    errorBoundMs: 3.25,
    hlc: { wallMs: 1_750_000_000_000 + index, logical: index % 7 },
    referenceTimeMs: 1_750_000_000_000 + index - 12,
  };
}
const METADATA: JsonObject = { correlationId: 'bench', causationId: 'bench' };

function events(count: number, offset: number): EventToAppend[] {
  return Array.from({ length: count }, (_, index) => ({
    id: randomUUID(),
    type: 'ReservationAttempted',
    data: payload(offset + index),
    metadata: METADATA,
  }));
}

/** Runs `connections` concurrent loops of `operation` for `durationMs`; returns completed operations and elapsed ms. */
async function runFor(
  durationMs: number,
  connections: number,
  operation: (worker: number) => Promise<void>,
): Promise<{ operations: number; elapsedMs: number }> {
  let operations = 0;
  const startedAt = performance.now();
  const stopAt = startedAt + durationMs;
  const loop = async (worker: number): Promise<void> => {
    while (performance.now() < stopAt) {
      await operation(worker);
      operations += 1;
    }
  };
  await Promise.all(Array.from({ length: connections }, (_, worker) => loop(worker)));
  return { operations, elapsedMs: performance.now() - startedAt };
}

/**
 * Measures both sides in alternating slices (store, raw, store, raw, ...) so
 * that load from other processes on a shared machine hits both alike.
 */
async function alternatingOpsPerSecond(
  connections: number,
  storeOperation: (worker: number) => Promise<void>,
  rawOperation: (worker: number) => Promise<void>,
): Promise<{ store: number; raw: number }> {
  await runFor(WARMUP_MS, connections, storeOperation);
  await runFor(WARMUP_MS, connections, rawOperation);
  const totals = { store: { operations: 0, elapsedMs: 0 }, raw: { operations: 0, elapsedMs: 0 } };
  for (let slice = 0; slice < SLICES; slice += 1) {
    for (const side of ['store', 'raw'] as const) {
      const run = await runFor(MEASURE_MS / SLICES, connections, side === 'store' ? storeOperation : rawOperation);
      totals[side].operations += run.operations;
      totals[side].elapsedMs += run.elapsedMs;
    }
  }
  return {
    store: totals.store.operations / (totals.store.elapsedMs / 1000),
    raw: totals.raw.operations / (totals.raw.elapsedMs / 1000),
  };
}

function rawInsertSql(table: string, rows: number): string {
  const values = Array.from({ length: rows }, (_, row) => {
    const p = row * 6;
    return `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}::jsonb, $${p + 6}::jsonb)`;
  });
  return `INSERT INTO ${table} (stream_id, revision, event_id, type, data, metadata) VALUES ${values.join(', ')}`;
}

async function benchmarkTarget(target: string, connectionString: string, schema: string): Promise<CaseResult[]> {
  const results: CaseResult[] = [];
  const setupPool = new Pool({ connectionString, max: 1 });
  const rawTable = `"${schema}".raw_rows`;
  await new PostgresEventStore({ pool: setupPool, schema, kind: 'postgres' }).migrate();
  // Same columns as the events table; only a bigserial key, no uniqueness checks: the cheapest honest INSERT.
  await setupPool.query(`CREATE TABLE IF NOT EXISTS ${rawTable} (
    id bigserial PRIMARY KEY, stream_id text NOT NULL, revision bigint NOT NULL, event_id uuid NOT NULL,
    type text NOT NULL, data jsonb NOT NULL, metadata jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
  try {
    for (const connections of CONNECTION_COUNTS) {
      const pool = new Pool({ connectionString, max: connections });
      const kind = target.startsWith('pglite') ? 'pglite' : 'postgres';
      const store = new PostgresEventStore({ pool, schema, kind });
      try {
        for (const batchSize of BATCH_SIZES) {
          const revisions = new Map<number, bigint>();
          const streams = Array.from({ length: connections }, () => `bench-${randomUUID().slice(0, 8)}`);
          let offset = 0;
          const sql = rawInsertSql(rawTable, batchSize);
          const { store: storeOps, raw: rawOps } = await alternatingOpsPerSecond(
            connections,
            async (worker) => {
              const expectedRevision = revisions.get(worker) ?? 'no_stream';
              const result = await store.append(streams[worker] ?? 'bench', events(batchSize, (offset += batchSize)), {
                expectedRevision,
              });
              revisions.set(worker, result.nextExpectedRevision);
            },
            async (worker) => {
              const params = events(batchSize, (offset += batchSize)).flatMap((event, index) => [
                streams[worker] ?? 'bench',
                index,
                event.id,
                event.type,
                JSON.stringify(event.data),
                JSON.stringify(event.metadata),
              ]);
              await queryPrepared(pool, sql, params);
            },
          );
          results.push({
            target,
            batchSize,
            connections,
            storeEventsPerSecond: storeOps * batchSize,
            rawRowsPerSecond: rawOps * batchSize,
            ratio: storeOps / rawOps,
          });
        }
      } finally {
        await store.close();
        await pool.end();
      }
    }
  } finally {
    await setupPool.end();
  }
  return results;
}

async function onPglite(): Promise<CaseResult[]> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-pglite-'));
  const embedded = await startEmbeddedPostgres({ dataDir, maxConnections: 20 });
  try {
    return await benchmarkTarget('pglite (data dir, socket)', embedded.connectionString, 'public');
  } finally {
    await embedded.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function onPostgres(connectionString: string): Promise<CaseResult[]> {
  const schema = `bench_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
  try {
    return await benchmarkTarget('postgresql', connectionString, schema);
  } finally {
    const pool = new Pool({ connectionString, max: 1 });
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  }
}

function printTable(results: readonly CaseResult[]): void {
  const header = ['target', 'events/append', 'connections', 'store events/s', 'raw rows/s', 'store ÷ raw'];
  const rows = results.map((result) => [
    result.target,
    String(result.batchSize),
    String(result.connections),
    Math.round(result.storeEventsPerSecond).toString(),
    Math.round(result.rawRowsPerSecond).toString(),
    result.ratio.toFixed(2),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0)))
      .join('  ');
  console.log(line(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.log(line(row));
}

async function main(): Promise<void> {
  const databaseUrl = process.env['BENCH_DATABASE_URL'] ?? process.env['TEST_DATABASE_URL'];
  const results = [...(await onPglite())];
  if (databaseUrl === undefined) {
    console.warn('BENCH_DATABASE_URL / TEST_DATABASE_URL not set: PostgreSQL server cases skipped');
  } else {
    results.push(...(await onPostgres(databaseUrl)));
  }
  printTable(results);
  const worst = Math.min(...results.map((result) => result.ratio));
  console.log(
    JSON.stringify({
      benchmark: 'event-store-append-vs-insert',
      measureMs: MEASURE_MS,
      worstRatio: Number(worst.toFixed(3)),
      target: 0.8,
      results: results.map((result) => ({
        ...result,
        storeEventsPerSecond: Math.round(result.storeEventsPerSecond),
        rawRowsPerSecond: Math.round(result.rawRowsPerSecond),
        ratio: Number(result.ratio.toFixed(3)),
      })),
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
