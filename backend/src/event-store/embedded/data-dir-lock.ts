/**
 * One process per PGlite data directory. PGlite takes no lock of its own, and
 * two processes on one directory both start and one silently loses its writes
 * (issue 13.2). The lock is a file holding the holder's pid, created
 * exclusively; a lock whose pid is no longer running (a kill -9, a crash) is
 * stale and taken over.
 */
import { openSync, closeSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'ntp-lab.lock';

export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';
  constructor(
    readonly dataDir: string,
    readonly holderPid: number,
  ) {
    super(
      `PGLITE_DATA_DIR ${dataDir} is in use by process ${holderPid} (lock ${join(dataDir, LOCK_FILE)}); ` +
        'stop that process first, or give this one another PGLITE_DATA_DIR',
    );
  }
}

/** Directories this process holds: a second open from the same process is refused too. */
const heldHere = new Set<string>();

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is only someone else's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const holderOf = (lockPath: string): number | null => {
  try {
    const pid = Number(readFileSync(lockPath, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
};

/** Takes the lock of `dataDir` (an absolute, existing directory); returns its release. */
export const lockDataDir = (dataDir: string): (() => void) => {
  if (heldHere.has(dataDir)) throw new DataDirLockedError(dataDir, process.pid);
  const lockPath = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    let descriptor: number;
    try {
      descriptor = openSync(lockPath, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = holderOf(lockPath);
      // Our own pid in a lock we do not hold: a previous life of this container (pid 1 again), so stale.
      if (holder !== null && holder !== process.pid && isRunning(holder)) {
        throw new DataDirLockedError(dataDir, holder);
      }
      unlinkSync(lockPath);
      continue;
    }
    writeSync(descriptor, `${process.pid}\n`);
    closeSync(descriptor);
    heldHere.add(dataDir);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      heldHere.delete(dataDir);
      if (holderOf(lockPath) === process.pid) unlinkSync(lockPath);
    };
  }
  throw new Error(`could not take the lock ${lockPath}: it keeps reappearing`);
};
