/**
 * Does a crowd of live-stream clients slow the writes down? (issue 13.6)
 * POST /api/reservations latency with no SSE client, then with N idle SSE
 * clients connected (default 1,000), in the same run against the same
 * backend process. Target: p99 with the clients within 2× of p99 without.
 *
 *   npx tsx benchmarks/live/sse-fanout.ts
 *
 * The backend runs as its own process (embedded PGlite in memory unless
 * BENCH_DATABASE_URL names a PostgreSQL database), the SSE clients in a
 * second one, the POST load (BENCH_WRITERS concurrent writers, default 8,
 * for BENCH_SECONDS each phase, default 10) in this one. Health probes
 * (/health/ready, twice a second) are counted too: the issue saw 4 of 13
 * answer 503 with 1,000 clients. Prints a table, then one JSON line.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startBackendProcess, type BackendProcess } from '../../backend/test/faults/backend-process';

const CLIENTS = Number(process.env['BENCH_SSE_CLIENTS'] ?? '1000');
const WRITERS = Number(process.env['BENCH_WRITERS'] ?? '8');
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? '10');
const DATABASE_URL = process.env['BENCH_DATABASE_URL'];
const TARGET_P99_RATIO = 2;
const MAX_SEATS = 100_000;

interface Phase {
  readonly phase: string;
  readonly sseClients: number;
  readonly posts: number;
  readonly postsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly non201: number;
  readonly healthProbes: number;
  readonly health503: number;
  readonly sseEventsPerSecond: number | null;
}

const percentile = (sorted: readonly number[], fraction: number): number =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

let attempt = 0;
const post = async (baseUrl: string): Promise<{ status: number; ms: number }> => {
  attempt += 1;
  const started = performance.now();
  const response = await fetch(`${baseUrl}/api/reservations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      seat_id: ((attempt * 7919) % MAX_SEATS) + 1,
      customer_name: `fanout-${attempt}`,
      server_id: `server-${(attempt % 5) + 1}`,
    }),
  }).catch(() => null);
  await response?.arrayBuffer();
  return { status: response?.status ?? 0, ms: performance.now() - started };
};

/** Closed-loop writers for `seconds`, and a readiness probe twice a second. */
const measure = async (backend: BackendProcess, seconds: number) => {
  const latencies: number[] = [];
  let non201 = 0;
  let probes = 0;
  let probes503 = 0;
  const until = performance.now() + seconds * 1000;
  const writers = Array.from({ length: WRITERS }, async () => {
    while (performance.now() < until) {
      const { status, ms } = await post(backend.baseUrl);
      latencies.push(ms);
      if (status !== 201) non201 += 1;
    }
  });
  const prober = (async () => {
    while (performance.now() < until) {
      const status = await fetch(`${backend.baseUrl}/health/ready`)
        .then(async (response) => (await response.arrayBuffer(), response.status))
        .catch(() => 0);
      probes += 1;
      if (status !== 200) probes503 += 1;
      await sleep(500);
    }
  })();
  await Promise.all([...writers, prober]);
  const sorted = latencies.sort((a, b) => a - b);
  return { sorted, non201, probes, probes503 };
};

const startSseClients = async (baseUrl: string, count: number) => {
  const child = spawn(process.execPath, [join(__dirname, 'sse-clients.mjs'), baseUrl, String(count)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const next = async <T>(): Promise<T> => JSON.parse(String((await lines.next()).value)) as T;
  const connected = await next<{ opened: number; refused: number }>();
  return {
    ...connected,
    counts: async () => {
      child.kill('SIGUSR2');
      return next<{ events: number; bytes: number }>();
    },
    stop: async () => {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
};

const main = async (): Promise<void> => {
  const backend = await startBackendProcess({
    ...(DATABASE_URL ? { DATABASE_URL } : { PGLITE_DATA_DIR: ':memory:' }),
    MAX_SEATS: String(MAX_SEATS),
    SSE_MAX_STREAMS: String(CLIENTS + 100),
    SSE_MAX_STREAMS_PER_CLIENT: String(CLIENTS + 100),
    // One load generator is one client address: the per-address write limit would measure itself.
    WRITE_RATE_LIMIT_PER_MINUTE: '10000000',
    LOG_LEVEL: 'error',
  });
  const phases: Phase[] = [];
  const record = (
    phase: string,
    sseClients: number,
    run: Awaited<ReturnType<typeof measure>>,
    sseEvents: number | null,
  ) =>
    phases.push({
      phase,
      sseClients,
      posts: run.sorted.length,
      postsPerSecond: round(run.sorted.length / SECONDS),
      p50Ms: round(percentile(run.sorted, 0.5)),
      p99Ms: round(percentile(run.sorted, 0.99)),
      maxMs: round(run.sorted[run.sorted.length - 1] ?? NaN),
      non201: run.non201,
      healthProbes: run.probes,
      health503: run.probes503,
      sseEventsPerSecond: sseEvents === null ? null : round(sseEvents / SECONDS, 0),
    });
  try {
    await measure(backend, 2); // warm-up: JIT, PGlite, pools
    record('no SSE client', 0, await measure(backend, SECONDS), null);
    const clients = await startSseClients(backend.baseUrl, CLIENTS);
    try {
      await sleep(1500);
      const before = await clients.counts();
      const run = await measure(backend, SECONDS);
      const after = await clients.counts();
      record(`${clients.opened} idle SSE clients`, clients.opened, run, after.events - before.events);
      if (clients.refused > 0) console.warn(`${clients.refused} SSE clients were refused`);
    } finally {
      await clients.stop();
    }
    if (backend.exited()) throw new Error(`the backend died:\n${backend.output()}`);
  } finally {
    await backend.stop();
  }
  const [idle, crowded] = phases as [Phase, Phase];
  const ratio = round(crowded.p99Ms / idle.p99Ms, 2);
  console.log(
    `\nPOST /api/reservations, ${WRITERS} writers, ${SECONDS} s per phase, ${DATABASE_URL ? 'PostgreSQL' : 'PGlite'}`,
  );
  console.table(phases);
  console.log(
    `p99 ratio (with clients ÷ without): ${ratio} (target ≤ ${TARGET_P99_RATIO}: ${ratio <= TARGET_P99_RATIO ? 'met' : 'NOT met'})`,
  );
  console.log(
    JSON.stringify({
      benchmark: 'sse-fanout',
      writers: WRITERS,
      seconds: SECONDS,
      store: DATABASE_URL ? 'postgres' : 'pglite',
      phases,
      p99Ratio: ratio,
      targetP99Ratio: TARGET_P99_RATIO,
    }),
  );
};

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
