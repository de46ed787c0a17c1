/**
 * Embedded PostgreSQL for the zero-configuration default.
 *
 * Decision: PGlite (PostgreSQL compiled to WASM) runs inside this process (in
 * a worker thread, see pglite-worker-source.ts), keeps its files in a data
 * directory so the log survives restarts (no directory = in memory), and is
 * served by `@electric-sql/pglite-socket` on a Unix socket that only this
 * user can open (see below). The point of the socket: ONE `pg`-based code path (a
 * `pg.Pool`, later TypeORM's postgres driver) serves both PGlite and a real
 * PostgreSQL server; only the connection string differs.
 *
 * Traps (STACK.md): PGlite is a single backend. The socket server multiplexes
 * connections, so `maxConnections` must exceed the sum of the pool sizes or a
 * pool deadlocks waiting for a slot; while one connection has a transaction
 * open every other connection's query waits, so never await another connection
 * from inside a transaction. LISTEN/NOTIFY does not cross the socket.
 *
 * Access: pglite-socket checks no password (any user name connects as
 * superuser), so the socket is the guard: a Unix socket, mode 0600, in the data
 * directory (or, in memory or when that path is too long for a socket, in a
 * private 0700 temp directory). No TCP port is opened unless a test asks for
 * one. The data directory is locked to this process (data-dir-lock.ts).
 *
 * Memory: the serving worker never runs initdb; a throw-away process does, on
 * a first start (fresh-cluster.ts), because what initdb leaves in a process
 * never goes back to the operating system.
 */
import { mkdirSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import { Worker } from 'node:worker_threads';
import { lockDataDir, type DataDirLock } from './data-dir-lock';
import { ensureCluster, pristineClusterTarball } from './fresh-cluster';
import { PGLITE_WORKER_SOURCE } from './pglite-worker-source';

export interface EmbeddedPostgresOptions {
  /** Directory for the database files; created if missing. Undefined = in memory. */
  readonly dataDir?: string;
  /** Concurrent socket connections the server accepts (keep above the sum of pool sizes). Default 20. */
  readonly maxConnections?: number;
  /**
   * 'unix' (default): the 0600 socket. 'tcp': 127.0.0.1 on an ephemeral port, reachable by every local
   * user; only for tests that must put a TCP proxy between the app and the store.
   */
  readonly transport?: 'unix' | 'tcp';
  /**
   * Where a new cluster's initdb runs. 'throw-away-process' (default): a child process that exits
   * before the serving worker starts. 'serving-worker': PGlite's own way, in the worker that then
   * serves, which keeps ~500 MB more RSS for good; kept only so benchmarks can measure the difference.
   */
  readonly initdb?: 'throw-away-process' | 'serving-worker';
}

export interface EmbeddedPostgres {
  /** A `postgres://` URL any `pg` client can use (its host is the socket's directory, percent-encoded). */
  readonly connectionString: string;
  /** The Unix socket's path, or null when served over TCP. */
  readonly socketPath: string | null;
  /** Stops the socket server, then closes PGlite (flushing the data directory). Idempotent. */
  close(): Promise<void>;
}

const DEFAULT_MAX_CONNECTIONS = 20;
/** libpq's name for a server socket; `pg` connects to `<host directory>/.s.PGSQL.<port>`. */
const SOCKET_PORT = 5432;
const SOCKET_NAME = `.s.PGSQL.${SOCKET_PORT}`;
/** sun_path holds 108 bytes on Linux (104 on macOS); keep a margin. */
const MAX_SOCKET_PATH = 100;
const CLOSE_TIMEOUT_MS = 10_000;

type WorkerMessage =
  | { readonly type: 'ready'; readonly host: string; readonly port: number }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'closed' };

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const dataDir = options.dataDir === undefined ? undefined : resolvePath(options.dataDir);
  // Synchronously, so that of two starts on one directory the first caller takes the lock
  // (an awaited mkdir lets them finish in either order).
  if (dataDir !== undefined) mkdirSync(dataDir, { recursive: true });
  const lock: DataDirLock | undefined = dataDir === undefined ? undefined : lockDataDir(dataDir);
  const release = (): void => lock?.release();
  let privateDir: string | undefined;
  let socketPath: string | null = null;
  try {
    if ((options.transport ?? 'unix') === 'unix') {
      const inDataDir = dataDir === undefined ? undefined : join(dataDir, SOCKET_NAME);
      if (inDataDir !== undefined && Buffer.byteLength(inDataDir) <= MAX_SOCKET_PATH) {
        socketPath = inDataDir;
        // A socket left by a process that was killed: the lock says it is ours now.
        await rm(socketPath, { force: true });
      } else {
        privateDir = await mkdtemp(join(tmpdir(), 'ntp-lab-pg-')); // mode 0700
        socketPath = join(privateDir, SOCKET_NAME);
      }
    }
    let loadDataDir: Uint8Array | undefined;
    if ((options.initdb ?? 'throw-away-process') === 'throw-away-process') {
      if (lock !== undefined && dataDir !== undefined) await ensureCluster(dataDir, lock);
      else loadDataDir = await pristineClusterTarball();
    }
    const worker = await startWorker({
      dataDir,
      loadDataDir,
      listenPath: socketPath,
      maxConnections: options.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    });
    let closing: Promise<void> | undefined;
    const cleanUp = async (): Promise<void> => {
      if (socketPath !== null) await rm(socketPath, { force: true });
      if (privateDir !== undefined) await rm(privateDir, { recursive: true, force: true });
      release();
    };
    const close = (): Promise<void> => {
      closing ??= stopWorker(worker.worker).finally(cleanUp);
      return closing;
    };
    const connectionString =
      socketPath === null
        ? `postgres://postgres:postgres@${worker.host}:${worker.port}/postgres?sslmode=disable`
        : `postgres://postgres:postgres@${encodeURIComponent(join(socketPath, '..'))}:${SOCKET_PORT}/postgres`;
    return { connectionString, socketPath, close };
  } catch (error) {
    if (privateDir !== undefined) await rm(privateDir, { recursive: true, force: true });
    release();
    throw error;
  }
}

interface WorkerJob {
  /** Undefined = in memory. */
  readonly dataDir: string | undefined;
  /** In memory: a gzip tarball of a cluster to start from (else the worker runs initdb itself). */
  readonly loadDataDir: Uint8Array | undefined;
  /** The Unix socket to serve on; null = TCP on 127.0.0.1, an ephemeral port. */
  readonly listenPath: string | null;
  readonly maxConnections: number;
}

async function startWorker(job: WorkerJob): Promise<{ worker: Worker; host: string; port: number }> {
  const socketPath = job.listenPath;
  const worker = new Worker(PGLITE_WORKER_SOURCE, {
    eval: true,
    workerData: {
      pglitePath: require.resolve('@electric-sql/pglite'),
      socketPath: require.resolve('@electric-sql/pglite-socket'),
      ...job,
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
  if (socketPath !== null)
    await chmod(socketPath, 0o600).catch(async (error: unknown) => {
      await stopWorker(worker);
      throw error;
    });
  return { worker, ...address };
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
