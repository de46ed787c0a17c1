/**
 * The real backend as a separate OS process, so a fault test can tell "the
 * process died" (an unhandled 'error' event, an unhandled rejection) from
 * "the process answered 503": jest's own process would hide the first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { TEST_OPERATOR_PASSWORD, TEST_SECRET_KEY } from '../app-harness';

export const LISTENING_PREFIX = 'fault-test backend listening on ';

export interface BackendProcess {
  readonly baseUrl: string;
  readonly pid: number;
  /** Null while the process runs; its exit code or signal once it has ended. */
  exited(): string | null;
  /** What it printed (stdout and stderr), for the failure message of a test. */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const START_TIMEOUT_MS = 90_000;
const KEPT_OUTPUT_CHARS = 20_000;

export const startBackendProcess = async (environment: Record<string, string>): Promise<BackendProcess> => {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--require', join(__dirname, 'register-typescript.cjs'), join(__dirname, 'backend-process-main.ts')],
    {
      cwd: join(__dirname, '..', '..'),
      env: {
        PATH: process.env['PATH'] ?? '',
        HOST: '127.0.0.1',
        PORT: '0',
        LOG_LEVEL: 'warn',
        NTP_SERVER: '127.0.0.1:9',
        NTP_TIMEOUT_MS: '200',
        OPERATOR_PASSWORD: TEST_OPERATOR_PASSWORD,
        SECRET_KEY: TEST_SECRET_KEY,
        // Write load from one address is the point of these tests; the rate limit has its own test.
        WRITE_RATE_LIMIT_PER_MINUTE: '10000000',
        ...environment,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  let exit: string | null = null;
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-KEPT_OUTPUT_CHARS);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const ended = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = signal ?? `exit code ${code}`;
      resolve();
    }),
  );

  const baseUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`backend did not start in time:\n${output}`)), START_TIMEOUT_MS);
    const onData = (): void => {
      const line = output.split('\n').find((candidate) => candidate.startsWith(LISTENING_PREFIX));
      if (!line) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      resolve(line.slice(LISTENING_PREFIX.length).trim());
    };
    child.stdout?.on('data', onData);
    void ended.then(() => {
      clearTimeout(timer);
      reject(new Error(`backend exited while starting (${exit}):\n${output}`));
    });
  });

  return {
    baseUrl,
    pid: child.pid ?? 0,
    exited: () => exit,
    output: () => output,
    stop: async (graceMs = 10_000) => {
      if (exit !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await ended;
      clearTimeout(timer);
    },
  };
};
