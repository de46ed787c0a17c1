import { Logger } from '@nestjs/common';
import { postJson, readWholeLog, startTestApp, type RunningApp } from '../app-harness';

interface Offsets {
  server_id: string;
  offset_ms: number;
  jitter_ms: number;
}

const getJson = async <T>(running: RunningApp, path: string): Promise<T> => {
  const response = await fetch(`${running.baseUrl}${path}`);
  expect(response.status).toBe(200);
  return (await response.json()) as T;
};

const until = async <T>(probe: () => Promise<T | undefined>, timeoutMs = 8000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

/**
 * The lab's main story, end to end over HTTP: apply extreme drift, watch the
 * skew hand a seat to the wrong customer, and NTP-corrected order resolve it.
 * Run once per event store (the store is chosen by the settings given).
 */
export const describeDriftInversionFlow = (
  storeName: string,
  storeSettings: () => Promise<{ settings: Record<string, string>; dispose(): Promise<void> }>,
) =>
  describe(`extreme drift on ${storeName}: skew flips the order, NTP puts it right`, () => {
    let running: RunningApp;
    let store: { dispose(): Promise<void> } | undefined;
    const warnings: string[] = [];

    beforeAll(async () => {
      const chosen = await storeSettings();
      store = chosen;
      jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => {
        warnings.push(String(message));
      });
      running = await startTestApp({ MAX_SEATS: '50', CONFLICT_WINDOW_MS: '2500', ...chosen.settings });
      const applied = await postJson(
        running.baseUrl,
        '/api/simulation/scenarios/extreme_drift/apply?seed=7',
        {},
        running.operatorHeaders,
      );
      expect(applied.status).toBe(200);
      for (let server = 1; server <= 5; server += 1) {
        const sync = await fetch(`${running.baseUrl}/api/time/sync?server_id=server-${server}`, {
          method: 'POST',
          headers: running.operatorHeaders,
        });
        expect([200, 409]).toContain(sync.status);
      }
    });
    afterAll(async () => {
      await running?.close();
      await store?.dispose();
      jest.restoreAllMocks();
    });

    it('extreme_drift gives every server more than 15 s of offset', async () => {
      const offsets = await getJson<Offsets[]>(running, '/api/simulation/offsets');
      expect(offsets).toHaveLength(5);
      for (const server of offsets) expect(Math.abs(server.offset_ms)).toBeGreaterThan(15_000);
    });

    it("stamps an attempt with the server's skewed time, and corrects it to within the error bound", async () => {
      const offsets = await getJson<Offsets[]>(running, '/api/simulation/offsets');
      const server1 = offsets.find((server) => server.server_id === 'server-1')!;
      const response = await postJson(running.baseUrl, '/api/reservations', {
        seat_id: 40,
        customer_name: 'Stamp',
        server_id: 'server-1',
      });
      expect(response.status).toBe(201);
      const { id } = (await response.json()) as { id: string };
      const event = (await readWholeLog(running.store)).find((e) => e.data['attemptId'] === id)!;
      const clock = event.data['clock'] as Record<string, number>;
      const skew = clock['serverTimeMs']! - clock['referenceTimeMs']!;
      // Drift over a few seconds adds microseconds; jitter adds at most jitter_ms.
      expect(Math.abs(skew - server1.offset_ms)).toBeLessThanOrEqual(server1.jitter_ms + 1);
      expect(Math.abs(clock['ntpCorrectedTimeMs']! - clock['referenceTimeMs']!)).toBeLessThanOrEqual(
        clock['errorBoundMs']!,
      );
      expect(typeof event.data['clock']).toBe('object');
      expect(String((event.data['clock'] as Record<string, unknown>)['hlc'])).toMatch(/server-1$/);
    });

    it('two customers a second apart in the wrong direction: an inversion, resolved for the earlier one', async () => {
      const offsets = await getJson<Offsets[]>(running, '/api/simulation/offsets');
      const byOffset = [...offsets].sort((a, b) => a.offset_ms - b.offset_ms);
      const behind = byOffset[0]!;
      const ahead = byOffset[byOffset.length - 1]!;
      // Ana is first in truth but her server is far ahead; Bob comes a second later on a server far behind.
      const ana = await postJson(running.baseUrl, '/api/reservations', {
        seat_id: 7,
        customer_name: 'Ana',
        server_id: ahead.server_id,
      });
      expect(ana.status).toBe(201);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const bob = await postJson(running.baseUrl, '/api/reservations', {
        seat_id: 7,
        customer_name: 'Bob',
        server_id: behind.server_id,
      });
      expect(bob.status).toBe(201);

      const conflicts = await until(async () => {
        const list = await getJson<{ items: { seat_id: number; kinds: string[]; witness: Record<string, never> }[] }>(
          running,
          '/api/conflicts?kind=inversion&seat_id=7',
        );
        return list.items[0];
      });
      const witness = conflicts.witness as unknown as {
        winners: Record<string, { customer_name: string }>;
        authoritative: { customer_name: string; decided_by: string };
        attempts: unknown[];
      };
      expect(witness.winners['server_clock']!.customer_name).toBe('Bob');
      expect(witness.winners['ntp_corrected']!.customer_name).toBe('Ana');
      expect(witness.winners['truth']!.customer_name).toBe('Ana');
      // Bob's server read Ana's attempt from the log before Bob came: its hybrid logical clock orders them right.
      expect(witness.winners['hlc']!.customer_name).toBe('Ana');
      expect(witness.attempts).toHaveLength(2);

      const seat = await until(async () => {
        const value = await getJson<{ is_available: boolean; reservation: { customer_name: string } | null }>(
          running,
          '/api/seats/7',
        );
        return value.is_available ? undefined : value;
      });
      expect(seat.reservation!.customer_name).toBe('Ana');
      expect(warnings.some((line) => line.startsWith('CONFLICT DETECTED: seat 7') && line.includes('inversion'))).toBe(
        true,
      );

      const timeline = await getJson<{ orderings: Record<string, string[]>; holder_attempt_id: string }>(
        running,
        '/api/seats/7/timeline',
      );
      expect(timeline.orderings['server_clock']![0]).not.toBe(timeline.orderings['ntp_corrected']![0]);
      const stats = await getJson<{ conflicts: { inversion: number }; accuracy: Record<string, number> }>(
        running,
        '/api/stats',
      );
      expect(stats.conflicts.inversion).toBeGreaterThanOrEqual(1);
      expect(stats.accuracy['ntp_corrected']).toBe(1);
      expect(stats.accuracy['server_clock']).toBeLessThan(1);
    });

    it('time status answers with the reference unsynced (no NTP server here) and the server synced', async () => {
      const status = await getJson<Record<string, unknown>>(running, '/api/time/status?server_id=server-1');
      expect(status).toMatchObject({ server_id: 'server-1', is_synchronized: true });
      expect(status['ntp_source']).toMatchObject({ synchronized: false });
      expect(String((status['ntp_source'] as { reason: string }).reason)).toMatch(/127\.0\.0\.1:9/);
      const unknown = await fetch(`${running.baseUrl}/api/time/status?server_id=server-99`);
      expect(unknown.status).toBe(404);
      expect(((await unknown.json()) as { message: string }).message).toMatch(/server-99/);
    });

    it('a replay rebuilds the same read model and reports progress', async () => {
      const before = await getJson<unknown>(running, '/api/conflicts?limit=500');
      const started = await postJson(running.baseUrl, '/api/replay', {}, running.operatorHeaders);
      expect(started.status).toBe(202);
      const { id } = (await started.json()) as { id: string };
      const done = await until(async () => {
        const job = await getJson<{ status: string; progress: number; processed_events: number }>(
          running,
          `/api/replay/${id}`,
        );
        return job.status === 'running' ? undefined : job;
      }, 20_000);
      expect(done).toMatchObject({ status: 'completed', progress: 1 });
      expect(done.processed_events).toBeGreaterThan(0);
      expect(await getJson<unknown>(running, '/api/conflicts?limit=500')).toEqual(before);
    });
  });
