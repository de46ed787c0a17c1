/**
 * Issue 13.6: one change feed for every live stream, and caps on open
 * streams. Many streams cost one lag computation a second, not one each;
 * beyond the per-client cap a new stream gets 429, beyond the global cap
 * 503, both with a message naming the cap and a Retry-After; closing a
 * stream frees its place. Loopback addresses 127.0.0.x stand for clients.
 */
import { request, type ClientRequest, type IncomingMessage } from 'node:http';
import { postJson, startTestApp, type RunningApp } from '../app-harness';

interface Opened {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  /** The body so far (the whole error body for a refusal). */
  body(): string;
  close(): void;
}

/** Opens /api/events/stream from `localAddress` and resolves once the status line is in. */
const openStream = (app: RunningApp, localAddress: string): Promise<Opened> =>
  new Promise((resolve, reject) => {
    const url = new URL('/api/events/stream', app.baseUrl);
    let outgoing: ClientRequest | null = null;
    outgoing = request(
      { host: url.hostname, port: url.port, path: url.pathname, localAddress, agent: false },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('error', () => undefined);
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: () => body,
          close: () => outgoing?.destroy(),
        });
      },
    );
    outgoing.on('error', reject);
    outgoing.end();
  });

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('live streams share one feed and are capped', () => {
  let app: RunningApp;
  const opened: Opened[] = [];

  beforeAll(async () => {
    app = await startTestApp({ SSE_MAX_STREAMS: '30', SSE_MAX_STREAMS_PER_CLIENT: '25' });
  });
  afterEach(() => {
    for (const stream of opened.splice(0)) stream.close();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('25 streams cost one lag computation a second, and each still gets every change', async () => {
    const headPosition = jest.spyOn(app.store, 'headPosition');
    for (let index = 0; index < 25; index += 1) opened.push(await openStream(app, '127.0.0.1'));
    expect(opened.map((stream) => stream.status)).toEqual(Array(25).fill(200));
    headPosition.mockClear();
    await sleep(2100);
    const lagQueries = headPosition.mock.calls.length;
    const created = await postJson(app.baseUrl, '/api/reservations', {
      seat_id: 4,
      customer_name: 'Fan',
      server_id: 'server-1',
    });
    const attemptId = ((await created.json()) as { id: string }).id;
    await sleep(500);
    headPosition.mockRestore();
    // Two or three ticks (plus one after the batch), whatever the number of streams: 25 streams polling would be ≥ 50.
    expect(lagQueries).toBeLessThanOrEqual(5);
    for (const stream of opened) {
      expect(stream.body()).toContain('event: lag');
      expect(stream.body()).toContain(attemptId);
    }
  });

  it('refuses a stream beyond the per-client cap with 429 and beyond the global cap with 503', async () => {
    for (let index = 0; index < 25; index += 1) opened.push(await openStream(app, '127.0.0.2'));
    const overClientCap = await openStream(app, '127.0.0.2');
    expect(overClientCap.status).toBe(429);
    expect(overClientCap.headers['retry-after']).toBe('5');
    await sleep(100);
    expect(JSON.parse(overClientCap.body())).toMatchObject({
      statusCode: 429,
      message: expect.stringMatching(/SSE_MAX_STREAMS_PER_CLIENT=25/),
    });

    for (let index = 0; index < 5; index += 1) opened.push(await openStream(app, '127.0.0.3'));
    const overGlobalCap = await openStream(app, '127.0.0.4');
    expect(overGlobalCap.status).toBe(503);
    expect(overGlobalCap.headers['retry-after']).toBe('5');
    await sleep(100);
    expect(JSON.parse(overGlobalCap.body())).toMatchObject({
      statusCode: 503,
      message: expect.stringMatching(/SSE_MAX_STREAMS=30/),
    });

    // Closing a stream frees its place.
    opened.shift()!.close();
    await sleep(200);
    const again = await openStream(app, '127.0.0.4');
    opened.push(again);
    expect(again.status).toBe(200);
  });
});
