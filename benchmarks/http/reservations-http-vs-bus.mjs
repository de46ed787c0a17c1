/**
 * Reservations/s over HTTP (loopback, autocannon) vs through the CommandBus
 * in-process, same concurrency, on the embedded store. Target: HTTP ÷ bus ≥ 0.5.
 *
 *   npx tsc -p backend/tsconfig.app.json && node benchmarks/http/reservations-http-vs-bus.mjs
 *
 * (run from the repository root). Plain JavaScript on purpose: the backend's
 * Nest decorators need emitDecoratorMetadata, which tsx/esbuild do not emit,
 * so the benchmark drives the compiled app in dist/backend.
 *
 * Three rows:
 *   http          POST /api/reservations through Fastify, validation, the
 *                 command bus, and the controller's read-your-writes wait for
 *                 the projection (what a client really gets).
 *   bus           CommandBus.execute(AttemptReservationCommand): the write
 *                 side alone (decide + append).
 *   bus+projected the bus plus the same read-your-writes wait the controller
 *                 does, to show where the gap between the first two goes.
 * Settings: BENCH_SECONDS (default 8 per row), BENCH_CONNECTIONS (default 16),
 * BENCH_DATA_DIR (default: a fresh temp dir, as the app's default embedded
 * store keeps its files; ":memory:" for in-memory PGlite).
 * Prints a table, then one JSON line.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reservationLoad } from './autocannon-load.mjs';

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
// Resolve everything from the compiled app so Nest, CQRS and the app share one module instance each.
const requireFromApp = createRequire(join(repositoryRoot, 'dist', 'backend', 'main.js'));
requireFromApp('reflect-metadata');
const requireFromBackend = createRequire(join(repositoryRoot, 'backend', 'package.json'));
const { CommandBus } = requireFromApp('@nestjs/cqrs');
const { loadConfig } = requireFromApp('./config/environment.js');
const { createApp } = requireFromApp('./create-app.js');
const { AttemptReservationCommand } = requireFromApp('./reservations/application/attempt-reservation.command.js');
const { PROJECTION_RUNNER } = requireFromApp('./reservations/application/tokens.js');

const MEASURE_SECONDS = Number(process.env.BENCH_SECONDS ?? '8');
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? '16');
const WARMUP_SECONDS = 1.5;
const MAX_SEATS = 100_000;
const BOOKING_SERVERS = 5;
const TARGET_RATIO = 0.5;

/** A different seat per attempt, so rows measure appends rather than one hot seat's contention. */
let attemptCounter = 0;
const nextAttempt = () => {
  attemptCounter += 1;
  return {
    seat_id: ((attemptCounter * 7919) % MAX_SEATS) + 1,
    customer_name: `bench-${attemptCounter}`,
    server_id: `server-${(attemptCounter % BOOKING_SERVERS) + 1}`,
  };
};

const percentile = (sortedMs, fraction) =>
  sortedMs.length === 0 ? NaN : sortedMs[Math.min(sortedMs.length - 1, Math.floor(fraction * sortedMs.length))];

const runHttp = async (baseUrl, seconds) => {
  const result = await reservationLoad({
    url: `${baseUrl}/api/reservations`,
    connections: CONNECTIONS,
    seconds,
    maxSeats: MAX_SEATS,
    servers: Array.from({ length: BOOKING_SERVERS }, (_, index) => `server-${index + 1}`),
  });
  if (result.failures > 0) {
    throw new Error(
      `HTTP run had failures: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  return {
    reservations: result.reservations,
    perSecond: result.requestsPerSecond,
    p50Ms: result.p50Ms,
    p99Ms: result.p99Ms,
  };
};

/** CONNECTIONS workers, each sending its next attempt as soon as the previous one answers (as autocannon does). */
const runInProcess = async (attemptOnce, seconds) => {
  const latenciesMs = [];
  const deadline = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const startedAt = performance.now();
      await attemptOnce(nextAttempt());
      latenciesMs.push(performance.now() - startedAt);
    }
  };
  const startedAt = performance.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  const elapsedSeconds = (performance.now() - startedAt) / 1000;
  latenciesMs.sort((a, b) => a - b);
  return {
    reservations: latenciesMs.length,
    perSecond: latenciesMs.length / elapsedSeconds,
    p50Ms: percentile(latenciesMs, 0.5),
    p99Ms: percentile(latenciesMs, 0.99),
  };
};

const main = async () => {
  const ownDataDir = process.env.BENCH_DATA_DIR ? undefined : await mkdtemp(join(tmpdir(), 'ntp-lab-bench-http-'));
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    PGLITE_DATA_DIR: process.env.BENCH_DATA_DIR ?? ownDataDir,
    LOG_LEVEL: 'silent',
    NTP_SERVER: '127.0.0.1:9',
    NTP_TIMEOUT_MS: '200',
    MAX_SEATS: String(MAX_SEATS),
    // The benchmark floods writes from one address on purpose; nothing here needs the operator.
    WRITE_RATE_LIMIT_PER_MINUTE: '100000000',
    OPERATOR_PASSWORD: randomBytes(16).toString('hex'),
    SECRET_KEY: randomBytes(32).toString('hex'),
  });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address();
  const baseUrl = `http://127.0.0.1:${port}`;
  const commandBus = app.get(CommandBus);
  const runner = app.get(PROJECTION_RUNNER);

  const viaBus = (attempt) =>
    commandBus.execute(new AttemptReservationCommand(attempt.seat_id, attempt.customer_name, attempt.server_id));
  const viaBusThenProjected = async (attempt) => {
    const result = await viaBus(attempt);
    await runner.waitForPosition(result.position, 1000);
  };

  try {
    process.stderr.write(`warming up (${WARMUP_SECONDS} s each)…\n`);
    await runHttp(baseUrl, WARMUP_SECONDS);
    await runInProcess(viaBus, WARMUP_SECONDS);

    process.stderr.write(`measuring ${MEASURE_SECONDS} s per row, ${CONNECTIONS} concurrent…\n`);
    const http = await runHttp(baseUrl, MEASURE_SECONDS);
    const bus = await runInProcess(viaBus, MEASURE_SECONDS);
    const busProjected = await runInProcess(viaBusThenProjected, MEASURE_SECONDS);
    const ratio = http.perSecond / bus.perSecond;

    const rows = [
      ['http', http],
      ['bus', bus],
      ['bus+projected', busProjected],
    ];
    const format = (value, digits) => value.toFixed(digits).padStart(10);
    console.log(
      `\nstore: ${config.PGLITE_DATA_DIR === ':memory:' ? 'pglite (memory)' : 'pglite (data dir)'}, ` +
        `${CONNECTIONS} concurrent, ${MEASURE_SECONDS} s per row`,
    );
    console.log(
      `${'path'.padEnd(14)}${'res/s'.padStart(10)}${'p50 ms'.padStart(10)}${'p99 ms'.padStart(10)}${'count'.padStart(10)}`,
    );
    for (const [name, row] of rows) {
      console.log(
        `${name.padEnd(14)}${format(row.perSecond, 0)}${format(row.p50Ms, 2)}${format(row.p99Ms, 2)}${String(row.reservations).padStart(10)}`,
      );
    }
    console.log(
      `http ÷ bus = ${ratio.toFixed(2)} (target ≥ ${TARGET_RATIO}: ${ratio >= TARGET_RATIO ? 'met' : 'NOT met'})`,
    );
    console.log(`http ÷ bus+projected = ${(http.perSecond / busProjected.perSecond).toFixed(2)}\n`);

    const round = (row) => ({
      per_second: Math.round(row.perSecond),
      p50_ms: Number(row.p50Ms.toFixed(2)),
      p99_ms: Number(row.p99Ms.toFixed(2)),
      reservations: row.reservations,
    });
    console.log(
      JSON.stringify({
        benchmark: 'reservations-http-vs-bus',
        store: config.PGLITE_DATA_DIR === ':memory:' ? 'pglite-memory' : 'pglite-data-dir',
        connections: CONNECTIONS,
        seconds: MEASURE_SECONDS,
        http: round(http),
        bus: round(bus),
        bus_projected: round(busProjected),
        ratio: Number(ratio.toFixed(3)),
        target_ratio: TARGET_RATIO,
        target_met: ratio >= TARGET_RATIO,
      }),
    );
  } finally {
    await app.close();
    if (ownDataDir) await rm(ownDataDir, { recursive: true, force: true });
  }
};

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
