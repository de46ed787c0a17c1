/**
 * The SQL of the PostgreSQL event store, in one place.
 *
 * Global position strategy (why it never skips an event):
 *   position = (transaction id << 20) + ordinal of the event in its append.
 * Every append is one autocommit statement, so all its events share one
 * transaction id, and positions order events exactly by (transaction id,
 * ordinal). Readers of the global log only return events whose transaction id
 * is below `pg_snapshot_xmin(pg_current_snapshot())`: every such transaction
 * has finished, so nothing can later appear below that bound. A transaction
 * that becomes visible later has an id ≥ the bound a reader used, hence
 * positions above everything that reader returned. A plain bigserial would not
 * be enough: it is drawn independently of the transaction id, so a writer with
 * a smaller position can commit after one with a larger position becomes visible.
 * This costs no lock, so concurrent appends stay concurrent. Cost: positions
 * are sparse (gaps are fine, skips are not), and any long-open transaction on
 * the server delays (never loses) global-log visibility.
 */

/** At most 2^20 − 1 events per append: the ordinal lives in the low 20 bits of the position. */
export const ORDINAL_BITS = 20;
export const MAX_EVENTS_PER_APPEND = 2 ** ORDINAL_BITS - 1;

export const STREAM_REVISION_CONSTRAINT = 'events_stream_revision_key';
export const EVENT_ID_CONSTRAINT = 'events_event_id_key';

const SAFE_IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

export function quoteSchema(schema: string): string {
  if (!SAFE_IDENTIFIER.test(schema)) {
    throw new Error(`Invalid schema name "${schema}": use lower-case letters, digits and _`);
  }
  return `"${schema}"`;
}

/** Idempotent DDL; run under an advisory lock because parallel CREATE ... IF NOT EXISTS can still collide. */
export function migrationSql(schema: string): string[] {
  const s = quoteSchema(schema);
  return [
    `CREATE SCHEMA IF NOT EXISTS ${s}`,
    `CREATE TABLE IF NOT EXISTS ${s}.events (
       position bigint PRIMARY KEY,
       stream_id text NOT NULL,
       revision bigint NOT NULL CHECK (revision >= 0),
       event_id uuid NOT NULL,
       type text NOT NULL,
       data jsonb NOT NULL,
       metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
       created_at timestamptz NOT NULL DEFAULT now(),
       transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
       CONSTRAINT ${EVENT_ID_CONSTRAINT} UNIQUE (event_id),
       CONSTRAINT ${STREAM_REVISION_CONSTRAINT} UNIQUE (stream_id, revision)
     )`,
    `CREATE OR REPLACE FUNCTION ${s}.events_are_append_only() RETURNS trigger
       LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'the events table is append-only'; END $$`,
    `CREATE OR REPLACE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON ${s}.events
       FOR EACH ROW EXECUTE FUNCTION ${s}.events_are_append_only()`,
  ];
}

/** Lock key for migrations, so concurrent migrate() calls serialise. */
export const MIGRATION_LOCK_KEY = 7_411_003_001;

const EVENT_COLUMNS = 'position, stream_id, revision, event_id, type, data, metadata, created_at';

/** Upper bound (exclusive) of positions every reader may see: all transactions below it have ended. */
const VISIBLE_POSITION_LIMIT = `(pg_snapshot_xmin(pg_current_snapshot())::text::bigint << ${ORDINAL_BITS})`;

export interface EventLogSql {
  /**
   * $1 stream id, $2 jsonb array of {id,type,data,metadata},
   * $3 expectation ('any' | 'no_stream' | 'stream_exists' | 'exact'), $4 exact revision or null.
   * Inserts nothing when the expectation fails. An id that is already stored
   * violates EVENT_ID_CONSTRAINT: the store then checks for an idempotent re-send.
   * Its only table access is the index-backed max(revision), so its cached
   * generic plan stays good however the table grows (see prepared-query.ts).
   */
  readonly append: string;
  /** $1 uuid[]: where these ids already are. */
  readonly findEventIds: string;
  /** $1 stream id: last revision or null. */
  readonly streamHead: string;
  readonly readStreamForwards: string;
  readonly readStreamBackwards: string;
  /** $1 after (exclusive), $2 max count or null. */
  readonly readAll: string;
  readonly headPosition: string;
}

export function eventLogSql(schema: string): EventLogSql {
  const events = `${quoteSchema(schema)}.events`;
  return {
    append: `
      INSERT INTO ${events} (position, stream_id, revision, event_id, type, data, metadata, transaction_id)
      SELECT (pg_current_xact_id()::text::bigint << ${ORDINAL_BITS}) + input.ordinal,
             $1,
             head.revision + input.ordinal,
             (input.e->>'id')::uuid,
             input.e->>'type',
             input.e->'data',
             input.e->'metadata',
             pg_current_xact_id()
      FROM (SELECT coalesce(max(revision), -1) AS revision FROM ${events} WHERE stream_id = $1) AS head,
           jsonb_array_elements($2::jsonb) WITH ORDINALITY AS input(e, ordinal)
      WHERE CASE $3::text
              WHEN 'any' THEN true
              WHEN 'no_stream' THEN head.revision = -1
              WHEN 'stream_exists' THEN head.revision >= 0
              ELSE head.revision = $4::bigint
            END
      RETURNING position, revision`,
    findEventIds: `SELECT event_id, stream_id, revision, position FROM ${events} WHERE event_id = ANY($1::uuid[])`,
    streamHead: `SELECT max(revision) AS revision FROM ${events} WHERE stream_id = $1`,
    readStreamForwards: `
      SELECT ${EVENT_COLUMNS} FROM ${events}
      WHERE stream_id = $1 AND revision >= $2 ORDER BY revision LIMIT $3`,
    readStreamBackwards: `
      SELECT ${EVENT_COLUMNS} FROM ${events}
      WHERE stream_id = $1 AND revision <= $2 ORDER BY revision DESC LIMIT $3`,
    readAll: `
      SELECT ${EVENT_COLUMNS} FROM ${events}
      WHERE position > $1 AND position < ${VISIBLE_POSITION_LIMIT}
      ORDER BY position LIMIT $2`,
    headPosition: `
      SELECT coalesce(max(position), 0) AS position FROM ${events}
      WHERE position < ${VISIBLE_POSITION_LIMIT}`,
  };
}
