/*
 * The embedded store analyzes its log itself (log-statistics.ts), on PGlite,
 * which has no autovacuum. What is asserted is what the statistics are for:
 * the plan PostgreSQL makes for a read of the log from an early position (a
 * custom plan: the first five runs of each prepared statement get one) walks
 * the primary key instead of scanning and sorting every later row. Only on
 * PGlite: on a real server, autovacuum may analyze the table in the
 * background, so a "without" case could not be pinned there.
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { explainPrepared } from '../../testing/explain-prepared';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../embedded/embedded-postgres';
import { eventLogSql } from './event-log-sql';
import { ANALYZE_FLOOR_EVENTS } from './log-statistics';
import { PostgresEventStore } from './postgres-event-store';

const CHUNK = 500;

const freshSchema = () => `es_stats_${randomUUID().replace(/-/g, '').slice(0, 12)}`;

const fill = async (store: PostgresEventStore, events: number): Promise<void> => {
  for (let start = 0; start < events; start += CHUNK) {
    await store.append(
      `fill-${randomUUID()}`,
      Array.from({ length: Math.min(CHUNK, events - start) }, (_, index) => ({
        id: randomUUID(),
        type: 'Filled',
        data: { index: start + index, padding: 'x'.repeat(200) },
      })),
    );
  }
};

const analyzedRows = async (pool: Pool, schema: string): Promise<number> => {
  const { rows } = await pool.query<{ reltuples: number }>(
    `SELECT reltuples::float8 AS reltuples FROM pg_class WHERE oid = '"${schema}".events'::regclass`,
  );
  return rows[0]!.reltuples;
};

/** The custom plan of the log read from position 0, as its first runs get it. */
const firstReadPlan = async (pool: Pool, schema: string): Promise<string> => {
  const client = await pool.connect();
  try {
    return await explainPrepared(client, eventLogSql(schema).readAll, {
      types: 'bigint, bigint',
      mode: 'custom',
      args: ['0', '100'],
    });
  } finally {
    client.release();
  }
};

describe('log statistics on PGlite (no autovacuum)', () => {
  let embedded: EmbeddedPostgres;
  let pool: Pool;
  const stores: PostgresEventStore[] = [];

  const openStore = async (schema: string, analyzeLog?: boolean): Promise<PostgresEventStore> => {
    const store = new PostgresEventStore({
      pool,
      kind: 'pglite',
      schema,
      ...(analyzeLog !== undefined && { analyzeLog }),
    });
    stores.push(store);
    await store.migrate();
    return store;
  };

  beforeAll(async () => {
    embedded = await startEmbeddedPostgres();
    pool = new Pool({ connectionString: embedded.connectionString, max: 4 });
  });
  afterAll(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await pool?.end();
    await embedded?.close();
  });

  it('given a log that grew past the floor, when read from position 0, then the plan walks the primary key (no sort)', async () => {
    const schema = freshSchema();
    const store = await openStore(schema);
    await fill(store, 4 * ANALYZE_FLOOR_EVENTS);
    await store.close(); // waits for the ANALYZE in flight
    expect(await analyzedRows(pool, schema)).toBeGreaterThanOrEqual(ANALYZE_FLOOR_EVENTS);
    const plan = await firstReadPlan(pool, schema);
    expect(plan).toMatch(/Index Scan using events_pkey on events/);
    expect(plan).not.toMatch(/Sort|Bitmap/);
  });

  it('given the same log with the statistics turned off, when read from position 0, then the plan scans and sorts (what the statistics prevent)', async () => {
    const schema = freshSchema();
    const store = await openStore(schema, false);
    await fill(store, 4 * ANALYZE_FLOOR_EVENTS);
    await store.close();
    expect(await analyzedRows(pool, schema)).toBeLessThan(0);
    expect(await firstReadPlan(pool, schema)).toMatch(/Sort/);
  });

  it('given a young log below the floor, when appended to, then it stays unanalyzed (planned as at least ten pages, see event-log-plans)', async () => {
    const schema = freshSchema();
    const store = await openStore(schema);
    await fill(store, ANALYZE_FLOOR_EVENTS - 1);
    await store.close();
    expect(await analyzedRows(pool, schema)).toBeLessThan(0);
  });

  it('given an ANALYZE, when it has run, then it sampled the position at target 10 and left the session’s own target alone', async () => {
    const schema = freshSchema();
    const store = await openStore(schema);
    await fill(store, ANALYZE_FLOOR_EVENTS);
    await store.close();
    const { rows } = await pool.query<{ bounds: number; columns: number }>(
      `SELECT max(cardinality(histogram_bounds::text::bigint[])) FILTER (WHERE attname = 'position') AS bounds,
              count(*)::int AS columns
         FROM pg_stats WHERE schemaname = $1 AND tablename = 'events'`,
      [schema],
    );
    expect(rows[0]).toEqual({ bounds: 11, columns: 1 });
    const { rows: setting } = await pool.query<{ default_statistics_target: string }>('SHOW default_statistics_target');
    expect(setting[0]!.default_statistics_target).toBe('100');
  });

  it('given a log filled while nobody analyzed it, when a store opens it, then it is analyzed at open', async () => {
    const schema = freshSchema();
    const filler = await openStore(schema, false);
    await fill(filler, 2 * ANALYZE_FLOOR_EVENTS);
    expect(await analyzedRows(pool, schema)).toBeLessThan(0);
    await (await openStore(schema)).close();
    expect(await analyzedRows(pool, schema)).toBeGreaterThanOrEqual(2 * ANALYZE_FLOOR_EVENTS * 0.9);
  });

  it('given a log that grew since its last ANALYZE while no store counted (a restart), when a store opens it, then it counts that growth from the table', async () => {
    const schema = freshSchema();
    const filler = await openStore(schema, false);
    await fill(filler, 2 * ANALYZE_FLOOR_EVENTS);
    await (await openStore(schema)).close();
    const counted = await analyzedRows(pool, schema);
    expect(counted).toBeGreaterThanOrEqual(2 * ANALYZE_FLOOR_EVENTS * 0.9);
    // Below the threshold (1,000 + 10 % of what was counted): opening analyzes nothing.
    await fill(filler, 500);
    await (await openStore(schema)).close();
    expect(await analyzedRows(pool, schema)).toBe(counted);
    // Past it: opening analyzes.
    await fill(filler, ANALYZE_FLOOR_EVENTS);
    await (await openStore(schema)).close();
    expect(await analyzedRows(pool, schema)).toBeGreaterThan(counted + ANALYZE_FLOOR_EVENTS);
  });
});
