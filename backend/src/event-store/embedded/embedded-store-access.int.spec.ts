/**
 * Only this process reaches the embedded store: a 0600 Unix socket (no TCP
 * port), and a data directory locked to one process, a stale lock taken over.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirLockedError, LOCK_FILE } from './data-dir-lock';
import { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';
import { queryOnce } from '../../testing/query-once';

const NOBODY_UID = 65534;
const isRoot = process.getuid?.() === 0;

/** A pid that surely ran and ended: a child that exited. */
const deadPid = (): number => {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
};

describe('embedded store access', () => {
  let dataDir: string;
  let store: EmbeddedPostgres | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ntp-lab-access-'));
    store = await startEmbeddedPostgres({ dataDir });
  }, 120_000);
  afterAll(() => store?.close());

  it('serves a Unix socket in the data directory, mode 0600, and the backend connects through it', async () => {
    const socketPath = store!.socketPath!;
    expect(socketPath).toBe(join(dataDir, '.s.PGSQL.5432'));
    const status = statSync(socketPath);
    expect(status.isSocket()).toBe(true);
    expect(status.mode & 0o777).toBe(0o600);
    expect(store!.connectionString).not.toMatch(/127\.0\.0\.1|localhost/);
    expect(await queryOnce(store!.connectionString, 'select 1 as one')).toEqual([{ one: 1 }]);
  });

  (isRoot ? it : it.skip)('another local user cannot connect, even with the directory open to all', async () => {
    chmodSync(dataDir, 0o755); // only the socket's own mode stands in the way now
    const attempt = spawnSync(
      process.execPath,
      [
        '-e',
        `const s = require('node:net').connect(${JSON.stringify(store!.socketPath)});
         s.on('connect', () => { console.log('connected'); process.exit(0); });
         s.on('error', (e) => { console.log(e.code); process.exit(3); });`,
      ],
      { uid: NOBODY_UID, gid: NOBODY_UID, encoding: 'utf8', timeout: 10_000 },
    );
    expect(attempt.stdout.trim()).toBe('EACCES');
    expect(attempt.status).toBe(3);
    // And the same process as this user does connect: the refusal is the permission, not a dead socket.
    expect(await queryOnce(store!.connectionString, 'select 2 as two')).toEqual([{ two: 2 }]);
  });
  if (!isRoot) it.todo('another local user cannot connect (needs root to run a process as another user)');

  it('a second open of the same data directory is refused, naming the holder', async () => {
    await expect(startEmbeddedPostgres({ dataDir })).rejects.toThrow(DataDirLockedError);
    await expect(startEmbeddedPostgres({ dataDir })).rejects.toThrow(`in use by process ${process.pid}`);
    expect(readFileSync(join(dataDir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
  });

  it('a lock left by a dead process is taken over; closing releases it', async () => {
    const otherDir = mkdtempSync(join(tmpdir(), 'ntp-lab-stale-'));
    const dead = deadPid();
    writeFileSync(join(otherDir, LOCK_FILE), `${dead}\n`);
    const taken = await startEmbeddedPostgres({ dataDir: otherDir });
    try {
      expect(readFileSync(join(otherDir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
      expect(await queryOnce(taken.connectionString, 'select 3 as three')).toEqual([{ three: 3 }]);
    } finally {
      await taken.close();
    }
    expect(() => statSync(join(otherDir, LOCK_FILE))).toThrow(/ENOENT/);
    const again = await startEmbeddedPostgres({ dataDir: otherDir });
    await again.close();
  }, 120_000);

  it('in memory: the socket lives in a private 0700 directory, removed on close', async () => {
    const memory = await startEmbeddedPostgres();
    const directory = join(memory.socketPath!, '..');
    expect(statSync(directory).mode & 0o777).toBe(0o700);
    expect(statSync(memory.socketPath!).mode & 0o777).toBe(0o600);
    expect(await queryOnce(memory.connectionString, 'select 4 as four')).toEqual([{ four: 4 }]);
    await memory.close();
    expect(() => statSync(directory)).toThrow(/ENOENT/);
  }, 120_000);
});
