/**
 * Embedded PostgreSQL for the zero-configuration default.
 *
 * Decision: PGlite (PostgreSQL compiled to WASM) runs inside this process (in
 * a worker thread, see pglite-worker-source.ts), keeps its files in a data
 * directory so the log survives restarts (no directory = in memory), and is
 * served over TCP by `@electric-sql/pglite-socket` on 127.0.0.1 with an
 * ephemeral port. The point of the socket: ONE `pg`-based code path (a
 * `pg.Pool`, later TypeORM's postgres driver) serves both PGlite and a real
 * PostgreSQL server; only the connection string differs.
 *
 * Traps (STACK.md): PGlite is a single backend. The socket server multiplexes
 * connections, so `maxConnections` must exceed the sum of the pool sizes or a
 * pool deadlocks waiting for a slot; while one connection has a transaction
 * open every other connection's query waits, so never await another connection
 * from inside a transaction. LISTEN/NOTIFY does not cross the socket.
 */
import { mkdir } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { Worker } from 'node:worker_threads';
import { PGLITE_WORKER_SOURCE } from './pglite-worker-source';

export interface EmbeddedPostgresOptions {
  /** Directory for the database files; created if missing. Undefined = in memory. */
  readonly dataDir?: string;
  /** Concurrent socket connections the server accepts (keep above the sum of pool sizes). Default 20. */
  readonly maxConnections?: number;
}

export interface EmbeddedPostgres {
  /** A `postgres://` URL any `pg` client can use. */
  readonly connectionString: string;
  /** Stops the socket server, then closes PGlite (flushing the data directory). Idempotent. */
  close(): Promise<void>;
}

const DEFAULT_MAX_CONNECTIONS = 20;
const CLOSE_TIMEOUT_MS = 10_000;

type WorkerMessage =
  | { readonly type: 'ready'; readonly host: string; readonly port: number }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'closed' };

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const dataDir = options.dataDir === undefined ? undefined : resolvePath(options.dataDir);
  if (dataDir !== undefined) await mkdir(dataDir, { recursive: true });

  const worker = new Worker(PGLITE_WORKER_SOURCE, {
    eval: true,
    workerData: {
      pglitePath: require.resolve('@electric-sql/pglite'),
      socketPath: require.resolve('@electric-sql/pglite-socket'),
      dataDir,
      maxConnections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    },
  });
  const address = await new Promise<{ host: string; port: number }>((resolve, reject) => {
    worker.once('message', (message: WorkerMessage) => {
      if (message.type === 'ready') resolve(message);
      else
        reject(
          new Error(
            `Embedded PostgreSQL failed to start: ${message.type === 'failed' ? message.message : message.type}`,
          ),
        );
    });
    worker.once('error', reject);
    worker.once('exit', (code) =>
      reject(new Error(`Embedded PostgreSQL worker exited with code ${code} while starting`)),
    );
  });
  worker.removeAllListeners();

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= stopWorker(worker);
    return closing;
  };

  return {
    connectionString: `postgres://postgres:postgres@${address.host}:${address.port}/postgres?sslmode=disable`,
    close,
  };
}

/** Asks the worker to close PGlite cleanly; terminates it if it does not answer in time. */
async function stopWorker(worker: Worker): Promise<void> {
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const closedCleanly = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), CLOSE_TIMEOUT_MS);
    worker.once('message', (message: WorkerMessage) => {
      clearTimeout(timer);
      resolve(message.type === 'closed');
    });
    worker.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
  worker.postMessage({ type: 'close' });
  if (!(await closedCleanly)) await worker.terminate();
  await exited;
}
