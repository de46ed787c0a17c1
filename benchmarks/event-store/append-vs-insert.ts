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
 * Like with like: every side runs as a named prepared statement through the
 * same helper the store uses (one pool checkout, one round trip), on the same
 * pool, with rows of the same columns and payload. The headline ratio is
 * against the cheapest honest INSERT (a bigserial key, no other index). A
 * second reference inserts the same rows into a table that also carries the
 * event store's two unique constraints (event id; stream id + revision): the
 * store ÷ that ratio is the cost of the store itself, the rest of the gap is
 * the price of idempotency and optimistic concurrency.
 *
 * Fairness against drift: the engine is warmed up before the first case (a
 * fresh PGlite runs 2× slower during its first seconds while V8 optimises the
 * WASM, and whichever side ran first used to absorb that), and the sides take
 * turns going first in successive slices, so a steady speed-up or slow-down of
 * the machine cannot favour one side.
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
/** Once per target, before the first case: engine JIT / caches settle. */
const ENGINE_WARMUP_MS = 2000;
/** A multiple of the number of sides, so each side goes first, second and third equally often. */
const SLICES = 6;
const CONNECTION_COUNTS = [1, 5] as const;
/**
 * Events per append, and whether each append opens a new stream ('no_stream',
 * as a reservation attempt does) instead of extending one stream with the exact
 * expected revision (the optimistic-concurrency path).
 */
const CASES = [
  { batchSize: 1, newStreams: false },
  { batchSize: 10, newStreams: false },
  { batchSize: 100, newStreams: false },
  { batchSize: 1, newStreams: true },
] as const;

interface CaseResult {
  readonly target: string;
  readonly batchSize: number;
  readonly newStreams: boolean;
  readonly connections: number;
  readonly storeEventsPerSecond: number;
  readonly rawRowsPerSecond: number;
  readonly ratio: number;
  /** Raw INSERT into a table with the store's unique constraints too. */
  readonly rawUniqueRowsPerSecond: number;
  readonly ratioToRawUnique: number;
}

type Side = 'store' | 'raw' | 'rawUnique';
const SIDES: readonly Side[] = ['store', 'raw', 'rawUnique'];
type Operation = (worker: number) => Promise<void>;

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
 * Measures the sides in slices, rotating which side goes first, so that load
 * from other processes on a shared machine (and any drift) hits all alike.
 */
async function alternatingOpsPerSecond(
  operations: Record<Side, Operation>,
  connections: number,
): Promise<Record<Side, number>> {
  for (const side of SIDES) await runFor(WARMUP_MS, connections, operations[side]);
  const totals = Object.fromEntries(SIDES.map((side) => [side, { operations: 0, elapsedMs: 0 }])) as Record<
    Side,
    { operations: number; elapsedMs: number }
  >;
  for (let slice = 0; slice < SLICES; slice += 1) {
    const order = SIDES.map((_, index) => SIDES[(index + slice) % SIDES.length] as Side);
    for (const side of order) {
      const run = await runFor(MEASURE_MS / SLICES, connections, operations[side]);
      totals[side].operations += run.operations;
      totals[side].elapsedMs += run.elapsedMs;
    }
  }
  const perSecond = (side: Side): number => totals[side].operations / (totals[side].elapsedMs / 1000);
  return { store: perSecond('store'), raw: perSecond('raw'), rawUnique: perSecond('rawUnique') };
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
  const rawUniqueTable = `"${schema}".raw_unique_rows`;
  await new PostgresEventStore({ pool: setupPool, schema, kind: 'postgres' }).migrate();
  // Same columns as the events table; only a bigserial key, no uniqueness checks: the cheapest honest INSERT.
  await setupPool.query(`CREATE TABLE IF NOT EXISTS ${rawTable} (
    id bigserial PRIMARY KEY, stream_id text NOT NULL, revision bigint NOT NULL, event_id uuid NOT NULL,
    type text NOT NULL, data jsonb NOT NULL, metadata jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
  // The same, plus the event store's two unique constraints: separates their cost from the store's own.
  await setupPool.query(`CREATE TABLE IF NOT EXISTS ${rawUniqueTable} (
    id bigserial PRIMARY KEY, stream_id text NOT NULL, revision bigint NOT NULL, event_id uuid NOT NULL UNIQUE,
    type text NOT NULL, data jsonb NOT NULL, metadata jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (stream_id, revision))`);
  let engineWarm = false;
  try {
    for (const connections of CONNECTION_COUNTS) {
      const pool = new Pool({ connectionString, max: connections });
      const kind = target.startsWith('pglite') ? 'pglite' : 'postgres';
      const store = new PostgresEventStore({ pool, schema, kind });
      try {
        for (const { batchSize, newStreams } of CASES) {
          const revisions = new Map<number, bigint>();
          const uniqueRevisions = new Map<number, number>();
          const streams = Array.from({ length: connections }, () => `bench-${randomUUID().slice(0, 8)}`);
          let offset = 0;
          const rawParams = (worker: number, firstRevision: number): unknown[] =>
            events(batchSize, (offset += batchSize)).flatMap((event, index) => [
              streams[worker] ?? 'bench',
              firstRevision + index,
              event.id,
              event.type,
              JSON.stringify(event.data),
              JSON.stringify(event.metadata),
            ]);
          const sql = rawInsertSql(rawTable, batchSize);
          const uniqueSql = rawInsertSql(rawUniqueTable, batchSize);
          const operations: Record<Side, Operation> = {
            store: async (worker) => {
              const expectedRevision = newStreams ? 'no_stream' : (revisions.get(worker) ?? 'no_stream');
              const streamId = newStreams ? `bench-${randomUUID()}` : (streams[worker] ?? 'bench');
              const result = await store.append(streamId, events(batchSize, (offset += batchSize)), {
                expectedRevision,
              });
              revisions.set(worker, result.nextExpectedRevision);
            },
            raw: async (worker) => {
              await queryPrepared(pool, sql, rawParams(worker, 0));
            },
            rawUnique: async (worker) => {
              const first = uniqueRevisions.get(worker) ?? 0;
              uniqueRevisions.set(worker, first + batchSize);
              await queryPrepared(pool, uniqueSql, rawParams(worker, first));
            },
          };
          if (!engineWarm) {
            for (const side of SIDES) await runFor(ENGINE_WARMUP_MS / SIDES.length, connections, operations[side]);
            engineWarm = true;
          }
          const {
            store: storeOps,
            raw: rawOps,
            rawUnique: rawUniqueOps,
          } = await alternatingOpsPerSecond(operations, connections);
          results.push({
            target,
            batchSize,
            newStreams,
            connections,
            storeEventsPerSecond: storeOps * batchSize,
            rawRowsPerSecond: rawOps * batchSize,
            ratio: storeOps / rawOps,
            rawUniqueRowsPerSecond: rawUniqueOps * batchSize,
            ratioToRawUnique: storeOps / rawUniqueOps,
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
  const header = [
    'target',
    'events/append',
    'connections',
    'store events/s',
    'raw rows/s',
    'store ÷ raw',
    'raw+unique rows/s',
    'store ÷ raw+unique',
  ];
  const rows = results.map((result) => [
    result.target,
    `${result.batchSize}${result.newStreams ? ' (new stream)' : ''}`,
    String(result.connections),
    Math.round(result.storeEventsPerSecond).toString(),
    Math.round(result.rawRowsPerSecond).toString(),
    result.ratio.toFixed(2),
    Math.round(result.rawUniqueRowsPerSecond).toString(),
    result.ratioToRawUnique.toFixed(2),
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
        rawUniqueRowsPerSecond: Math.round(result.rawUniqueRowsPerSecond),
        ratioToRawUnique: Number(result.ratioToRawUnique.toFixed(3)),
      })),
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
