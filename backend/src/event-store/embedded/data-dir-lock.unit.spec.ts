/**
 * The data directory's lock lists the holder and the helpers working for it
 * (the throw-away initdb process); it stands while any of them runs.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirLockedError, LOCK_FILE, lockDataDir } from './data-dir-lock';

const freshDir = (): string => mkdtempSync(join(tmpdir(), 'ntp-lab-lock-'));
const lockPids = (dataDir: string): number[] =>
  readFileSync(join(dataDir, LOCK_FILE), 'utf8').trim().split('\n').map(Number);

/** A pid that surely ran and ended: a child that exited. */
const deadPid = (): number =>
  Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);

describe('data directory lock with helpers', () => {
  let sleeper: ChildProcess | undefined;
  afterEach(() => {
    sleeper?.kill();
    sleeper = undefined;
  });

  it('lists a helper after the holder, and takes it off again', () => {
    const dataDir = freshDir();
    const lock = lockDataDir(dataDir);
    lock.addHelper(4242);
    expect(lockPids(dataDir)).toEqual([process.pid, 4242]);
    lock.removeHelper(4242);
    expect(lockPids(dataDir)).toEqual([process.pid]);
    lock.release();
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
  });

  it('given a holder killed while its helper still runs, a second opener is refused, naming the helper', () => {
    const dataDir = freshDir();
    sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => undefined, 30000)'], { stdio: 'ignore' });
    writeFileSync(join(dataDir, LOCK_FILE), `${deadPid()}\n${sleeper.pid}\n`);
    expect(() => lockDataDir(dataDir)).toThrow(DataDirLockedError);
    expect(() => lockDataDir(dataDir)).toThrow(`in use by process ${sleeper.pid}`);
  });

  it('given a holder and its helper both gone, the lock is stale and taken over', () => {
    const dataDir = freshDir();
    writeFileSync(join(dataDir, LOCK_FILE), `${deadPid()}\n${deadPid()}\n`);
    const lock = lockDataDir(dataDir);
    expect(lockPids(dataDir)).toEqual([process.pid]);
    lock.release();
  });

  it('after release, a late helper update leaves no lock behind', () => {
    const dataDir = freshDir();
    const lock = lockDataDir(dataDir);
    lock.addHelper(4242);
    lock.release();
    lock.removeHelper(4242);
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
  });
});
