/**
 * A throw-away PostgreSQL 15 cluster of the test's own (initdb + pg_ctl on a
 * free port in a temp directory), so a test may stop and start it. The
 * shared server on 127.0.0.1:5432 is never touched: other suites use it.
 * As root, the cluster runs as the `postgres` user (PostgreSQL refuses root).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = process.env['PG_BIN_DIR'] ?? '/usr/lib/postgresql/15/bin';
const SUPERUSER = 'lab';

export interface PrivatePostgres {
  /** postgres://lab@127.0.0.1:<port>/postgres */
  readonly connectionString: string;
  /** `pg_ctl stop -m fast`: every session gets FATAL 57P01, as with `pg_ctlcluster … stop -m fast`. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the cluster if it runs and deletes its directory. */
  dispose(): Promise<void>;
}

/** Why a private cluster cannot run here, or null when it can. */
export const privatePostgresUnavailableReason = (): string | null => {
  if (!existsSync(join(BIN, 'initdb')) || !existsSync(join(BIN, 'pg_ctl'))) {
    return `no PostgreSQL binaries in ${BIN} (set PG_BIN_DIR)`;
  }
  if (userInfo().uid === 0 && !existsSync('/usr/sbin/runuser')) return 'running as root without runuser';
  return null;
};

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });

/** PostgreSQL refuses to run as root: as root, run its tools as the `postgres` user. */
const asClusterOwner = (tool: string, args: string[]): Promise<unknown> =>
  userInfo().uid === 0
    ? run('/usr/sbin/runuser', ['-u', 'postgres', '--', join(BIN, tool), ...args])
    : run(join(BIN, tool), args);

export const startPrivatePostgres = async (): Promise<PrivatePostgres> => {
  const directory = await mkdtemp(join(tmpdir(), 'lab-private-pg-'));
  if (userInfo().uid === 0) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: group } = await run('id', ['-g', 'postgres']);
    await chown(directory, Number(stdout.trim()), Number(group.trim()));
  }
  await chmod(directory, 0o700);
  const dataDir = join(directory, 'data');
  const port = await freePort();
  await asClusterOwner('initdb', ['-D', dataDir, '-A', 'trust', '-U', SUPERUSER, '-E', 'UTF8', '--no-sync']);
  // fsync off: a throw-away cluster; the fault is a clean server shutdown, not a power cut.
  const serverOptions = `-p ${port} -k ${directory} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`;
  const pgCtl = (...args: string[]) => asClusterOwner('pg_ctl', ['-D', dataDir, ...args]);
  let running = false;
  const start = async (): Promise<void> => {
    await pgCtl('-l', join(directory, 'server.log'), '-o', serverOptions, '-w', '-t', '60', 'start');
    running = true;
  };
  const stop = async (): Promise<void> => {
    await pgCtl('-m', 'fast', '-w', '-t', '60', 'stop');
    running = false;
  };
  await start();
  return {
    connectionString: `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`,
    stop,
    start,
    dispose: async () => {
      if (running) await stop().catch(() => undefined);
      await rm(directory, { recursive: true, force: true });
    },
  };
};
