/**
 * A first start initialises the cluster in a throw-away process, then serves
 * it; the data survives a restart, and the lock keeps a second opener out the
 * whole time (real PGlite, throw-away directories).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirLockedError, LOCK_FILE } from './data-dir-lock';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';
import { CLUSTER_MARKER, STAGING_DIR } from './fresh-cluster';
import { queryOnce } from '../../testing/query-once';

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Every distinct set of pids the lock file listed while `start` ran (sampled every 2 ms). */
const watchingTheLock = async <T>(
  dataDir: string,
  start: () => Promise<T>,
): Promise<{ result: T; helpers: number[] }> => {
  const helpers = new Set<number>();
  const sample = (): void => {
    try {
      const pids = readFileSync(join(dataDir, LOCK_FILE), 'utf8').trim().split('\n').map(Number);
      expect(pids[0]).toBe(process.pid);
      for (const pid of pids.slice(1)) helpers.add(pid);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  };
  const timer = setInterval(sample, 2);
  try {
    return { result: await start(), helpers: [...helpers] };
  } finally {
    clearInterval(timer);
  }
};

describe('first start of the embedded store (initdb in a throw-away process)', () => {
  let dataDir: string;
  let store: EmbeddedPostgres | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('initialises a fresh data directory in another process, which has exited once the store serves', async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ntp-lab-fresh-'));
    let refusedWhileInitialising: unknown;
    const { result, helpers } = await watchingTheLock(dataDir, async () => {
      const starting = startEmbeddedPostgres({ dataDir });
      refusedWhileInitialising = await startEmbeddedPostgres({ dataDir }).catch((error: unknown) => error);
      return starting;
    });
    store = result;
    expect(refusedWhileInitialising).toBeInstanceOf(DataDirLockedError);
    expect(helpers).toHaveLength(1);
    expect(helpers[0]).not.toBe(process.pid);
    expect(isRunning(helpers[0]!)).toBe(false);
    expect(existsSync(join(dataDir, CLUSTER_MARKER))).toBe(true);
    expect(existsSync(join(dataDir, STAGING_DIR))).toBe(false);
    expect(readFileSync(join(dataDir, LOCK_FILE), 'utf8')).toBe(`${process.pid}\n`);

    await queryOnce(store.connectionString, 'create table kept (note text); insert into kept values ($$first life$$)');
    await expect(startEmbeddedPostgres({ dataDir })).rejects.toThrow(DataDirLockedError);
  }, 120_000);

  it('reopens that directory without initdb, and the data has survived the restart', async () => {
    const { result, helpers } = await watchingTheLock(dataDir, () => startEmbeddedPostgres({ dataDir }));
    store = result;
    expect(helpers).toEqual([]);
    expect(await queryOnce(store.connectionString, 'select note from kept')).toEqual([{ note: 'first life' }]);
  }, 120_000);

  it('given a first start killed half-way (no PG_VERSION), initialises the directory anew', async () => {
    const interrupted = mkdtempSync(join(tmpdir(), 'ntp-lab-interrupted-'));
    mkdirSync(join(interrupted, STAGING_DIR, 'base'), { recursive: true });
    writeFileSync(join(interrupted, STAGING_DIR, 'base', 'torn'), 'half a relation');
    mkdirSync(join(interrupted, 'global'));
    writeFileSync(join(interrupted, 'global', 'torn'), 'moved before the kill');
    store = await startEmbeddedPostgres({ dataDir: interrupted });
    expect(await queryOnce(store.connectionString, 'select 1 as one')).toEqual([{ one: 1 }]);
    expect(existsSync(join(interrupted, STAGING_DIR))).toBe(false);
    expect(existsSync(join(interrupted, 'global', 'torn'))).toBe(false);
  }, 120_000);

  it('in memory: stores start from one initialised cluster and stay independent', async () => {
    const first = await startEmbeddedPostgres();
    try {
      store = await startEmbeddedPostgres();
      await queryOnce(first.connectionString, 'create table only_in_first (x int)');
      expect(await queryOnce(store.connectionString, "select to_regclass('only_in_first') as found")).toEqual([
        { found: null },
      ]);
    } finally {
      await first.close();
    }
  }, 120_000);
});
