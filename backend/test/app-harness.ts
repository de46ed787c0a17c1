/**
 * Starts the real application for e2e tests: Fastify on an ephemeral port,
 * embedded PGlite in memory by default, or the store the caller names.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig, type AppConfig } from '../src/config/environment';
import { createApp } from '../src/create-app';
import type { EventStore } from '../src/event-store/event-store.port';
import type { ProjectionRunner } from '../src/read-model/projection-runner';
import { EVENT_STORE, PROJECTION_RUNNER } from '../src/reservations/application/tokens';

/** The operator password and signing key every harness app uses, so a test can sign in or forge tokens. */
export const TEST_OPERATOR_PASSWORD = 'test-operator-password';
export const TEST_SECRET_KEY = 'test-secret-key-0123456789abcdefghijklmnop';

/** Signs in as the operator; the headers to send on operator routes. */
export const operatorHeadersFor = async (
  baseUrl: string,
  password = TEST_OPERATOR_PASSWORD,
): Promise<Record<string, string>> => {
  const response = await fetch(`${baseUrl}/api/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'operator', password }),
  });
  if (response.status !== 200) throw new Error(`operator sign-in answered ${response.status}`);
  const { access_token: token } = (await response.json()) as { access_token: string };
  return { authorization: `Bearer ${token}` };
};

export interface RunningApp {
  readonly app: NestFastifyApplication;
  readonly baseUrl: string;
  readonly config: AppConfig;
  readonly store: EventStore;
  readonly runner: ProjectionRunner;
  /** `authorization: Bearer <operator token>`, for the routes that change the experiment. */
  readonly operatorHeaders: Record<string, string>;
  close(): Promise<void>;
}

export const startTestApp = async (overrides: Record<string, string> = {}): Promise<RunningApp> => {
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    PGLITE_DATA_DIR: ':memory:',
    LOG_LEVEL: 'silent',
    NTP_SERVER: '127.0.0.1:9',
    NTP_TIMEOUT_MS: '200',
    OPERATOR_PASSWORD: TEST_OPERATOR_PASSWORD,
    SECRET_KEY: TEST_SECRET_KEY,
    // e2e tests send thousands of writes from one address on purpose; the limit has its own test.
    WRITE_RATE_LIMIT_PER_MINUTE: '10000000',
    LOGIN_MAX_FAILURES: '1000',
    ...overrides,
  });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    app,
    baseUrl,
    operatorHeaders: await operatorHeadersFor(baseUrl, config.OPERATOR_PASSWORD ?? TEST_OPERATOR_PASSWORD),
    config,
    store: app.get<EventStore>(EVENT_STORE),
    runner: app.get<ProjectionRunner>(PROJECTION_RUNNER),
    close: () => app.close(),
  };
};

/** Every event in the log, for tests that prove what was (not) appended. */
export const readWholeLog = async (store: EventStore) => {
  const events = [];
  let after = 0n;
  for (;;) {
    const page = await store.readAll({ after, maxCount: 1000 });
    if (page.length === 0) return events;
    events.push(...page);
    after = page[page.length - 1]!.position;
  }
};

/**
 * POST a JSON body. Asks for read-your-writes, as these tests read the read
 * model right after writing (reservations answer at once otherwise); the
 * default answer is tested in reservations.e2e.spec.ts. `headers` adds e.g.
 * the operator's authorization.
 */
export const postJson = (baseUrl: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', prefer: 'read-your-writes', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
