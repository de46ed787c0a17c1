/**
 * The built app (dist/backend) in the benchmark's own process, on a loopback
 * port: the benchmark can then reach its event store directly. Settings are
 * the app's environment variables; these defaults keep the benchmark from
 * measuring anything but the request path (no logging, no NTP wait, no
 * per-address write limit: one load generator is one address).
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
const requireFromApp = createRequire(join(repositoryRoot, 'dist', 'backend', 'main.js'));
requireFromApp('reflect-metadata');
const { loadConfig } = requireFromApp('./config/environment.js');
const { createApp } = requireFromApp('./create-app.js');
const { PROJECTION_RUNNER } = requireFromApp('./reservations/application/tokens.js');

const QUIET_MS = 1500;
const DRAIN_LIMIT_MS = 120_000;

/**
 * Resolves once the app's deferred work is done (the projection has reached
 * the head, and the head has not moved for QUIET_MS: settlement appends once
 * a seat's window has passed), with how long that work went on past the call.
 */
const drained = async (runner) => {
  const started = performance.now();
  let lastBusyAt = started;
  let lastHead = -1n;
  while (performance.now() - lastBusyAt < QUIET_MS && performance.now() - started < DRAIN_LIMIT_MS) {
    const { head, projected } = await runner.lag();
    if (head !== lastHead || projected < head) lastBusyAt = performance.now();
    lastHead = head;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return (lastBusyAt - started) / 1000;
};

export { requireFromApp };

export const startInProcessApp = async (settings) => {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    NTP_SERVER: '127.0.0.1:9',
    NTP_TIMEOUT_MS: '200',
    WRITE_RATE_LIMIT_PER_MINUTE: '10000000',
    OPERATOR_PASSWORD: 'bench-operator-password',
    SECRET_KEY: 'bench-secret-key-0123456789abcdefghijklmnop',
    ...settings,
  });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address();
  const runner = app.get(PROJECTION_RUNNER);
  return {
    app,
    url: `http://127.0.0.1:${port}/api/reservations`,
    drained: () => drained(runner),
    close: () => app.close(),
  };
};
