/**
 * A 100,000-attempt seeded run on the embedded default (PGlite with a data
 * directory), the app in this process (issues 13.4 and 15):
 *   - how long the POST blocks the event loop (perf_hooks monitorEventLoopDelay,
 *     the largest delay seen while the request was in flight) and its latency;
 *   - RSS (the whole process, PGlite's worker included) after start, during the
 *     run (peak, sampled every 50 ms) and after it; the JS heap's peak;
 *   - the event loop's p99 and max delay while the run executes;
 *   - wall time of the run, append and projection phases, attempts/s.
 * Targets (issue 15): < 10 s for the run, peak RSS < 500 MB.
 *
 *   npx tsc -p backend/tsconfig.app.json
 *   node --max-old-space-size=256 --import tsx benchmarks/simulation/seeded-run-memory.ts
 *   BENCH_SEATS=4000 node --max-old-space-size=256 --import tsx benchmarks/simulation/seeded-run-memory.ts   # 20,000
 *
 * --max-old-space-size=256 is the heap bound the app runs with (Makefile, BACKEND_HEAP_MB); the
 * figures say which bound they were measured under.
 *
 * The app is the compiled backend (BENCH_BACKEND_DIST, default dist/backend):
 * Nest's injection needs the decorator metadata tsc emits and tsx does not.
 *
 * Prints the figures, then one JSON line.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AppConfig } from '../../backend/src/config/environment';

const DIST = join(__dirname, '..', '..', process.env['BENCH_BACKEND_DIST'] ?? 'dist/backend');
const load = createRequire(__filename);
const { createApp } = load(join(DIST, 'create-app.js')) as {
  createApp(config: AppConfig): Promise<NestFastifyApplication>;
};
const { loadConfig } = load(join(DIST, 'config', 'environment.js')) as {
  loadConfig(env: Record<string, string>): AppConfig;
};

/** Starting a run changes the experiment: the benchmark signs in as the operator. */
const OPERATOR_PASSWORD = randomBytes(12).toString('hex');

const startApp = async (overrides: Record<string, string>) => {
  const app = await createApp(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      NTP_SERVER: '127.0.0.1:9',
      NTP_TIMEOUT_MS: '200',
      OPERATOR_PASSWORD,
      SECRET_KEY: randomBytes(32).toString('hex'),
      ...overrides,
    }),
  );
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const baseUrl = `http://127.0.0.1:${port}`;
  const signIn = await fetch(`${baseUrl}/api/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'operator', password: OPERATOR_PASSWORD }),
  });
  if (!signIn.ok) throw new Error(`sign-in answered ${signIn.status}: ${await signIn.text()}`);
  const { access_token: operatorToken } = (await signIn.json()) as { access_token: string };
  return { baseUrl, operatorToken, close: () => app.close() };
};

const SEATS = Number(process.env['BENCH_SEATS'] ?? '20000');
const ATTEMPTS_PER_SEAT = 5;
const TARGETS = { runSeconds: 10, peakRssMb: 500 } as const;

const mb = (bytes: number): number => Math.round(bytes / 1024 / 1024);
const ms = (nanoseconds: number): number => Math.round(nanoseconds / 1e5) / 10;
const sleep = (delayMs: number) => new Promise<void>((resolve) => setTimeout(resolve, delayMs));

interface RunBody {
  readonly id: string;
  readonly status: string;
  readonly error: string | null;
  readonly append_ms: number | null;
  readonly projection_ms: number | null;
  readonly report: { readonly attempts: number; readonly read_model_matches_run: boolean } | null;
}

const main = async (): Promise<void> => {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-seeded-run-'));
  const rssBeforeStart = process.memoryUsage.rss();
  const app = await startApp({ PGLITE_DATA_DIR: dataDir, LOG_LEVEL: 'error', RUN_MAX_ATTEMPTS: '200000' });
  try {
    const rssAfterStart = process.memoryUsage.rss();
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();

    // The POST: nothing but validation and one append should happen in it.
    loop.reset();
    const postStarted = performance.now();
    const response = await fetch(`${app.baseUrl}/api/simulation/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${app.operatorToken}` },
      body: JSON.stringify({
        scenario: 'major_drift',
        seed: 2025,
        seats: SEATS,
        attempts_per_seat: ATTEMPTS_PER_SEAT,
        spread_ms: 1000,
      }),
    });
    const postMs = performance.now() - postStarted;
    const postLoopMaxMs = ms(loop.max);
    if (response.status !== 202) throw new Error(`POST answered ${response.status}: ${await response.text()}`);
    const { id } = (await response.json()) as RunBody;

    // The run: RSS and heap sampled until it completes.
    loop.reset();
    let peakRss = process.memoryUsage.rss();
    let peakHeap = process.memoryUsage().heapUsed;
    const sampler = setInterval(() => {
      const usage = process.memoryUsage();
      peakRss = Math.max(peakRss, usage.rss);
      peakHeap = Math.max(peakHeap, usage.heapUsed);
    }, 50);
    const runStarted = performance.now();
    let run: RunBody;
    for (;;) {
      run = (await (await fetch(`${app.baseUrl}/api/simulation/runs/${id}`)).json()) as RunBody;
      if (run.status !== 'queued' && run.status !== 'running') break;
      await sleep(100);
    }
    const runSeconds = (performance.now() - runStarted) / 1000;
    clearInterval(sampler);
    loop.disable();
    if (run.status !== 'completed' || !run.report) throw new Error(`run ${id} ${run.status}: ${run.error}`);

    const figures = {
      attempts: run.report.attempts,
      post_ms: Math.round(postMs * 10) / 10,
      post_event_loop_max_ms: postLoopMaxMs,
      run_s: Math.round(runSeconds * 10) / 10,
      attempts_per_s: Math.round(run.report.attempts / runSeconds),
      append_ms: run.append_ms,
      projection_ms: run.projection_ms,
      run_event_loop_p99_ms: ms(loop.percentile(99)),
      run_event_loop_max_ms: ms(loop.max),
      rss_before_start_mb: mb(rssBeforeStart),
      rss_after_start_mb: mb(rssAfterStart),
      peak_rss_mb: mb(peakRss),
      rss_after_run_mb: mb(process.memoryUsage.rss()),
      peak_heap_mb: mb(peakHeap),
      heap_limit_mb: mb(getHeapStatistics().heap_size_limit),
      read_model_matches_run: run.report.read_model_matches_run,
    };
    console.log(
      [
        `seeded run, ${figures.attempts} attempts on PGlite with a data directory (app in this process)`,
        `  POST: ${figures.post_ms} ms, event loop blocked at most ${figures.post_event_loop_max_ms} ms`,
        `  run: ${figures.run_s} s (${figures.attempts_per_s} attempts/s; append ${figures.append_ms} ms, ` +
          `projection ${figures.projection_ms} ms); target < ${TARGETS.runSeconds} s: ` +
          `${figures.run_s < TARGETS.runSeconds ? 'met' : 'NOT met'}`,
        `  event loop during the run: p99 ${figures.run_event_loop_p99_ms} ms, max ${figures.run_event_loop_max_ms} ms`,
        `  RSS: ${figures.rss_before_start_mb} MB before start, ${figures.rss_after_start_mb} MB after, ` +
          `peak ${figures.peak_rss_mb} MB during the run, ${figures.rss_after_run_mb} MB after; heap peak ` +
          `${figures.peak_heap_mb} MB (heap limit ${figures.heap_limit_mb} MB); target peak < ${TARGETS.peakRssMb} MB: ` +
          `${figures.peak_rss_mb < TARGETS.peakRssMb ? 'met' : 'NOT met'}`,
        `  read model matches the run: ${figures.read_model_matches_run}`,
      ].join('\n'),
    );
    console.log(JSON.stringify({ benchmark: 'seeded-run-memory', ...figures }));
  } finally {
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
  }
};

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
