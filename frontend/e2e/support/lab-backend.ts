// The real backend for the browser suite: dist/backend/main.js on a free port,
// with an in-memory embedded store (thrown away with the process), serving the
// built console at / exactly as `make dev` does.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..', '..');
export const ARTIFACTS = join(REPO_ROOT, 'frontend', 'test-artifacts');

/** Without these Chromium stalls on connections the closed network refuses (STACK.md). */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-quic',
  '--disable-sync',
];

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function waitUntilUp(url: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not come up within ${timeoutMs} ms (see ${join(ARTIFACTS, 'backend.log')})`);
}

/** Set by global-setup (inherited by every worker); the backend and the Operator helper both read it. */
export function operatorPassword(): string {
  const password = process.env['E2E_OPERATOR_PASSWORD'];
  if (!password) throw new Error('E2E_OPERATOR_PASSWORD is not set: run the suite through playwright (global-setup)');
  return password;
}

export class LabBackend {
  private process: ChildProcess | null = null;
  private readonly log: WriteStream;
  /** One key for this backend's whole life: a restart (the outage test) must keep the operator's token valid. */
  private readonly secretKey = randomBytes(32).toString('hex');

  constructor(readonly port: number) {
    const logFile = join(ARTIFACTS, 'backend.log');
    mkdirSync(dirname(logFile), { recursive: true });
    this.log = createWriteStream(logFile, { flags: 'a' });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.process = spawn('node', ['dist/backend/main.js'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        PORT: String(this.port),
        HOST: '127.0.0.1',
        PGLITE_DATA_DIR: ':memory:',
        CONSOLE_DIR: join(REPO_ROOT, 'dist', 'frontend'),
        NODE_ENV: 'test',
        // The operator password global-setup chose; the Operator helper signs in with the same one.
        OPERATOR_PASSWORD: operatorPassword(),
        SECRET_KEY: this.secretKey,
        // Demo data is seeded with bursts of writes from one address; the limit has its own backend test.
        WRITE_RATE_LIMIT_PER_MINUTE: '1000000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.process.stdout?.pipe(this.log, { end: false });
    this.process.stderr?.pipe(this.log, { end: false });
    await waitUntilUp(`${this.url}/health`);
  }

  async stop(): Promise<void> {
    const running = this.process;
    this.process = null;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGTERM');
      setTimeout(() => running.kill('SIGKILL'), 5000).unref();
    });
  }

  /** The paths the backend's OpenAPI spec lists: features the backend does not have yet are absent. */
  async paths(): Promise<Set<string>> {
    const spec = (await (await fetch(`${this.url}/docs-json`)).json()) as { paths: Record<string, unknown> };
    return new Set(Object.keys(spec.paths));
  }
}
