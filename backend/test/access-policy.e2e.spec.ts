/**
 * The access policy, checked against the routes the running app registered
 * (not a hand-kept list): every write route is in ACCESS_POLICY, and every
 * operator route refuses each kind of bad token (changing nothing) and
 * accepts the operator's.
 */
import { ACCESS_POLICY, SAFE_METHODS, accessFor, policyKey } from '../src/auth/access-policy';
import { registeredRoutes } from '../src/http/route-registry';
import { TEST_SECRET_KEY, readWholeLog, startTestApp, type RunningApp } from './app-harness';
import { forgeToken } from './token-forge';

/** A valid request for each operator route: path parameters filled in, a body the route accepts. */
const SAMPLE_REQUESTS: Readonly<Record<string, { url: string; body: unknown }>> = {
  'PUT /api/simulation/offsets/:server_id': { url: '/api/simulation/offsets/server-2', body: { offset_ms: 4321 } },
  'POST /api/simulation/scenarios/:name/apply': {
    url: '/api/simulation/scenarios/extreme_drift/apply?seed=5',
    body: {},
  },
  'POST /api/time/sync': { url: '/api/time/sync?server_id=server-1', body: {} },
  'POST /api/replay': { url: '/api/replay', body: {} },
  'POST /api/simulation/runs': {
    url: '/api/simulation/runs',
    body: { scenario: 'minor_drift', seed: 3, seats: 2, attempts_per_seat: 2, spread_ms: 500 },
  },
  'POST /api/lab/reset': { url: '/api/lab/reset', body: {} },
  // An unknown run: the operator gets past the guard to the route's own 404.
  'POST /api/simulation/runs/:id/resume': { url: '/api/simulation/runs/no-such-run/resume', body: {} },
};

describe('access policy over the registered routes (ALGORITHM=HS512)', () => {
  let running: RunningApp;
  let writeRoutes: { method: string; path: string; key: string }[];

  beforeAll(async () => {
    running = await startTestApp({ ALGORITHM: 'HS512', MAX_SEATS: '20' });
    writeRoutes = registeredRoutes(running.app)
      .filter((route) => !SAFE_METHODS.has(route.method))
      .map((route) => ({ ...route, key: policyKey(route.method, route.path) }));
  });
  afterAll(() => running?.close());

  it('found the write routes (the list is read from Fastify, not written here)', () => {
    expect(writeRoutes.map((route) => route.key)).toEqual(
      expect.arrayContaining([
        'POST /api/reservations',
        'PUT /api/simulation/offsets/:server_id',
        'POST /api/auth/token',
      ]),
    );
  });

  it('every write route has an entry in ACCESS_POLICY (a new one must be listed, open or operator)', () => {
    const missing = writeRoutes.filter((route) => !(route.key in ACCESS_POLICY)).map((route) => route.key);
    expect(missing).toEqual([]);
  });

  it('only reserving and signing in are open among the writes', () => {
    const open = writeRoutes.filter((route) => accessFor(route.method, route.path) === 'open').map((r) => r.key);
    expect(open.sort()).toEqual(['POST /api/auth/token', 'POST /api/reservations']);
  });

  it('every operator route has a sample request in this test', () => {
    const operatorRoutes = writeRoutes.filter((route) => accessFor(route.method, route.path) === 'operator');
    expect(operatorRoutes.length).toBeGreaterThanOrEqual(5);
    expect(operatorRoutes.filter((route) => !(route.key in SAMPLE_REQUESTS)).map((route) => route.key)).toEqual([]);
  });

  const badTokens: [string, () => Record<string, string>][] = [
    ['no token', () => ({})],
    ['a malformed header', () => ({ authorization: 'Basic b3BlcmF0b3I6eA==' })],
    ['an expired token', () => bearer(forgeToken({ secret: TEST_SECRET_KEY, alg: 'HS512', expiresInS: -60 }))],
    ['a wrong signature', () => bearer(forgeToken({ secret: 'another-secret-key-0123456789abcdef', alg: 'HS512' }))],
    ['alg: none', () => bearer(forgeToken({ secret: '', alg: 'none' }))],
    ['an HS256 token while HS512 is configured', () => bearer(forgeToken({ secret: TEST_SECRET_KEY, alg: 'HS256' }))],
    ['another issuer', () => bearer(forgeToken({ secret: TEST_SECRET_KEY, alg: 'HS512', issuer: 'elsewhere' }))],
  ];

  const snapshot = async () => ({
    log: (await readWholeLog(running.store)).length,
    offsets: await (await fetch(`${running.baseUrl}/api/simulation/offsets`)).json(),
    runs: await (await fetch(`${running.baseUrl}/api/simulation/runs`)).json(),
  });

  it.each(Object.keys(SAMPLE_REQUESTS))('%s refuses every bad token with 401 and changes nothing', async (key) => {
    const route = writeRoutes.find((candidate) => candidate.key === key);
    if (!route) return; // in the policy ahead of its route (POST /api/lab/reset until it lands)
    const sample = SAMPLE_REQUESTS[key]!;
    const before = await snapshot();
    for (const [label, headers] of badTokens) {
      const response = await send(route.method, sample, headers());
      expect({ label, status: response.status }).toEqual({ label, status: 401 });
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    const otherRole = await send(
      route.method,
      sample,
      bearer(forgeToken({ secret: TEST_SECRET_KEY, alg: 'HS512', role: 'student' })),
    );
    expect(otherRole.status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });

  it.each(Object.keys(SAMPLE_REQUESTS))('%s works with the operator token', async (key) => {
    const route = writeRoutes.find((candidate) => candidate.key === key);
    if (!route) return;
    const response = await send(route.method, SAMPLE_REQUESTS[key]!, running.operatorHeaders);
    // Past the guard: the route answers itself (resume of an unknown run: its own 404 naming the run).
    const passed = response.status < 300 || (key.endsWith('/resume') && response.status === 404);
    expect({ status: response.status, body: passed ? 'ok' : await response.text() }).toEqual({
      status: expect.any(Number) as number,
      body: 'ok',
    });
  });

  it('reading and reserving need no token', async () => {
    for (const path of ['/api/seats', '/api/simulation/offsets', '/api/time/status', '/health', '/api/conflicts']) {
      expect({ path, status: (await fetch(running.baseUrl + path)).status }).toEqual({ path, status: 200 });
    }
    const reserved = await send(
      'POST',
      { url: '/api/reservations', body: { seat_id: 1, customer_name: 'ana', server_id: 'server-1' } },
      {},
    );
    expect(reserved.status).toBe(201);
  });

  it('the OpenAPI document marks exactly the operator routes with the bearer scheme and 401/403', async () => {
    const spec = (await (await fetch(`${running.baseUrl}/docs-json`)).json()) as {
      components: { securitySchemes: Record<string, { scheme: string }> };
      paths: Record<string, Record<string, { security?: unknown[]; responses: Record<string, unknown> }>>;
    };
    expect(spec.components.securitySchemes['operator']?.scheme).toBe('bearer');
    for (const route of writeRoutes) {
      const operation = spec.paths[route.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')]?.[route.method.toLowerCase()];
      if (!operation) continue;
      const isOperator = accessFor(route.method, route.path) === 'operator';
      expect({ route: route.key, secured: operation.security !== undefined }).toEqual({
        route: route.key,
        secured: isOperator,
      });
      if (isOperator) expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['401', '403']));
    }
  });

  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const send = (method: string, sample: { url: string; body: unknown }, headers: Record<string, string>) =>
    fetch(running.baseUrl + sample.url, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(sample.body),
    });
});
