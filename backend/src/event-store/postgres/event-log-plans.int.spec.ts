/*
 * A prepared statement's generic plan is made with the statistics of its
 * moment and kept (prepared-query.ts): a plan made on a young, empty events
 * table must still be good on a large one. These tests pin, on an empty table,
 * on PGlite and on a real server, the plan of every prepared statement: the
 * batch append's predecessor check (an index probe per row), the appends'
 * head probes and the reads of the log, of a stream and of the head (an index
 * range in order), never a scan of the events table or a sort; and again on
 * PGlite once the store's first ANALYZE of the log has run (log-statistics.ts).
 */
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { explainPrepared } from '../../testing/explain-prepared';
import { startEmbeddedPostgres } from '../embedded/embedded-postgres';
import { eventLogSql, migrationSql } from './event-log-sql';
import { ANALYZE_FLOOR_EVENTS } from './log-statistics';
import { PostgresEventStore } from './postgres-event-store';

const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'];

const genericPlanOf = async (pool: Pool, schema: string, statement: string, types: string): Promise<string> => {
  const client = await pool.connect();
  try {
    for (const sql of migrationSql(schema)) await client.query(sql);
    const args = types ? types.split(',').map(() => 'NULL') : [];
    return await explainPrepared(client, statement, { types, mode: 'generic', args });
  } finally {
    client.release();
  }
};

type PlanCase = {
  readonly statement: keyof ReturnType<typeof eventLogSql>;
  readonly types: string;
  /** The index the plan walks; null for a statement that reads no table. */
  readonly index: RegExp | null;
};

const STREAM_INDEX = /Index (Only )?Scan( Backward)? using events_stream_revision_key on events/;

/** Every statement that goes through queryPrepared (prepared-query.ts), with what its plan must read. */
const PLAN_CASES: readonly PlanCase[] = [
  { statement: 'readAll', types: 'bigint, bigint', index: /Index Scan using events_pkey on events/ },
  { statement: 'countAfter', types: 'bigint, bigint', index: /Index Only Scan using events_pkey on events/ },
  { statement: 'headPosition', types: '', index: /Index Only Scan Backward using events_pkey on events/ },
  { statement: 'readStreamForwards', types: 'text, bigint, bigint', index: STREAM_INDEX },
  { statement: 'readStreamBackwards', types: 'text, bigint, bigint', index: STREAM_INDEX },
  { statement: 'streamHead', types: 'text', index: STREAM_INDEX },
  { statement: 'append', types: 'text, text, text, bigint', index: STREAM_INDEX },
  { statement: 'appendOne', types: 'text, text, bigint, uuid, text, jsonb, jsonb', index: STREAM_INDEX },
  { statement: 'appendToNewStream', types: 'text, text', index: null },
  { statement: 'appendOneToNewStream', types: 'text, uuid, text, jsonb, jsonb', index: null },
  { statement: 'appendFirstEventsOfNewStreams', types: 'text[], uuid[], text[], jsonb[], jsonb[]', index: null },
];

const describePlans = (name: string, open: () => Promise<{ pool: Pool; schema: string; close(): Promise<void> }>) => {
  describe(`event log plans: ${name}`, () => {
    let database: { pool: Pool; schema: string; close(): Promise<void> };
    beforeAll(async () => {
      database = await open();
    });
    afterAll(async () => {
      await database?.close();
    });

    it('checks a batch append’s exact expectations with one unique-index probe each, even when planned on an empty table', async () => {
      const { pool, schema } = database;
      const plan = await genericPlanOf(
        pool,
        schema,
        eventLogSql(schema).appendToStreams,
        'text[], bigint[], uuid[], text[], jsonb[], jsonb[], text[], bigint[]',
      );
      expect(plan).toMatch(/Index (Only )?Scan using events_stream_revision_key on events stored/);
      expect(plan).not.toMatch(/Seq Scan on events/);
    });

    it.each(PLAN_CASES)(
      '$statement walks an index in order (or reads no table), even when planned on an empty table',
      async ({ statement, types, index }) => {
        const { pool, schema } = database;
        const plan = await genericPlanOf(pool, schema, eventLogSql(schema)[statement], types);
        if (index) expect(plan).toMatch(index);
        else expect(plan).not.toMatch(/Scan (Backward )?(using \S+ )?on events/);
        expect(plan).not.toMatch(/Seq Scan on events|Sort/);
      },
    );
  });
};

describePlans('PGlite', async () => {
  const embedded = await startEmbeddedPostgres();
  const pool = new Pool({ connectionString: embedded.connectionString, max: 1 });
  return {
    pool,
    schema: 'public',
    close: async () => {
      await pool.end();
      await embedded.close();
    },
  };
});

// The state the embedded store's first ANALYZE leaves (log-statistics.ts): the plans are then made
// with the statistics of a 1,000-event log, and must still walk their indexes as the log grows.
describePlans('PGlite, after the first ANALYZE of the log', async () => {
  const embedded = await startEmbeddedPostgres();
  const pool = new Pool({ connectionString: embedded.connectionString, max: 1 });
  const schema = 'analyzed';
  const store = new PostgresEventStore({ pool, kind: 'pglite', schema });
  await store.migrate();
  for (let start = 0; start < ANALYZE_FLOOR_EVENTS; start += 250) {
    await store.append(
      `stream-${start}`,
      Array.from({ length: 250 }, (_, index) => ({ id: randomUUID(), type: 'Filled', data: { index: start + index } })),
    );
  }
  await store.close(); // waits for the ANALYZE the floor started
  const { rows } = await pool.query<{ reltuples: number }>(
    `SELECT reltuples::float8 AS reltuples FROM pg_class WHERE oid = '"${schema}".events'::regclass`,
  );
  if (rows[0]!.reltuples < ANALYZE_FLOOR_EVENTS) throw new Error(`the log was not analyzed: ${rows[0]!.reltuples}`);
  return {
    pool,
    schema,
    close: async () => {
      await pool.end();
      await embedded.close();
    },
  };
});

if (TEST_DATABASE_URL !== undefined) {
  describePlans('real PostgreSQL server', async () => {
    const pool = new Pool({ connectionString: TEST_DATABASE_URL, max: 1 });
    const schema = `es_plans_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    return {
      pool,
      schema,
      close: async () => {
        await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await pool.end();
      },
    };
  });
} else {
  console.warn('TEST_DATABASE_URL is not set: skipping the event-log plan tests on a real PostgreSQL server');
  describe.skip('event log plans: real PostgreSQL server (TEST_DATABASE_URL not set)', () => {
    it('needs TEST_DATABASE_URL', () => undefined);
  });
}
