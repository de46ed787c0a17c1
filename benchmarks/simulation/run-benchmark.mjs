#!/usr/bin/env node
// Seeded scenario runs at scale, against the real backend process on the embedded store (PGlite in memory):
//   1. one seeded run of 100,000 attempts: wall time, attempts/s, the backend's peak RSS;
//   2. a sweep of 31 skew values × 10,000 attempts: total time.
// Usage: npm run build -w backend && node benchmarks/simulation/run-benchmark.mjs [--backend dist/backend/main.js] [--quick]
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const args = process.argv.slice(2);
const backendEntry = resolve(args.includes('--backend') ? args[args.indexOf('--backend') + 1] : 'dist/backend/main.js');
const quick = args.includes('--quick');
const PORT = 8000 + Math.floor(Math.random() * 900) + 100;
const api = `http://127.0.0.1:${PORT}`;
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

const peakRssMb = (pid) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
};

// Seeded runs are the operator's: the backend below is started with this password, and signs us in.
const OPERATOR_PASSWORD = randomBytes(16).toString('hex');
let operatorToken;

const request = async (method, path, body) => {
  const response = await fetch(`${api}${path}`, {
    method,
    headers: {
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...(operatorToken ? { authorization: `Bearer ${operatorToken}` } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
};

const runToEnd = async (body) => {
  const started = await request('POST', '/api/simulation/runs', body);
  for (;;) {
    const run = await request('GET', `/api/simulation/runs/${started.id}`);
    if (run.status === 'completed') return run;
    if (run.status !== 'running' && run.status !== 'queued')
      throw new Error(`run ${run.id} ${run.status}: ${run.error}`);
    await sleep(100);
  }
};

const backend = spawn(process.execPath, [backendEntry], {
  env: {
    ...process.env,
    PORT: String(PORT),
    HOST: '127.0.0.1',
    PGLITE_DATA_DIR: ':memory:',
    LOG_LEVEL: 'warn',
    NTP_SERVER: '127.0.0.1:9',
    NTP_TIMEOUT_MS: '200',
    OPERATOR_PASSWORD,
    SECRET_KEY: randomBytes(32).toString('hex'),
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});
try {
  for (let tries = 0; ; tries += 1) {
    try {
      await request('GET', '/health');
      break;
    } catch (error) {
      if (tries > 480) throw error; // two minutes: PGlite's first start is slow on a loaded machine
      await sleep(250);
    }
  }
  operatorToken = (await request('POST', '/api/auth/token', { username: 'operator', password: OPERATOR_PASSWORD }))
    .access_token;
  const seats = quick ? 2_000 : 20_000;
  const started = Date.now();
  const big = await runToEnd({ scenario: 'major_drift', seed: 2025, seats, attempts_per_seat: 5, spread_ms: 1000 });
  const bigMs = Date.now() - started;
  const attempts = big.report.attempts;
  const bigRun = {
    attempts,
    wall_ms: bigMs,
    attempts_per_s: Math.round((attempts * 1000) / bigMs),
    append_ms: big.append_ms,
    projection_ms: big.projection_ms,
    backend_peak_rss_mb: peakRssMb(backend.pid),
    inversions: big.report.conflicts.inversion,
    read_model_matches_run: big.report.read_model_matches_run,
  };
  console.log(
    `seeded run: ${attempts} attempts in ${(bigMs / 1000).toFixed(1)} s (${bigRun.attempts_per_s} attempts/s; append ${big.append_ms} ms, projection ${big.projection_ms} ms), backend peak RSS ${bigRun.backend_peak_rss_mb} MB`,
  );

  const values = quick ? 5 : 31;
  const perRun = quick ? 2_000 : 10_000;
  const sweepStarted = Date.now();
  for (let index = 0; index < values; index += 1) {
    const skewMs = (30_000 * index) / (values - 1);
    const overrides = Object.fromEntries(
      [0, 1, 2, 3, 4].map((server) => [`server-${server + 1}`, { offset_ms: -skewMs / 2 + (skewMs * server) / 4 }]),
    );
    await runToEnd({
      scenario: 'synchronized',
      seed: 42,
      seats: perRun / 5,
      attempts_per_seat: 5,
      spread_ms: 1000,
      overrides,
    });
  }
  const sweepMs = Date.now() - sweepStarted;
  console.log(
    `sweep: ${values} skew values × ${perRun} attempts in ${(sweepMs / 1000).toFixed(1)} s (${Math.round((values * perRun * 1000) / sweepMs)} attempts/s)`,
  );
  console.log(
    JSON.stringify({
      seeded_run: bigRun,
      sweep: { values, attempts_per_run: perRun, total_ms: sweepMs },
      backend_peak_rss_mb: peakRssMb(backend.pid),
    }),
  );
} finally {
  backend.kill('SIGTERM');
}
