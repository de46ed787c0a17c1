/**
 * Issue 15's idle target: CPU of the backend process while nothing happens,
 * as a share of one core (< 1 % is the target). The process's own counters
 * (/proc/<pid>/stat utime + stime) cover every thread, PGlite's worker too.
 *
 *   npm run build -w backend && node benchmarks/idle/idle-cpu.mjs
 *
 * Layouts: the embedded default (PGlite with a data directory), and, when
 * BENCH_DATABASE_URL (or TEST_DATABASE_URL) names a PostgreSQL server, the
 * backend on a throw-away database there, alone and as one node of a cluster.
 * For the server layouts the PostgreSQL backends serving that database are
 * counted as well (their CPU is the backend's polling too).
 * Settings: BENCH_SECONDS (default 30) measured after BENCH_SETTLE_SECONDS (default 5).
 * Prints a table, then one JSON line.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startBuiltBackend } from '../support/built-backend.mjs';

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
const { Client } = createRequire(join(repositoryRoot, 'backend', 'package.json'))('pg');
const SERVER_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
const SECONDS = Number(process.env.BENCH_SECONDS ?? '30');
const SETTLE_SECONDS = Number(process.env.BENCH_SETTLE_SECONDS ?? '5');
// Linux reports utime/stime in clock ticks; 100 per second on every kernel config Debian ships.
const TICKS_PER_SECOND = 100;

const cpuTicksOf = async (pid) => {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0; // a PostgreSQL backend that ended between listing and reading
  }
};

const withClient = async (url, work) => {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
};

const serverBackendsOf = (database) =>
  withClient(SERVER_URL, async (client) => {
    const { rows } = await client.query('SELECT pid FROM pg_stat_activity WHERE datname = $1', [database]);
    return rows.map((row) => row.pid);
  });

const startBackend = (env, scratch) => startBuiltBackend({ env: { SECRETS_DIR: scratch, ...env } });

/** Share of one core used by the backend (and by its database's server backends) over the window. */
const idleShare = async (backend, database) => {
  await new Promise((resolve) => setTimeout(resolve, SETTLE_SECONDS * 1000));
  const serverPids = database ? await serverBackendsOf(database) : [];
  const readAll = async () => ({
    node: await cpuTicksOf(backend.pid),
    server: await Promise.all(serverPids.map(cpuTicksOf)),
  });
  const before = await readAll();
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
  const elapsedS = (performance.now() - started) / 1000;
  const after = await readAll();
  // A server backend that ended during the window reads 0 afterwards: count only those alive at both ends.
  const serverTicks = serverPids.reduce(
    (sum, _, index) => (after.server[index] > 0 ? sum + after.server[index] - before.server[index] : sum),
    0,
  );
  const percent = (ticks) => Math.round((ticks / TICKS_PER_SECOND / elapsedS) * 1000) / 10;
  return { nodePercent: percent(after.node - before.node), serverPercent: database ? percent(serverTicks) : null };
};

const layouts = [
  { label: 'embedded (PGlite, data directory)', env: (scratch) => ({ PGLITE_DATA_DIR: join(scratch, 'pglite') }) },
];
if (SERVER_URL) {
  layouts.push(
    { label: 'PostgreSQL server', server: true, env: () => ({}) },
    {
      label: 'PostgreSQL server, cluster node',
      server: true,
      env: () => ({ CLUSTER_MODE: 'on', CLUSTER_NODE_NAME: 'idle-1' }),
    },
  );
}

const main = async () => {
  const results = [];
  for (const layout of layouts) {
    const scratch = await mkdtemp(join(tmpdir(), 'lab-idle-bench-'));
    const database = layout.server ? `lab_idle_bench_${randomUUID().replace(/-/g, '').slice(0, 12)}` : null;
    let backend;
    try {
      const env = layout.env(scratch);
      if (database) {
        await withClient(SERVER_URL, (client) => client.query(`CREATE DATABASE ${database}`));
        const url = new URL(SERVER_URL);
        url.pathname = `/${database}`;
        env.DATABASE_URL = url.toString();
      }
      backend = await startBackend(env, scratch);
      results.push({ layout: layout.label, ...(await idleShare(backend, database)) });
    } finally {
      await backend?.stop();
      if (database) await withClient(SERVER_URL, (client) => client.query(`DROP DATABASE IF EXISTS ${database}`));
      await rm(scratch, { recursive: true, force: true });
    }
  }
  console.log(`idle CPU over ${SECONDS} s after ${SETTLE_SECONDS} s of settling (share of one core; target < 1 %)`);
  console.log('| layout | backend process | its PostgreSQL backends |');
  console.log('| --- | --- | --- |');
  for (const each of results) {
    console.log(
      `| ${each.layout} | ${each.nodePercent} % | ${each.serverPercent === null ? '—' : `${each.serverPercent} %`} |`,
    );
  }
  console.log(JSON.stringify({ benchmark: 'idle-cpu', seconds: SECONDS, results }));
};

await main();
