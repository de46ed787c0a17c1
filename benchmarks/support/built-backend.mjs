/**
 * The built backend (dist/backend/main.js) as a child process on a free
 * loopback port, for benchmarks that measure whole processes. Resolves once
 * /health/ready answers; stop() sends SIGTERM (SIGKILL after 10 s).
 */
import { BACKEND_MALLOC_ENV, BACKEND_NODE_FLAGS } from '../../scripts/backend-node-flags.mjs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../scripts/cluster/free-port.mjs';

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
const READY_TIMEOUT_MS = 120_000;

export const startBuiltBackend = async ({ name = 'the backend', env }) => {
  const port = await freePort();
  const child = spawn(process.execPath, [...BACKEND_NODE_FLAGS, join(repositoryRoot, 'dist/backend/main.js')], {
    cwd: repositoryRoot,
    env: {
      PATH: process.env.PATH,
      ...BACKEND_MALLOC_ENV,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (const deadline = Date.now() + READY_TIMEOUT_MS; ;) {
    if (child.exitCode !== null) throw new Error(`${name} exited while starting`);
    if (Date.now() > deadline) throw new Error(`${name} was not ready in ${READY_TIMEOUT_MS / 1000} s`);
    try {
      if ((await fetch(`${url}/health/ready`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    pid: child.pid,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', resolve);
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      }),
  };
};
