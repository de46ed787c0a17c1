/**
 * The HTTP edge as a browser or an attacker meets it: security headers on the
 * console and the API, JSON-only writes (415, nothing appended), CORS closed
 * unless configured, rate limits with Retry-After, and cache headers and
 * compression for the console's hashed assets.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { postJson, readWholeLog, startTestApp, TEST_OPERATOR_PASSWORD, type RunningApp } from './app-harness';

const HASHED_BUNDLE = 'main-3KX7Q2ZB.js';

/** A stand-in for dist/frontend: an index.html and one hashed bundle big enough to be compressed. */
const fakeConsole = (): string => {
  const directory = mkdtempSync(join(tmpdir(), 'ntp-lab-console-'));
  mkdirSync(directory, { recursive: true });
  writeFileSync(
    join(directory, 'index.html'),
    `<!doctype html><html><body><script src="${HASHED_BUNDLE}"></script></body></html>`,
  );
  writeFileSync(join(directory, HASHED_BUNDLE), `console.log(${JSON.stringify('x'.repeat(20_000))});`);
  return directory;
};

const signIn = (running: RunningApp, password: string, forwardedFor?: string) =>
  postJson(
    running.baseUrl,
    '/api/auth/token',
    { username: 'operator', password },
    forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
  );

describe('the HTTP edge', () => {
  let running: RunningApp;
  const consoleDirectory = fakeConsole();

  // A relative CONSOLE_DIR is resolved against the working directory (issue 13.9: it used to abort start-up).
  beforeAll(async () => {
    running = await startTestApp({ CONSOLE_DIR: relative(process.cwd(), consoleDirectory), MAX_SEATS: '20' });
  });
  afterAll(() => running?.close());

  describe.each(['/', '/api/seats', '/api/nope', '/health'])('headers on %s', (path) => {
    it('CSP with frame-ancestors none and no inline script, nosniff, a referrer policy', async () => {
      const response = await fetch(running.baseUrl + path);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toMatch(/script-src 'self'(;|$)/);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
      expect(response.headers.get('x-powered-by')).toBeNull();
    });
  });

  it('serves the console: index.html revalidated, hashed bundles cached for a year and compressed', async () => {
    const index = await fetch(`${running.baseUrl}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const deepLink = await fetch(`${running.baseUrl}/seats/3`);
    expect(deepLink.headers.get('cache-control')).toBe('no-cache');
    const bundle = await fetch(`${running.baseUrl}/${HASHED_BUNDLE}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(bundle.headers.get('content-encoding')).toBe('gzip');
    expect((await bundle.text()).length).toBeGreaterThan(20_000); // fetch decompressed it: the content is intact
  });

  it('compresses API answers above 1 KiB for clients that accept it', async () => {
    const response = await fetch(`${running.baseUrl}/docs-json`, { headers: { 'accept-encoding': 'br' } });
    expect(response.headers.get('content-encoding')).toBe('br');
    expect(((await response.json()) as { openapi: string }).openapi).toMatch(/^3/);
  });

  describe('writes take JSON only', () => {
    const attempt = { seat_id: 4, customer_name: 'mallory', server_id: 'server-1' };

    it.each([
      ['application/x-www-form-urlencoded', 'seat_id=4&customer_name=mallory&server_id=server-1'],
      [
        'multipart/form-data; boundary=x',
        '--x\r\nContent-Disposition: form-data; name="seat_id"\r\n\r\n4\r\n--x--\r\n',
      ],
      ['text/plain', JSON.stringify(attempt)],
      ['application/json-patch+json', JSON.stringify(attempt)],
    ])('%s → 415 naming the header, nothing appended', async (contentType, body) => {
      const before = (await readWholeLog(running.store)).length;
      const response = await fetch(`${running.baseUrl}/api/reservations`, {
        method: 'POST',
        headers: { 'content-type': contentType },
        body,
      });
      expect(response.status).toBe(415);
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(((await response.json()) as { message: string }).message).toContain('application/json');
      expect((await readWholeLog(running.store)).length).toBe(before);
    });

    it('a form post to an operator route is refused before the token is even looked at, clocks unchanged', async () => {
      const offsets = await (await fetch(`${running.baseUrl}/api/simulation/offsets`)).text();
      const response = await fetch(`${running.baseUrl}/api/simulation/scenarios/extreme_drift/apply`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...running.operatorHeaders },
        body: 'seed=1',
      });
      expect(response.status).toBe(415);
      expect(await (await fetch(`${running.baseUrl}/api/simulation/offsets`)).text()).toBe(offsets);
    });

    it('a body without a content-type → 415; a bodiless POST and JSON with a charset pass', async () => {
      const unlabelled = await fetch(`${running.baseUrl}/api/reservations`, {
        method: 'POST',
        body: new Uint8Array(Buffer.from(JSON.stringify(attempt))),
      });
      expect(unlabelled.status).toBe(415);
      const bodiless = await fetch(`${running.baseUrl}/api/time/sync?server_id=server-1`, {
        method: 'POST',
        headers: running.operatorHeaders,
      });
      expect(bodiless.status).toBe(200);
      const withCharset = await fetch(`${running.baseUrl}/api/reservations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(attempt),
      });
      expect(withCharset.status).toBe(201);
    });
  });

  it('CORS stays closed without CORS_ORIGINS: no allow-origin header, even on a preflight', async () => {
    const simple = await fetch(`${running.baseUrl}/api/seats`, { headers: { origin: 'https://evil.example' } });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${running.baseUrl}/api/reservations`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('the token endpoint never lets its answer be cached', async () => {
    const response = await signIn(running, TEST_OPERATOR_PASSWORD);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({
      access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/) as string,
      token_type: 'bearer',
      expires_in: 30 * 60,
      role: 'operator',
    });
  });
});

describe('the edge with its limits configured low', () => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startTestApp({
      WRITE_RATE_LIMIT_PER_MINUTE: '7',
      LOGIN_MAX_FAILURES: '3',
      LOGIN_WINDOW_S: '600',
      CORS_ORIGINS: 'https://lab.example.org',
    });
  });
  afterAll(() => running?.close());

  it('a wrong password → 401; after LOGIN_MAX_FAILURES wrong ones even the right one → 429 with Retry-After', async () => {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect((await signIn(running, 'guess')).status).toBe(401);
    }
    const locked = await signIn(running, TEST_OPERATOR_PASSWORD);
    expect(locked.status).toBe(429);
    const retryAfterS = Number(locked.headers.get('retry-after'));
    expect(retryAfterS).toBeGreaterThan(500);
    expect(retryAfterS).toBeLessThanOrEqual(600);
    // Without TRUST_PROXY a client cannot pick another address to get past the lock.
    expect((await signIn(running, TEST_OPERATOR_PASSWORD, '203.0.113.9')).status).toBe(429);
  });

  it('writes beyond WRITE_RATE_LIMIT_PER_MINUTE → 429 with Retry-After; reads still answer', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 4; attempt += 1) {
      const response = await postJson(running.baseUrl, '/api/reservations', {
        seat_id: attempt + 1,
        customer_name: `ana-${attempt}`,
        server_id: 'server-1',
      });
      statuses.push(response.status);
      if (response.status === 429) {
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
        // The security headers come first, so a refusal carries them too.
        expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
        expect(((await response.json()) as { statusCode: number }).statusCode).toBe(429);
      }
    }
    // The harness's sign-in and the five of the test above were writes too: 7 allowed in all, then 429.
    expect(statuses).toEqual([201, 429, 429, 429]);
    expect((await fetch(`${running.baseUrl}/api/seats`)).status).toBe(200);
  });

  it('CORS_ORIGINS opens the API to the listed origin only', async () => {
    const allowed = await fetch(`${running.baseUrl}/api/seats`, { headers: { origin: 'https://lab.example.org' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://lab.example.org');
    const other = await fetch(`${running.baseUrl}/api/seats`, { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('the edge behind one proxy it trusts (TRUST_PROXY=1, as the production compose file)', () => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startTestApp({ TRUST_PROXY: '1', LOGIN_MAX_FAILURES: '2', LOGIN_WINDOW_S: '600' });
  });
  afterAll(() => running?.close());

  it("counts login failures per client named by the proxy: one client's lock is not everyone's", async () => {
    const [mallory, alice] = ['203.0.113.7', '198.51.100.4'];
    for (let attempt = 0; attempt < 2; attempt += 1) {
      expect((await signIn(running, 'guess', mallory)).status).toBe(401);
    }
    expect((await signIn(running, TEST_OPERATOR_PASSWORD, mallory)).status).toBe(429);
    expect((await signIn(running, TEST_OPERATOR_PASSWORD, alice)).status).toBe(200);
    // The client is the proxy's entry (the last), not what the client wrote in front, private or not.
    expect((await signIn(running, TEST_OPERATOR_PASSWORD, `${alice}, ${mallory}`)).status).toBe(429);
    expect((await signIn(running, 'guess', `${alice}, 10.1.2.3`)).status).toBe(401);
    expect((await signIn(running, 'guess', `${alice}, 10.1.2.3`)).status).toBe(401);
    expect((await signIn(running, TEST_OPERATOR_PASSWORD, `${alice}, 10.1.2.3`)).status).toBe(429);
    expect((await signIn(running, TEST_OPERATOR_PASSWORD, alice)).status).toBe(200);
  });
});
