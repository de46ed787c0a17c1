import { NtpDisciplinedReferenceClock } from './ntp-disciplined-reference-clock';
import { silent, startFakeNtpServer, type FakeNtpServer } from './testing/fake-ntp-server';

/**
 * Issue 11 point 6: the reference must not jump back to the bare host clock
 * when its NTP server goes silent, nor step when it returns. The server is
 * the FAKE dgram server (a real chrony cannot be told to go silent and come
 * back with another offset); the reference and its client are the real ones.
 */
describe('reference clock holdover (fake NTP server 3.5 s ahead that goes silent, then returns)', () => {
  let server: FakeNtpServer;
  let clock: NtpDisciplinedReferenceClock;
  /** The reference's reading minus the host clock, sampled every few ms for the whole test. */
  const trace: Array<{ readingMs: number; offsetMs: number }> = [];
  let sampler: NodeJS.Timeout;
  const sample = (): void => {
    const readingMs = clock.nowMs();
    trace.push({ readingMs, offsetMs: readingMs - Date.now() });
  };

  beforeAll(async () => {
    server = await startFakeNtpServer({ skewMs: 3500 });
    clock = new NtpDisciplinedReferenceClock({ server: `127.0.0.1:${server.port}`, timeoutMs: 300, samplesPerSync: 2 });
    sample(); // a reading handed out before the first sync, as the app's clocks do at start
    sampler = setInterval(sample, 5);
  });
  afterAll(async () => {
    clearInterval(sampler);
    await server.close();
  });

  it('syncs (the first sync steps forward: no reading is contradicted), holds over, then slews back', async () => {
    const synced = await clock.syncOnce();
    expect(synced).toMatchObject({ state: 'synchronized', synchronized: true, slewRemainingMs: 0 });
    if (synced.state !== 'synchronized') throw new Error('expected a sync');
    expect(Math.abs(synced.offsetMs - 3500)).toBeLessThanOrEqual(5);
    const syncedAtIndex = trace.length;

    server.behave({ skewMs: 3500, shape: silent });
    const holdover = await clock.syncOnce();
    expect(holdover).toMatchObject({
      state: 'holdover',
      synchronized: false,
      reason: `no reply from 127.0.0.1:${server.port} within 300 ms`,
      sources: [expect.objectContaining({ status: 'rejected', reason: 'timeout' })],
    });
    if (holdover.state !== 'holdover') throw new Error('expected holdover');
    expect(holdover.offsetMs).toBeCloseTo(synced.offsetMs, 6);
    expect(holdover.uncertaintyMs).toBeGreaterThan(synced.uncertaintyMs);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(clock.status()).toMatchObject({ state: 'holdover', holdoverForMs: expect.any(Number) });
    const heldIndex = trace.length;

    // It comes back 40 ms further ahead: within max change, so accepted, but slewed in, never stepped.
    server.behave({ skewMs: 3540 });
    const returned = await clock.syncOnce();
    expect(returned).toMatchObject({ state: 'synchronized', maxSlewPpm: 500 });
    expect(returned.slewRemainingMs).toBeGreaterThan(30);
    expect(returned.slewRemainingMs).toBeLessThan(50);
    await new Promise((resolve) => setTimeout(resolve, 50));
    clearInterval(sampler);
    sample();

    // Monotonic across loss and return of sync.
    for (let index = 1; index < trace.length; index += 1) {
      expect((trace[index] as { readingMs: number }).readingMs).toBeGreaterThanOrEqual(
        (trace[index - 1] as { readingMs: number }).readingMs,
      );
    }
    // No jump: from the first sync on, the reading stays 3.5 s ahead of the host clock (± 5 ms), through
    // holdover (never back to the bare host clock, −3.5 s) and after the return (slewing 0.5 ms per second,
    // not stepping the 40 ms).
    for (const { offsetMs } of trace.slice(syncedAtIndex)) expect(Math.abs(offsetMs - 3500)).toBeLessThanOrEqual(5);
    expect(trace.length - heldIndex).toBeGreaterThan(0);
  });
});
