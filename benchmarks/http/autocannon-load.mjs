/**
 * POST /api/reservations load from autocannon in its own process: in the
 * benchmark's thread it would compete with the server for one event loop and
 * understate throughput. (Not a worker thread: autocannon switches to its own
 * multi-worker protocol when it is not on the main thread.) Every POST is a
 * new attempt on a different seat, through one of the given booking servers.
 */
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));
const requireFromBackend = createRequire(join(repositoryRoot, 'backend', 'package.json'));
const runProcess = promisify(execFile);

const LOAD_PROCESS = `
const settings = JSON.parse(process.argv[1]);
const autocannon = require(settings.autocannonPath);
let counter = settings.firstAttempt;
const nextBody = () => {
  counter += 1;
  return JSON.stringify({
    seat_id: ((counter * 7919) % settings.maxSeats) + 1,
    customer_name: 'bench-' + counter,
    server_id: settings.servers[counter % settings.servers.length],
  });
};
autocannon({
  url: settings.url,
  connections: settings.connections,
  duration: settings.seconds,
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  requests: [{ setupRequest: (request) => ({ ...request, body: nextBody() }) }],
}).then(
  (result) => process.stdout.write(JSON.stringify({ ok: true, result })),
  (error) => process.stdout.write(JSON.stringify({ ok: false, message: String(error) })),
);
`;

let loads = 0;

/**
 * Runs one load; `servers` defaults to server-1..5. Returns the 2xx rate,
 * latency percentiles and the count of failures (non-2xx, errors, timeouts).
 */
export const reservationLoad = async ({
  url,
  connections,
  seconds,
  maxSeats,
  servers = ['server-1', 'server-2', 'server-3', 'server-4', 'server-5'],
}) => {
  loads += 1;
  const settings = {
    autocannonPath: requireFromBackend.resolve('autocannon'),
    url,
    connections,
    seconds,
    maxSeats,
    servers,
    firstAttempt: (process.pid % 1000) * 1_000_000_000 + loads * 10_000_000,
  };
  const { stdout } = await runProcess(process.execPath, ['-e', LOAD_PROCESS, JSON.stringify(settings)], {
    timeout: (seconds + 60) * 1000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const message = JSON.parse(stdout);
  if (!message.ok) throw new Error(`autocannon failed: ${message.message}`);
  const { result } = message;
  return {
    reservations: result['2xx'],
    requestsPerSecond: result['2xx'] / seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    failures: result.non2xx + result.errors + result.timeouts,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
};
