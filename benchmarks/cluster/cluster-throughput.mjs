/**
 * Issue 12's figure (and issue 15's last target): reservations/s through a
 * three-node cluster against one node, on the same PostgreSQL server, in
 * one run, as interleaved pairs. Each node hosts some booking servers and
 * gets the load for those; the one node hosts all five. The same total
 * connections either way.
 *
 *   npm run build -w backend && BENCH_DATABASE_URL=postgres://... node benchmarks/cluster/cluster-throughput.mjs
 *
 * Settings: BENCH_DATABASE_URL (or TEST_DATABASE_URL; a superuser URL, throw-away databases are
 * created there), BENCH_SECONDS (default 8), BENCH_PAIRS (default 2), BENCH_CONNECTIONS (default 48).
 * Prints a table, then one JSON line.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { startBuiltBackend } from '../support/built-backend.mjs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reservationLoad } from '../http/autocannon-load.mjs';

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
const { Client } = createRequire(join(repositoryRoot, 'backend', 'package.json'))('pg');
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
const SECONDS = Number(process.env.BENCH_SECONDS ?? '8');
const PAIRS = Number(process.env.BENCH_PAIRS ?? '2');
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? '48');
const MAX_SEATS = 100_000;
const LAYOUTS = {
  'one node': [['server-1', 'server-2', 'server-3', 'server-4', 'server-5']],
  'three nodes': [['server-1', 'server-2'], ['server-3', 'server-4'], ['server-5']],
};

if (!SERVER_URL) {
  console.log('cluster throughput: set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a PostgreSQL server');
  process.exit(2);
}

const admin = async (sql) => {
  const client = new Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
};

const startNode = async (databaseUrl, name, hosted, secretsDir) => {
  const node = await startBuiltBackend({
    name,
    env: {
      DATABASE_URL: databaseUrl,
      CLUSTER_MODE: 'on',
      CLUSTER_NODE_NAME: name,
      BOOKING_SERVERS_HOSTED: hosted.join(','),
      MAX_SEATS: String(MAX_SEATS),
      SECRETS_DIR: secretsDir,
      NTP_SERVER: '127.0.0.1:9',
      NTP_TIMEOUT_MS: '200',
      WRITE_RATE_LIMIT_PER_MINUTE: '10000000',
      CONSOLE_DIR: secretsDir,
    },
  });
  return { ...node, hosted };
};

const measure = async (nodes) => {
  const share = Math.max(1, Math.round(CONNECTIONS / nodes.length));
  const results = await Promise.all(
    nodes.map((node) =>
      reservationLoad({
        url: `${node.url}/api/reservations`,
        connections: share,
        seconds: SECONDS,
        maxSeats: MAX_SEATS,
        servers: node.hosted,
      }),
    ),
  );
  return {
    requestsPerSecond: results.reduce((sum, each) => sum + each.requestsPerSecond, 0),
    p99Ms: Math.max(...results.map((each) => each.p99Ms)),
    failures: results.reduce((sum, each) => sum + each.failures, 0),
  };
};

const main = async () => {
  const secretsDir = await mkdtemp(join(tmpdir(), 'lab-cluster-bench-'));
  const running = {};
  const databases = [];
  try {
    for (const [label, layout] of Object.entries(LAYOUTS)) {
      const database = `lab_cluster_bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
      await admin(`CREATE DATABASE ${database}`);
      databases.push(database);
      const url = new URL(SERVER_URL);
      url.pathname = `/${database}`;
      // The first node migrates the empty database; the others join it.
      const first = await startNode(url.toString(), `${label.replace(' ', '-')}-1`, layout[0], secretsDir);
      const rest = await Promise.all(
        layout
          .slice(1)
          .map((hosted, index) =>
            startNode(url.toString(), `${label.replace(' ', '-')}-${index + 2}`, hosted, secretsDir),
          ),
      );
      running[label] = [first, ...rest];
    }
    const rounds = [];
    for (let pair = 0; pair < PAIRS; pair += 1) {
      for (const label of Object.keys(LAYOUTS)) {
        const result = await measure(running[label]);
        rounds.push({ label, ...result });
        console.log(
          `${label.padEnd(12)} ${result.requestsPerSecond.toFixed(0).padStart(6)} req/s  p99 ${String(result.p99Ms).padStart(4)} ms  failures ${result.failures}`,
        );
      }
    }
    const median = (label) => {
      const values = rounds.filter((round) => round.label === label).map((round) => round.requestsPerSecond);
      return values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
    };
    const one = median('one node');
    const three = median('three nodes');
    console.log(`\nthree nodes ÷ one node: ${(three / one).toFixed(2)} (target ≥ 2 on a machine with cores to spare)`);
    console.log(
      JSON.stringify({
        benchmark: 'cluster-throughput',
        seconds: SECONDS,
        pairs: PAIRS,
        connections: CONNECTIONS,
        one_node_rps: Math.round(one),
        three_nodes_rps: Math.round(three),
        ratio: Number((three / one).toFixed(3)),
        rounds,
      }),
    );
  } finally {
    await Promise.all(
      Object.values(running)
        .flat()
        .map((node) => node.stop()),
    );
    for (const database of databases)
      await admin(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => undefined);
    await rm(secretsDir, { recursive: true, force: true });
  }
};

await main();
