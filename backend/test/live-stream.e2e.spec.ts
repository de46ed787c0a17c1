import { postJson, startTestApp, type RunningApp } from './app-harness';

interface ServerSentEvent {
  event: string;
  data: Record<string, unknown>;
  receivedAt: number;
}

/** A minimal Server-Sent Events reader over fetch (what a browser's EventSource does). */
const listen = (url: string) => {
  const events: ServerSentEvent[] = [];
  const controller = new AbortController();
  const done = (async () => {
    const response = await fetch(url, { signal: controller.signal, headers: { accept: 'text/event-stream' } });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      const { value, done: finished } = await reader.read();
      if (finished) return;
      buffer += decoder.decode(value, { stream: true });
      let boundary: number;
      while ((boundary = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        const event = /^event: ?(.*)$/m.exec(block)?.[1] ?? 'message';
        const data = /^data: ?(.*)$/m.exec(block)?.[1];
        if (data) events.push({ event, data: JSON.parse(data) as Record<string, unknown>, receivedAt: Date.now() });
      }
    }
  })().catch(() => undefined);
  return { events, close: () => controller.abort(), done };
};

describe('live stream (Server-Sent Events)', () => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startTestApp({ CONFLICT_WINDOW_MS: '300' });
  });
  afterAll(async () => {
    await running?.close();
  });

  it("shows a reservation's seat change within one second, and a caught-up marker", async () => {
    const stream = listen(`${running.baseUrl}/api/events/stream`);
    const deadline = Date.now() + 5000;
    while (!stream.events.some((event) => event.event === 'lag') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const lag = stream.events.find((event) => event.event === 'lag');
    expect(lag?.data).toMatchObject({ head_position: expect.any(String), projected_position: expect.any(String) });

    const sentAt = Date.now();
    const response = await postJson(running.baseUrl, '/api/reservations', {
      seat_id: 9,
      customer_name: 'Sia',
      server_id: 'server-4',
    });
    expect(response.status).toBe(201);
    let seatChange: ServerSentEvent | undefined;
    while (!seatChange && Date.now() < sentAt + 1000) {
      seatChange = stream.events.find(
        (event) => event.event === 'change' && event.data['entity'] === 'seat' && event.data['id'] === '9',
      );
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(seatChange).toBeDefined();
    expect(seatChange!.receivedAt - sentAt).toBeLessThan(1000);

    // Settlement (after the 300 ms window) produces a second change, then the stream says it caught up.
    const settledBy = Date.now() + 5000;
    while (Date.now() < settledBy) {
      const caughtUp = stream.events.filter((event) => event.event === 'lag' && event.data['caught_up'] === true);
      const seatChanges = stream.events.filter((event) => event.event === 'change' && event.data['id'] === '9');
      if (caughtUp.length > 0 && seatChanges.length >= 2) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(
      stream.events.filter((event) => event.event === 'change' && event.data['id'] === '9').length,
    ).toBeGreaterThanOrEqual(2);
    stream.close();
    await stream.done;
  });

  it('does not hold a shutdown while a client is still listening', async () => {
    const other = await startTestApp();
    const stream = listen(`${other.baseUrl}/api/events/stream`);
    const deadline = Date.now() + 5000;
    while (stream.events.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stream.events.length).toBeGreaterThan(0);
    const started = Date.now();
    await other.close();
    expect(Date.now() - started).toBeLessThan(5000);
    await stream.done;
  });
});
