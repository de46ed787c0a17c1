import { createHash, randomBytes } from 'node:crypto';
import type { Pool, PoolClient, QueryResult, QueryResultRow } from 'pg';
import { EventStoreUnavailableError } from '../event-store.port';
import { guardClient } from './client-error-guard';
import { isDeadlock, isUnavailableError } from './pg-errors';

/**
 * Runs a statement as a NAMED prepared statement on a pooled connection.
 *
 * Why: parse + plan dominate a small append. Measured through pglite-socket
 * (one connection): append 1.39 ms unnamed vs 0.46 ms prepared, the same as a
 * raw single-row INSERT; on PostgreSQL 15 it saved ~0.3 ms per append too.
 *
 * Why the client id in the name: pglite-socket multiplexes every connection
 * onto PGlite's ONE backend session, so prepared statements are shared by all
 * connections. `pg` tracks what it prepared per client, so two clients using
 * the same name would both send Parse and the second would fail with
 * "prepared statement already exists". A name per (statement text, client)
 * never collides, on PGlite or on a real server. The client's id carries a
 * token of its process: other processes reach the same PGlite session through
 * its socket (a second node, a test inspecting the log), and number their
 * clients from 1 too.
 *
 * Only for statements whose generic plan cannot go bad: after five runs
 * PostgreSQL may switch a prepared statement to a generic plan costed with the
 * statistics of that moment, and keeps it while the table grows (PGlite runs
 * no autovacuum, so no ANALYZE ever replaces it). Measured: an append that also
 * checked `event_id = ANY($n)` got a seq-scan generic plan on the young table
 * and batch-100 appends fell to 0.1× raw INSERTs. So a statement goes
 * through here only once its generic plan, made on an empty table, is pinned
 * by event-log-plans.int.spec.ts (the appends' checks, and the reads of the
 * log, of a stream and of the head: an index walked in order). Unnamed, the
 * reads were planned anew each time: the head poll cost PGlite 0.8–0.9 ms, most
 * of it planning, ~1,000 times in an 8-second write-path run.
 */
const clientIds = new WeakMap<PoolClient, string>();
let lastClientId = 0;
const PROCESS_TOKEN = randomBytes(4).toString('hex');

function clientId(client: PoolClient): string {
  let id = clientIds.get(client);
  if (id === undefined) {
    lastClientId += 1;
    id = `${PROCESS_TOKEN}_${lastClientId}`;
    clientIds.set(client, id);
  }
  return id;
}

const statementHashes = new Map<string, string>();

function statementHash(text: string): string {
  let hash = statementHashes.get(text);
  if (hash === undefined) {
    hash = createHash('sha1').update(text).digest('hex').slice(0, 16);
    statementHashes.set(text, hash);
  }
  return hash;
}

/**
 * An autocommit statement the server aborted to break a deadlock stored nothing, and the other
 * party has its locks now: sent again, it succeeds or fails on what that party committed (two
 * batches over the same streams in opposite order deadlock on a real server; PGlite has one session).
 */
const DEADLOCK_ATTEMPTS = 3;

export async function queryPrepared<Row extends QueryResultRow>(
  pool: Pool,
  text: string,
  values: readonly unknown[],
): Promise<QueryResult<Row>> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await queryPreparedOnce<Row>(pool, text, values);
    } catch (error) {
      if (!isDeadlock(error)) throw error;
      if (attempt >= DEADLOCK_ATTEMPTS) {
        // Contention, not a fault of the request: the caller may send it again (→ 503).
        throw new EventStoreUnavailableError(
          `the statement deadlocked with concurrent writers ${DEADLOCK_ATTEMPTS} times in a row and stored nothing; try again`,
          error,
        );
      }
    }
  }
}

async function queryPreparedOnce<Row extends QueryResultRow>(
  pool: Pool,
  text: string,
  values: readonly unknown[],
): Promise<QueryResult<Row>> {
  // The statement in flight fails with a connection error anyway; the listener only keeps it from being unhandled.
  const client = guardClient(await pool.connect(), ignoreConnectionError);
  let failure: unknown;
  try {
    return await client.query<Row>({
      name: `es_${statementHash(text)}_${clientId(client)}`,
      text,
      values: [...values],
    });
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    // Keep the connection (and its prepared statements) after an ordinary SQL
    // error such as a unique violation; drop it only when the connection broke.
    client.release(failure !== undefined && isUnavailableError(failure) ? toError(failure) : undefined);
  }
}

function ignoreConnectionError(): void {}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
