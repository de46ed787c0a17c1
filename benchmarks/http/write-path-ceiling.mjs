/**
 * Issue 15's write-path target: POST /api/reservations against a "ceiling"
 * server that does what one reservation minimally needs (bare Fastify, one
 * durable INSERT of a ~330-byte row per request), on the same database and in
 * the same run, as interleaved pairs so machine noise hits both alike.
 *
 *   npx tsc -p backend/tsconfig.app.json && node benchmarks/http/write-path-ceiling.mjs
 *
 * Stores: the embedded PGlite (a fresh data directory, served the way the app
 * serves it) and, when BENCH_DATABASE_URL or TEST_DATABASE_URL is set, that
 * PostgreSQL server (the app on a throw-away database created there).
 * Settings: BENCH_SECONDS (default 8 per measurement), BENCH_PAIRS (default 2),
 * BENCH_CONNECTIONS (default "16,64"), BENCH_STORES (default "pglite,postgres"),
 * BENCH_GROUP_COMMIT (default "on"; "on,off" adds the app without group commit).
 * Target: ours ÷ ceiling ≥ 0.8 req/s, p99 ≤ 2× the ceiling's. After each load of ours the
 * benchmark waits for the projection and settlement work it left behind before the ceiling's turn,
 * and reports how long after the load the log went quiet (it includes the wait for the last seats'
 * conflict window and settlement grace, 2.25 s by default: waiting, not work).
 * Prints a table, then one JSON line.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reservationLoad } from './autocannon-load.mjs';
import { requireFromApp, startInProcessApp } from '../support/in-process-app.mjs';

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
const requireFromBackend = createRequire(join(repositoryRoot, 'backend', 'package.json'));
const { startEmbeddedPostgres } = requireFromApp('./event-store/embedded/embedded-postgres.js');
const Fastify = requireFromBackend('fastify');
const { Pool } = requireFromBackend('pg');

const SECONDS = Number(process.env.BENCH_SECONDS ?? '8');
const PAIRS = Number(process.env.BENCH_PAIRS ?? '2');
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '16,64').split(',').map(Number);
const STORES = (process.env.BENCH_STORES ?? 'pglite,postgres').split(',');
// "on,off" also measures the app without group commit (APPEND_GROUP_COMMIT=off), in the same run.
const GROUP_COMMIT = (process.env.BENCH_GROUP_COMMIT ?? 'on').split(',');
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
const MAX_SEATS = 100_000;
const TARGET_RATIO = 0.8;

const load = async (url, connections, seconds) => {
  const { requestsPerSecond, p50Ms, p99Ms, failures } = await reservationLoad({
    url,
    connections,
    seconds,
    maxSeats: MAX_SEATS,
  });
  return { requestsPerSecond, p50Ms, p99Ms, failures };
};

/** Bare Fastify: parse the body, one INSERT of a ~330-byte row, answer 201. */
const startCeiling = async (connectionString, poolSize) => {
  const pool = new Pool({ connectionString, max: poolSize });
  await pool.query(`CREATE TABLE IF NOT EXISTS bench_ceiling (id uuid PRIMARY KEY, body jsonb NOT NULL)`);
  const server = Fastify({ logger: false });
  server.post('/api/reservations', async (request, reply) => {
    const id = randomUUID();
    const row = {
      ...request.body,
      id,
      stamps: { server: Date.now(), corrected: Date.now(), bound: 12.5 },
      pad: 'x'.repeat(160),
    };
    await pool.query(`INSERT INTO bench_ceiling (id, body) VALUES ($1, $2)`, [id, JSON.stringify(row)]);
    reply.code(201);
    return { id };
  });
  await server.listen({ port: 0, host: '127.0.0.1' });
  const { port } = server.server.address();
  return {
    url: `http://127.0.0.1:${port}/api/reservations`,
    close: async () => {
      await server.close();
      await pool.end();
    },
  };
};

const startOurs = (storeSettings) => startInProcessApp({ MAX_SEATS: String(MAX_SEATS), ...storeSettings });

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const measurePairs = async (store, groupCommit, connections, ours, ceiling) => {
  await load(ours.url, connections, 1.5);
  await ours.drained();
  await load(ceiling.url, connections, 1.5);
  const oursRuns = [];
  const ceilingRuns = [];
  for (let pair = 0; pair < PAIRS; pair += 1) {
    const run = await load(ours.url, connections, SECONDS);
    // The projection and settlement work the load left behind runs before the ceiling's turn, not
    // during it (it took CPU from the ceiling, which flattered the ratio); when the log went quiet is reported.
    oursRuns.push({ ...run, drainSeconds: await ours.drained() });
    ceilingRuns.push(await load(ceiling.url, connections, SECONDS));
  }
  const summary = (runs) => ({
    requestsPerSecond: median(runs.map((run) => run.requestsPerSecond)),
    p50Ms: median(runs.map((run) => run.p50Ms)),
    p99Ms: median(runs.map((run) => run.p99Ms)),
    failures: runs.reduce((sum, run) => sum + run.failures, 0),
    drainSeconds: median(runs.map((run) => run.drainSeconds ?? 0)),
  });
  const row = { store, groupCommit, connections, ours: summary(oursRuns), ceiling: summary(ceilingRuns) };
  row.ratio = row.ours.requestsPerSecond / row.ceiling.requestsPerSecond;
  row.p99Ratio = row.ours.p99Ms / row.ceiling.p99Ms;
  row.meetsTarget = row.ratio >= TARGET_RATIO && row.p99Ratio <= 2;
  return row;
};

/** Each app variant in turn against the same ceiling, every connection count. */
const measureVariants = async (rows, store, startVariant, ceiling) => {
  for (const groupCommit of GROUP_COMMIT) {
    const ours = await startVariant(groupCommit);
    try {
      for (const connections of CONNECTIONS) {
        rows.push(await measurePairs(store, groupCommit, connections, ours, ceiling));
      }
    } finally {
      await ours.close();
    }
  }
};

const onPglite = async (rows) => {
  const scratch = await mkdtemp(join(tmpdir(), 'ntp-lab-bench-write-'));
  try {
    // The ceiling's own embedded store, started the way the app starts its one.
    const embedded = await startEmbeddedPostgres({ dataDir: join(scratch, 'ceiling'), maxConnections: 80 });
    const ceiling = await startCeiling(embedded.connectionString, 16);
    try {
      await measureVariants(
        rows,
        'pglite',
        (groupCommit) =>
          startOurs({ PGLITE_DATA_DIR: join(scratch, `app-${groupCommit}`), APPEND_GROUP_COMMIT: groupCommit }),
        ceiling,
      );
    } finally {
      await ceiling.close();
      await embedded.close();
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
};

const onPostgres = async (rows) => {
  if (!SERVER_URL) {
    console.log('skipping PostgreSQL: set BENCH_DATABASE_URL or TEST_DATABASE_URL');
    return;
  }
  const admin = new Pool({ connectionString: SERVER_URL, max: 1 });
  const databases = ['ceiling', ...GROUP_COMMIT].map((name) => `bench_write_${process.pid}_${name}`);
  const urlOf = (database) => {
    const url = new URL(SERVER_URL);
    url.pathname = `/${database}`;
    return url.toString();
  };
  for (const database of databases) await admin.query(`CREATE DATABASE ${database}`);
  try {
    const ceiling = await startCeiling(urlOf(databases[0]), 32);
    try {
      await measureVariants(
        rows,
        'postgres',
        (groupCommit) =>
          startOurs({
            DATABASE_URL: urlOf(`bench_write_${process.pid}_${groupCommit}`),
            APPEND_GROUP_COMMIT: groupCommit,
          }),
        ceiling,
      );
    } finally {
      await ceiling.close();
    }
  } finally {
    for (const database of databases) await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
};

const rows = [];
if (STORES.includes('pglite')) await onPglite(rows);
if (STORES.includes('postgres')) await onPostgres(rows);

const fmt = (value, digits = 0) =>
  value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
console.log(`\nPOST /api/reservations vs the one-INSERT ceiling (${PAIRS} interleaved pairs × ${SECONDS} s, medians)`);
console.log(
  '| store, group commit, connections | ours req/s | p50/p99 ms | ceiling req/s | p50/p99 ms | ours ÷ ceiling | p99 ÷ ceiling | quiet after the load |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
for (const row of rows) {
  console.log(
    `| ${row.store}, ${row.groupCommit}, ${row.connections} | ${fmt(row.ours.requestsPerSecond)} | ${row.ours.p50Ms}/${row.ours.p99Ms} | ` +
      `${fmt(row.ceiling.requestsPerSecond)} | ${row.ceiling.p50Ms}/${row.ceiling.p99Ms} | ${fmt(row.ratio, 3)} | ${fmt(row.p99Ratio, 2)} | ` +
      `${fmt(row.ours.drainSeconds, 1)} s |`,
  );
  if (row.ours.failures + row.ceiling.failures > 0) {
    console.log(`  failures: ours ${row.ours.failures}, ceiling ${row.ceiling.failures}`);
  }
}
console.log(JSON.stringify({ benchmark: 'write-path-ceiling', target: TARGET_RATIO, rows }));
process.exit(0);
