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
  /**
   * The reference's reading minus the host clock, sampled every few ms for the whole test; the offset only
   * when the host clock read the same millisecond around the reading (a preempted sample proves nothing).
   */
  const trace: Array<{ readingMs: number; offsetMs: number | undefined }> = [];
  let sampler: NodeJS.Timeout;
  const sample = (): void => {
    const hostBeforeMs = Date.now();
    const readingMs = clock.nowMs();
    const hostAfterMs = Date.now();
    trace.push({ readingMs, offsetMs: hostAfterMs === hostBeforeMs ? readingMs - hostBeforeMs : undefined });
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
    // The fake shares our event loop: a loaded machine widens δ, which the uncertainty covers.
    expect(Math.abs(synced.offsetMs - 3500)).toBeLessThanOrEqual(synced.uncertaintyMs + 1);
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
    if (returned.state !== 'synchronized') throw new Error('expected a sync');
    // About +40 ms left to slew (less the measurement's own error), not stepped.
    expect(returned.slewRemainingMs).toBeGreaterThan(40 - returned.uncertaintyMs);
    expect(returned.slewRemainingMs).toBeLessThan(40 + returned.uncertaintyMs);
    expect(returned.offsetMs).toBeCloseTo(synced.offsetMs, 0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    clearInterval(sampler);
    sample();

    // Monotonic across loss and return of sync.
    for (let index = 1; index < trace.length; index += 1) {
      expect((trace[index] as { readingMs: number }).readingMs).toBeGreaterThanOrEqual(
        (trace[index - 1] as { readingMs: number }).readingMs,
      );
    }
    // No jump: from the first sync on, the reading stays at the synced offset from the host clock (within the
    // 1 ms of Date.now()), through holdover (never back to the bare host clock, −3.5 s) and after the return
    // (slewing 0.5 ms per second, not stepping the 40 ms).
    const offsets = trace.slice(syncedAtIndex).flatMap(({ offsetMs }) => (offsetMs === undefined ? [] : [offsetMs]));
    expect(offsets.length).toBeGreaterThan(0);
    for (const offsetMs of offsets) expect(Math.abs(offsetMs - synced.offsetMs)).toBeLessThanOrEqual(1.5);
    expect(trace.length - heldIndex).toBeGreaterThan(0);
  });
});
