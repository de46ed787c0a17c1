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

export interface RunningApp {
  readonly app: NestFastifyApplication;
  readonly baseUrl: string;
  readonly config: AppConfig;
  readonly store: EventStore;
  readonly runner: ProjectionRunner;
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
    ...overrides,
  });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    app,
    baseUrl: `http://127.0.0.1:${port}`,
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
 * default answer is tested in reservations.e2e.spec.ts.
 */
export const postJson = (baseUrl: string, path: string, body: unknown) =>
  fetch(`${baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', prefer: 'read-your-writes' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
