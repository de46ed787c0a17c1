/**
 * Issue 15's settlement target: at the sustained write rate, is every seat
 * settled within its window + 1 s? The app serves POST /api/reservations at
 * full speed (autocannon, as in write-path-ceiling.mjs), seats revisited so
 * several attempts compete for each; afterwards the log says, per seat, when
 * its first attempt was stored and when its SeatAssigned was. A seat is on time
 * when the assignment was stored by first attempt + CONFLICT_WINDOW_MS +
 * SETTLEMENT_GRACE_MS + 1 s (the commit times come from the same database
 * clock, `created_at`, so the load generator's clock plays no part).
 *
 *   npx tsc -p backend/tsconfig.app.json && node benchmarks/settlement/settlement-lag.mjs
 *
 * Settings: BENCH_SECONDS (default 10), BENCH_CONNECTIONS (default 16),
 * BENCH_SEATS (default 2000), BENCH_STORES (default "pglite,postgres"; the
 * PostgreSQL run needs BENCH_DATABASE_URL or TEST_DATABASE_URL).
 * Prints a table, then one JSON line.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reservationLoad } from '../http/autocannon-load.mjs';
import { requireFromApp, startInProcessApp } from '../support/in-process-app.mjs';

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
const { EVENT_STORE } = requireFromApp('./reservations/application/tokens.js');
const { Pool } = createRequire(join(repositoryRoot, 'backend', 'package.json'))('pg');

const SECONDS = Number(process.env.BENCH_SECONDS ?? '10');
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? '16');
const SEATS = Number(process.env.BENCH_SEATS ?? '2000');
const STORES = (process.env.BENCH_STORES ?? 'pglite,postgres').split(',');
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
const WINDOW_MS = 2000;
const GRACE_MS = 250;
const ALLOWED_LATE_MS = 1000;
const SETTLE_WAIT_MS = 60_000;

const startApp = (storeSettings) =>
  startInProcessApp({
    MAX_SEATS: String(SEATS),
    CONFLICT_WINDOW_MS: String(WINDOW_MS),
    SETTLEMENT_GRACE_MS: String(GRACE_MS),
    ...storeSettings,
  });

/** Per seat of the live session: when its first attempt and its assignment were stored. */
const seatTimes = async (store) => {
  const seats = new Map();
  for (let after = 0n; ;) {
    const page = await store.readAll({ after, maxCount: 5000 });
    if (page.length === 0) break;
    for (const event of page) {
      after = event.position;
      if (event.data.runId) continue;
      const seatId = event.data.seatId;
      if (event.type === 'ReservationAttempted') {
        const seat = seats.get(seatId) ?? { firstAttemptMs: Infinity, assignedMs: null };
        seat.firstAttemptMs = Math.min(seat.firstAttemptMs, event.createdAt.getTime());
        seats.set(seatId, seat);
      } else if (event.type === 'SeatAssigned' && seats.has(seatId)) {
        seats.get(seatId).assignedMs ??= event.createdAt.getTime();
      }
    }
  }
  return [...seats.values()];
};

const percentile = (sorted, share) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))];

const measure = async (label, storeSettings) => {
  const { app, url } = await startApp(storeSettings);
  try {
    const load = await reservationLoad({ url, connections: CONNECTIONS, seconds: SECONDS, maxSeats: SEATS });
    const store = app.get(EVENT_STORE);
    // Let every window close and settlement finish (or give up after a minute).
    const deadline = Date.now() + SETTLE_WAIT_MS;
    let seats = await seatTimes(store);
    while (seats.some((seat) => seat.assignedMs === null) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      seats = await seatTimes(store);
    }
    const lateness = seats
      .map((seat) => (seat.assignedMs ?? Infinity) - (seat.firstAttemptMs + WINDOW_MS + GRACE_MS))
      .sort((a, b) => a - b);
    const onTime = lateness.filter((late) => late <= ALLOWED_LATE_MS).length;
    return {
      store: label,
      requestsPerSecond: Math.round(load.requestsPerSecond),
      failures: load.failures,
      seats: seats.length,
      unsettled: seats.filter((seat) => seat.assignedMs === null).length,
      onTimeShare: seats.length === 0 ? 0 : onTime / seats.length,
      latenessMs: { p50: percentile(lateness, 0.5), p99: percentile(lateness, 0.99), max: lateness.at(-1) },
    };
  } finally {
    await app.close();
  }
};

const onPostgres = async () => {
  const admin = new Pool({ connectionString: SERVER_URL, max: 1 });
  const database = `bench_settle_${process.pid}`;
  await admin.query(`CREATE DATABASE ${database}`);
  const url = new URL(SERVER_URL);
  url.pathname = `/${database}`;
  try {
    return await measure('postgres', { DATABASE_URL: url.toString() });
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
};

const results = [];
if (STORES.includes('pglite')) {
  const dataDir = await mkdtemp(join(tmpdir(), 'ntp-lab-bench-settle-'));
  try {
    results.push(await measure('pglite', { PGLITE_DATA_DIR: dataDir }));
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
if (STORES.includes('postgres')) {
  if (SERVER_URL) results.push(await onPostgres());
  else console.log('skipping PostgreSQL: set BENCH_DATABASE_URL or TEST_DATABASE_URL');
}

const ms = (value) => (Number.isFinite(value) ? `${Math.round(value)}` : 'never');
console.log(
  `\nSeats settled within window (${WINDOW_MS} ms) + grace (${GRACE_MS} ms) + ${ALLOWED_LATE_MS} ms, ` +
    `${CONNECTIONS} connections × ${SECONDS} s over ${SEATS} seats`,
);
console.log('| store | req/s | seats | on time | unsettled | lateness p50 / p99 / max ms |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const row of results) {
  console.log(
    `| ${row.store} | ${row.requestsPerSecond} | ${row.seats} | ${(row.onTimeShare * 100).toFixed(1)} % | ${row.unsettled} | ` +
      `${ms(row.latenessMs.p50)} / ${ms(row.latenessMs.p99)} / ${ms(row.latenessMs.max)} |`,
  );
}
console.log(JSON.stringify({ benchmark: 'settlement-lag', allowedLateMs: ALLOWED_LATE_MS, results }));
process.exit(0);
