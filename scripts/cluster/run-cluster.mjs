#!/usr/bin/env node
// `make cluster`: the lab as a cluster on one machine, no Docker. A
// PostgreSQL server (the cluster's own, or --database-url), N backend nodes
// sharing its log and read model, each hosting some booking servers, and a
// load balancer in front serving the console and the API. Ctrl-C stops it all.
import { BACKEND_MALLOC_ENV, BACKEND_NODE_FLAGS } from '../backend-node-flags.mjs';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { startBalancer } from './balancer.mjs';
import { chronyUnavailable, startLoopbackChrony } from './loopback-chrony.mjs';
import { startPrivatePostgres } from './private-postgres.mjs';

const LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';

const root = resolve(import.meta.dirname, '..', '..');
const log = (message) => console.log(`[cluster] ${message}`);

const positiveInt = (max) => (value) => {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1 || parsed > max) throw new InvalidArgumentError(`an integer 1..${max}`);
  return parsed;
};

const options = new Command('cluster')
  .description('Run the lab as a cluster of backend nodes on one PostgreSQL server')
  .option('--nodes <n>', 'backend nodes', positiveInt(9), 3)
  .option('--servers <n>', 'booking servers, spread over the nodes', positiveInt(50), 5)
  .option('--port <port>', 'load balancer port', positiveInt(65535), 8000)
  .option('--first-node-port <port>', 'node i listens on this + i', positiveInt(65535), 8100)
  .option('--database-url <url>', 'an existing PostgreSQL database instead of the cluster’s own server')
  .option(
    '--faketime <offset>',
    'run the last node on a real clock skewed by libfaketime (e.g. +2.5s), measured against the loopback chrony',
  )
  .option('--no-chrony', 'do not start chrony on loopback (the nodes use NTP_SERVER, or stay unsynced)')
  .parse()
  .opts();

/** server-1..N dealt round-robin: node i hosts servers i, i+nodes, ... */
const hostedBy = (nodeIndex) =>
  Array.from({ length: options.servers }, (_, index) => index)
    .filter((index) => index % options.nodes === nodeIndex)
    .map((index) => `server-${index + 1}`);

const children = [];
let stopping = false;

/** The environment that puts one node on a real, skewed process clock (docs/real-clocks.md). */
const realClockEnvironment = (offset) => ({
  CLOCK_SOURCE: 'real',
  LD_PRELOAD: LIBFAKETIME,
  FAKETIME: offset,
  // Timers run on the monotonic clock: faking it too would stall them.
  FAKETIME_DONT_FAKE_MONOTONIC: '1',
});

const startNode = (index, databaseUrl, extraEnvironment = {}) =>
  new Promise((ready, fail) => {
    const name = `node-${index + 1}`;
    const port = options.firstNodePort + index + 1;
    const url = `http://127.0.0.1:${port}`;
    const hosted = hostedBy(index);
    const child = spawn(process.execPath, [...BACKEND_NODE_FLAGS, join(root, 'dist/backend/main.js')], {
      cwd: root,
      env: {
        ...BACKEND_MALLOC_ENV,
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: databaseUrl,
        CLUSTER_MODE: 'on',
        CLUSTER_NODE_NAME: name,
        CLUSTER_NODE_URL: url,
        BOOKING_SERVERS: String(options.servers),
        BOOKING_SERVERS_HOSTED: hosted.join(','),
        ...extraEnvironment,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const prefix = (chunk) =>
      chunk
        .toString('utf8')
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => `[${name}] ${line}`)
        .join('\n');
    child.stdout.on('data', (chunk) => console.log(prefix(chunk)));
    child.stderr.on('data', (chunk) => console.error(prefix(chunk)));
    child.once('exit', (code, signal) => {
      if (!stopping) log(`${name} exited (${signal ?? `code ${code}`})`);
    });
    const deadline = Date.now() + 120_000;
    const probe = async () => {
      try {
        if ((await fetch(`${url}/health/ready`)).ok) return ready({ name, url, hosted });
      } catch {
        // Not listening yet.
      }
      if (child.exitCode !== null) return fail(new Error(`${name} exited while starting`));
      if (Date.now() > deadline) return fail(new Error(`${name} not ready after 120 s`));
      setTimeout(probe, 250);
    };
    void probe();
  });

const main = async () => {
  const dataRoot = join(root, '.data', 'cluster');
  mkdirSync(dataRoot, { recursive: true });
  const postgres = options.databaseUrl ? null : await startPrivatePostgres(dataRoot, log);
  const databaseUrl = options.databaseUrl ?? postgres.url;
  let chrony = null;
  if (options.chrony) {
    const unavailable = chronyUnavailable();
    if (unavailable) log(`no loopback NTP server: ${unavailable}`);
    else
      chrony = await startLoopbackChrony(dataRoot, log).catch((error) =>
        log(`no loopback NTP server: ${error.message}`),
      );
  }
  if (options.faketime && !chrony) throw new Error('--faketime needs chrony on loopback to measure the skew against');
  if (options.faketime && !existsSync(LIBFAKETIME))
    throw new Error(`--faketime needs ${LIBFAKETIME} (apt-get install faketime)`);
  const ntp = chrony ? { NTP_SERVER: chrony.address, TIME_SYNC_INTERVAL: '10' } : {};
  const environmentOf = (index) =>
    options.faketime && index === options.nodes - 1 ? { ...ntp, ...realClockEnvironment(options.faketime) } : ntp;
  const stopAll = async () => {
    if (stopping) return;
    stopping = true;
    log('stopping');
    await Promise.all(
      children.map(
        (child) =>
          new Promise((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', done);
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
          }),
      ),
    );
    await postgres?.stop();
    await chrony?.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stopAll());
  process.on('SIGTERM', () => void stopAll());
  // The first node alone: it migrates the database and writes the dev secrets the others then share.
  const nodes = [await startNode(0, databaseUrl, environmentOf(0))];
  nodes.push(
    ...(await Promise.all(
      Array.from({ length: options.nodes - 1 }, (_, i) => startNode(i + 1, databaseUrl, environmentOf(i + 1))),
    )),
  );
  if (options.faketime) log(`${nodes.at(-1).name} runs on a real clock ${options.faketime} off (CLOCK_SOURCE=real)`);
  for (const node of nodes) log(`${node.name} on ${node.url} hosting ${node.hosted.join(', ') || 'no booking server'}`);
  await startBalancer({ port: options.port, host: '0.0.0.0', nodes, log });
  log('console and API behind the balancer; Ctrl-C stops every node and the database');
};

main().catch(async (error) => {
  console.error(`[cluster] ${error instanceof Error ? error.message : String(error)}`);
  stopping = true;
  for (const child of children) child.kill('SIGKILL');
  process.exit(1);
});
