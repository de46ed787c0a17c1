/**
 * Operator sign-in as a user runs it: the built process (dist/backend/main.js)
 * and the hash-password script. Production refuses weak or missing secrets
 * with exit 2 naming the variable; a first development start generates the
 * password and key (mode 0600) and says where; neither the password nor a
 * token ever reaches the log.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const backendDirectory = join(__dirname, '..');
const mainScript = join(backendDirectory, '..', 'dist', 'backend', 'main.js');
const hashScript = join(backendDirectory, '..', 'dist', 'backend', 'auth', 'hash-password.cli.js');
const STRONG_KEY = 'k'.repeat(16) + '0123456789abcdefghij';

const baseEnvironment = (extra: Record<string, string>): Record<string, string> => ({
  PATH: process.env['PATH'] ?? '',
  HOST: '127.0.0.1',
  PGLITE_DATA_DIR: ':memory:',
  NTP_SERVER: '127.0.0.1:9',
  NTP_TIMEOUT_MS: '200',
  CONSOLE_DIR: mkdtempSync(join(tmpdir(), 'no-console-')),
  SECRETS_DIR: mkdtempSync(join(tmpdir(), 'ntp-lab-secrets-')),
  ...extra,
});

const freePort = (): Promise<number> =>
  new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });

/** Starts the built backend; resolves once /health answers. */
const startBackend = async (environment: Record<string, string>) => {
  const port = await freePort();
  const child = spawn(process.execPath, [mainScript], {
    cwd: backendDirectory,
    env: { ...environment, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`backend exited (${child.exitCode}):\n${output}`);
    try {
      if ((await fetch(`${baseUrl}/health/live`)).ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`backend did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    baseUrl,
    pid: child.pid ?? 0,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
};

const signIn = (baseUrl: string, password: string) =>
  fetch(`${baseUrl}/api/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'operator', password }),
  });

beforeAll(() => {
  // Always rebuild: a stale dist would test yesterday's checks.
  execFileSync('npx', ['tsc', '-p', 'tsconfig.app.json'], { cwd: backendDirectory, stdio: 'inherit' });
}, 180_000);

describe('production mode refuses to start without real secrets (exit 2, naming the variable)', () => {
  const run = (extra: Record<string, string>) =>
    spawnSync(process.execPath, [mainScript], {
      cwd: backendDirectory,
      env: baseEnvironment({ NODE_ENV: 'production', PORT: '0', ...extra }),
      encoding: 'utf8',
      timeout: 60_000,
    });
  const hash = 'scrypt$16384$8$1$c2FsdHNhbHRzYWx0$' + Buffer.alloc(32, 7).toString('base64url');

  it.each([
    ['SECRET_KEY missing', { OPERATOR_PASSWORD_HASH: hash }, 'SECRET_KEY'],
    [
      'SECRET_KEY too short',
      { SECRET_KEY: 'short-key-31-characters-long-xx', OPERATOR_PASSWORD_HASH: hash },
      'SECRET_KEY',
    ],
    [
      'SECRET_KEY the example value',
      { SECRET_KEY: 'dev-secret-change-me', OPERATOR_PASSWORD_HASH: hash },
      'SECRET_KEY',
    ],
    [
      'OPERATOR_PASSWORD_HASH missing',
      { SECRET_KEY: STRONG_KEY, OPERATOR_PASSWORD: 'plain-is-for-dev' },
      'OPERATOR_PASSWORD_HASH',
    ],
    ['ALGORITHM none', { SECRET_KEY: STRONG_KEY, OPERATOR_PASSWORD_HASH: hash, ALGORITHM: 'none' }, 'ALGORITHM'],
  ])('%s → exit 2 naming %s', (_label, extra, variable) => {
    const result = run(extra);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(variable);
    for (const value of Object.values(extra)) if (value.length > 8) expect(result.stderr).not.toContain(value);
  });
});

describe('the built process with an operator', () => {
  it('hash-password makes a hash that production accepts; sign-in works with that password only', async () => {
    const password = 'correct horse battery staple';
    const hashed = spawnSync(process.execPath, [hashScript], { input: password, encoding: 'utf8' });
    expect(hashed.status).toBe(0);
    expect(hashed.stdout).toMatch(/^scrypt\$32768\$8\$1\$[\w-]+\$[\w-]+\n$/);
    expect(hashed.stdout).not.toContain(password);
    const backend = await startBackend(
      baseEnvironment({ NODE_ENV: 'production', SECRET_KEY: STRONG_KEY, OPERATOR_PASSWORD_HASH: hashed.stdout.trim() }),
    );
    try {
      expect((await signIn(backend.baseUrl, password)).status).toBe(200);
      expect((await signIn(backend.baseUrl, `${password}!`)).status).toBe(401);
    } finally {
      await backend.stop();
    }
  }, 90_000);

  it('never writes the password or a token to its log, even at LOG_LEVEL=trace', async () => {
    const password = 'pw-4f1e9c2d-never-in-logs';
    const backend = await startBackend(
      baseEnvironment({ LOG_LEVEL: 'trace', OPERATOR_PASSWORD: password, SECRET_KEY: STRONG_KEY }),
    );
    let token = '';
    try {
      expect((await signIn(backend.baseUrl, 'pw-wrong-guess-also-secret')).status).toBe(401);
      const answer = await signIn(backend.baseUrl, password);
      token = ((await answer.json()) as { access_token: string }).access_token;
      const changed = await fetch(`${backend.baseUrl}/api/simulation/offsets/server-1`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ offset_ms: 250 }),
      });
      expect(changed.status).toBe(200);
      const refused = await fetch(`${backend.baseUrl}/api/simulation/offsets/server-1`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}x` },
        body: JSON.stringify({ offset_ms: 99 }),
      });
      expect(refused.status).toBe(401);
      // A request that fails validation logs nothing of its body either.
      await fetch(`${backend.baseUrl}/api/auth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'operator', password: [password] }),
      });
    } finally {
      await backend.stop();
    }
    const log = backend.output();
    expect(log.length).toBeGreaterThan(100); // trace logging did log
    expect(log).not.toContain(password);
    expect(log).not.toContain('pw-wrong-guess-also-secret');
    expect(token.length).toBeGreaterThan(40);
    expect(log).not.toContain(token);
    expect(log).not.toContain(token.split('.')[2]!);
  }, 90_000);

  it('a first development start generates the password and key (mode 0600), says where, and keeps them', async () => {
    const environment = baseEnvironment({});
    const secretsDirectory = environment['SECRETS_DIR']!;
    const first = await startBackend(environment);
    let token: string;
    const passwordFile = join(secretsDirectory, 'operator-password');
    try {
      expect(statSync(passwordFile).mode & 0o777).toBe(0o600);
      expect(statSync(join(secretsDirectory, 'secret-key')).mode & 0o777).toBe(0o600);
      const password = readFileSync(passwordFile, 'utf8').trim();
      expect(password.length).toBeGreaterThanOrEqual(20);
      expect(first.output()).toContain(passwordFile);
      expect(first.output()).not.toContain(password);
      const answer = await signIn(first.baseUrl, password);
      expect(answer.status).toBe(200);
      token = ((await answer.json()) as { access_token: string }).access_token;
    } finally {
      await first.stop();
    }
    const second = await startBackend(environment);
    try {
      expect(second.output()).not.toContain('password generated');
      const change = await fetch(`${second.baseUrl}/api/time/sync?server_id=server-1`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
      });
      expect(change.status).toBe(200); // same key after a restart: the token still verifies
    } finally {
      await second.stop();
    }
  }, 120_000);

  it('a second process on the same PGLITE_DATA_DIR refuses to start, naming the holder; after it, the dir is free', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ntp-lab-shared-dir-'));
    const environment = baseEnvironment({ PGLITE_DATA_DIR: dataDir, OPERATOR_PASSWORD: 'pw', SECRET_KEY: STRONG_KEY });
    const holder = await startBackend(environment);
    try {
      const second = spawnSync(process.execPath, [mainScript], {
        cwd: backendDirectory,
        env: { ...environment, PORT: '0' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(second.status).toBe(1);
      expect(second.stderr).toContain(`PGLITE_DATA_DIR ${dataDir} is in use by process ${holder.pid}`);
    } finally {
      await holder.stop();
    }
    const next = await startBackend(environment); // the lock went with the holder
    await next.stop();
  }, 180_000);
});
