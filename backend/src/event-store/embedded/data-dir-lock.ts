/**
 * One process per PGlite data directory. PGlite takes no lock of its own, and
 * two processes on one directory both start and one silently loses its writes
 * (issue 13.2). The lock is a file created exclusively, holding pids one a
 * line: the holder's first, then any helper process working on the directory
 * for it (the throw-away initdb of a first start, fresh-cluster.ts). The lock
 * stands while any of them runs: a helper outliving a holder killed with -9
 * still keeps a second opener out. A lock none of whose pids runs (a kill -9,
 * a crash) is stale and taken over.
 */
import { openSync, closeSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
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

export interface DataDirLock {
  /** Lists a process that works on the directory for this one: the lock holds while it runs. */
  addHelper(pid: number): void;
  /** Takes a helper off the list once it has exited. */
  removeHelper(pid: number): void;
  /** Removes the lock file (if it is still this process's). Idempotent. */
  release(): void;
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

/** The pids a lock file lists, holder first; [] when it is missing or unreadable. */
const pidsIn = (lockPath: string): number[] => {
  try {
    return readFileSync(lockPath, 'utf8')
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((pid) => Number.isSafeInteger(pid) && pid > 0);
  } catch {
    return [];
  }
};

/** Replaces the lock's content in one step (rename), so a reader never sees it half written. */
const rewrite = (lockPath: string, pids: readonly number[]): void => {
  const next = `${lockPath}.${process.pid}.next`;
  writeFileSync(next, pids.map((pid) => `${pid}\n`).join(''), { mode: 0o600 });
  renameSync(next, lockPath);
};

/** Takes the lock of `dataDir` (an absolute, existing directory). */
export const lockDataDir = (dataDir: string): DataDirLock => {
  if (heldHere.has(dataDir)) throw new DataDirLockedError(dataDir, process.pid);
  const lockPath = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    let descriptor: number;
    try {
      descriptor = openSync(lockPath, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // Our own pid in a lock we do not hold: a previous life of this container (pid 1 again), so stale.
      const alive = pidsIn(lockPath).find((pid) => pid !== process.pid && isRunning(pid));
      if (alive !== undefined) throw new DataDirLockedError(dataDir, alive);
      unlinkSync(lockPath);
      continue;
    }
    writeSync(descriptor, `${process.pid}\n`);
    closeSync(descriptor);
    heldHere.add(dataDir);
    return heldLock(dataDir, lockPath);
  }
  throw new Error(`could not take the lock ${lockPath}: it keeps reappearing`);
};

const heldLock = (dataDir: string, lockPath: string): DataDirLock => {
  const helpers = new Set<number>();
  let released = false;
  const ours = (): boolean => pidsIn(lockPath)[0] === process.pid;
  const save = (): void => {
    if (!released && ours()) rewrite(lockPath, [process.pid, ...helpers]);
  };
  return {
    addHelper: (pid) => {
      helpers.add(pid);
      save();
    },
    removeHelper: (pid) => {
      helpers.delete(pid);
      save();
    },
    release: () => {
      if (released) return;
      released = true;
      heldHere.delete(dataDir);
      if (ours()) unlinkSync(lockPath);
    },
  };
};
