// One timed start in a checkout (`make dev`, or the built backend alone): from the spawn until GET /health
// answers 200, then stopped by signalling only the process group it was started in (make, the backend, tee,
// pino-pretty).
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../scripts/cluster/free-port.mjs';

const READY_DEADLINE_MS = 15 * 60_000;
const STOP_DEADLINE_MS = 20_000;
const POLL_MS = 50;
/** The line make dev echoes once setup (install check, .env, the builds) is done and the backend starts. */
const BUILDS_DONE_MARKER = 'API and console on http';
const NX_CACHE_LINE = /Cache:\s+(\d+)\/(\d+) hit/;
/** Variables that would point the backend at another store or console, or leak a parent make's state. */
const DROPPED_VARIABLES = [
  'DATABASE_URL',
  'EVENTSTORE_CONNECTION_STRING',
  'CONSOLE_DIR',
  'NODE_ENV',
  'MAKEFLAGS',
  'MFLAGS',
  'MAKELEVEL',
];

const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

const groupAlive = (groupId) => {
  try {
    process.kill(-groupId, 0);
    return true;
  } catch {
    return false;
  }
};

const healthAnswers = async (url) => {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
};

const environmentFor = (port, dataDir) => {
  const env = { ...process.env };
  for (const name of DROPPED_VARIABLES) delete env[name];
  return {
    ...env,
    PORT: String(port),
    HOST: '127.0.0.1',
    PGLITE_DATA_DIR: join(dataDir, 'pglite'),
    SECRETS_DIR: join(dataDir, 'secrets'),
    // No NTP traffic out of the machine: a loopback port nothing answers on, given up on quickly.
    NTP_SERVER: '127.0.0.1:9',
    NTP_TIMEOUT_MS: '200',
  };
};

const stopGroup = async (child) => {
  const exited = new Promise((done) => (child.exitCode !== null ? done() : child.once('exit', done)));
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // the group is gone already
  }
  const deadline = Date.now() + STOP_DEADLINE_MS;
  while (groupAlive(child.pid) && Date.now() < deadline) await sleep(POLL_MS);
  if (groupAlive(child.pid)) process.kill(-child.pid, 'SIGKILL');
  await exited;
  while (groupAlive(child.pid)) await sleep(POLL_MS);
};

/**
 * Runs `command` in `root` until /health answers 200, its store and secrets in `dataDir` (kept between runs,
 * as .data/ is). Returns seconds to healthy, to make dev's builds done (null without that line), and Nx's
 * cache line.
 */
export const timeUntilHealthy = async ({ root, command, dataDir, logPath }) => {
  const port = await freePort();
  const log = createWriteStream(logPath, { flags: 'a' });
  const started = performance.now();
  const child = spawn(command[0], command.slice(1), {
    cwd: root,
    env: environmentFor(port, dataDir),
    detached: true, // its own process group, so stopping it reaches exactly what it started
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let buildsDoneS = null;
  const onOutput = (chunk) => {
    log.write(chunk);
    output += chunk.toString();
    if (buildsDoneS === null && output.includes(BUILDS_DONE_MARKER)) buildsDoneS = (performance.now() - started) / 1000;
  };
  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);
  // Ctrl-C on the benchmark must not leave this make dev running in its own group.
  const interrupted = () => {
    if (groupAlive(child.pid)) process.kill(-child.pid, 'SIGTERM');
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  try {
    const url = `http://127.0.0.1:${port}/health`;
    for (const deadline = Date.now() + READY_DEADLINE_MS; !(await healthAnswers(url)); await sleep(POLL_MS)) {
      if (child.exitCode !== null)
        throw new Error(`${command.join(' ')} exited with ${child.exitCode} before /health answered`);
      if (Date.now() > deadline) throw new Error(`/health did not answer 200 within ${READY_DEADLINE_MS / 1000} s`);
    }
    const healthyS = (performance.now() - started) / 1000;
    const cache = output.match(NX_CACHE_LINE);
    return { healthyS, buildsDoneS, nxCacheHits: cache ? `${cache[1]}/${cache[2]}` : 'none' };
  } catch (error) {
    throw new Error(`${error.message}; its output: ${logPath}\n${output.slice(-2_000)}`);
  } finally {
    process.off('SIGINT', interrupted);
    await stopGroup(child);
    await new Promise((done) => log.end(done));
  }
};
