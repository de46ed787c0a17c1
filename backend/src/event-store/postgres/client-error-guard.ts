/**
 * Keeps a dying server from killing the process (STACK.md, "pg Pool and a
 * dying server"): pg-pool listens for 'error' only on IDLE clients, so a
 * FATAL (57P01 on `pg_ctl stop -m fast`) or a reset that reaches a client
 * between two queries while it is checked out is an unhandled 'error' event.
 * Every client gets a listener of its own for its whole life; the query in
 * flight still fails with the error (→ 503), and pg-pool drops the broken
 * client when it is released with that error.
 */
import type { Pool, PoolClient } from 'pg';

const guarded = new WeakSet<object>();

export type ConnectionErrorListener = (error: Error) => void;

/** Attaches `onError` once to this client (idempotent). */
export const guardClient = (client: PoolClient, onError: ConnectionErrorListener): PoolClient => {
  if (!guarded.has(client)) {
    guarded.add(client);
    client.on('error', onError);
  }
  return client;
};

/** Guards the pool itself (idle clients) and every client it connects from now on. */
export const guardPool = (pool: Pool, onError: ConnectionErrorListener): void => {
  pool.on('error', onError);
  pool.on('connect', (client) => guardClient(client, onError));
};
