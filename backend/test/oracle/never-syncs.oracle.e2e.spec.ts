/**
 * Issue 11, item 4: a never-syncing server must be unbounded from the moment it is set, so its
 * attempts are ambiguous (log order decides) and never confidently wrong; after a scenario change
 * (applied without a sync) no old estimate may survive as if fresh.
 *
 * server-2 is set 21.7 s behind and told never to sync: its corrected time is ~20 s early, so by
 * corrected time alone it would beat a customer who truly came before it.
 */
import { OracleSession } from './oracle-session';
import { sleep, type ClockStatus } from './lab-client';
import { UNBOUNDED_MS } from './oracle';

const SERVERS = ['server-1', 'server-2', 'server-3', 'server-4', 'server-5'];

describe('oracle: a never-syncing server, and a scenario applied without a sync', () => {
  const session = new OracleSession({ windowMs: 1000, graceMs: 200 });
  // seat → [first server, second server (or null), pause between them]
  const plan: [number, string, string | null, number][] = [
    [1, 'server-1', 'server-2', 300],
    [2, 'server-1', 'server-2', 0],
    [3, 'server-2', 'server-1', 0],
    [4, 'server-2', 'server-1', 300],
    [5, 'server-1', 'server-2', 1500],
    [6, 'server-2', null, 0],
    [7, 'server-2', 'server-2', 200],
  ];
  let statusRightAfter: Awaited<ReturnType<typeof session.client.status>>;
  let syncRefused: unknown;
  const afterScenario: { bound: number | null; synchronized: boolean; state: string }[] = [];
  const neverSynced: ClockStatus[] = [];

  beforeAll(async () => {
    await session.start();
    await session.client.setClock('server-2', { offset_ms: -21_700, never_syncs: true });
    statusRightAfter = await session.client.status('server-2');
    syncRefused = await session.client.sync('server-2').catch((error: unknown) => error);
    await Promise.all(
      plan.map(async ([seat, first, second, pause], i) => {
        await sleep(i * 50);
        await session.reserve(seat, `first-${seat}`, first);
        if (second === null) return;
        await sleep(pause);
        await session.reserve(seat, `second-${seat}`, second);
      }),
    );
    await session.check('never-syncing server 21.7 s behind');

    // A scenario replaces every clock; without a sync no server has a bound until it syncs again.
    await session.client.applyScenario('major_drift', 7, false);
    for (const server of SERVERS) {
      const status = await session.client.status(server);
      afterScenario.push({
        bound: status.error_bound_ms,
        synchronized: status.is_synchronized,
        state: status.sync_state,
      });
    }
    await Promise.all([
      (async () => {
        await session.reserve(21, 'replaced-a', 'server-3');
        await session.reserve(21, 'replaced-b', 'server-4');
      })(),
      session.reserve(22, 'replaced-alone', 'server-5'),
    ]);
    await session.check('scenario applied without a sync');

    // The never_synced scenario (synced): the server that never reaches NTP has no bound at once.
    await session.client.applyScenario('never_synced', 11, true);
    for (const server of SERVERS) neverSynced.push(await session.client.status(server));
    await Promise.all(SERVERS.map((server) => session.reserve(31, `scenario-${server}`, server)));
    await session.check('never_synced scenario');
  }, 150_000);

  afterAll(async () => {
    for (const line of session.summaryLines()) console.log(line);
    await session.stop();
  });

  it('is unbounded at once: no bound, not synchronised, and a forced sync is refused', () => {
    expect(statusRightAfter.error_bound_ms).toBeNull();
    expect(statusRightAfter.is_synchronized).toBe(false);
    expect(statusRightAfter.sync_state).toBe('never_syncs');
    expect(syncRefused).toMatchObject({ status: 409 });
  });

  it('stamps its attempts unbounded and makes every seat it shares ambiguous, never confidently wrong', () => {
    const report = session.reports[0]!;
    for (const [seat, first, second] of plan) {
      const timeline = report.timelines.get(seat)!;
      for (const a of timeline.attempts.filter((x) => x.server_id === 'server-2')) {
        expect(a.error_bound_ms).toBeGreaterThanOrEqual(UNBOUNDED_MS);
        expect(a.earliest_ms).toBeNull();
        expect(a.bound_violated).toBe(false);
      }
      expect({ seat, verdict: timeline.holder_verdict }).toEqual({
        seat,
        verdict: expect.stringMatching(/^(correct|ambiguous|late_arrival)$/),
      });
      const considered = timeline.attempts.filter((a) => a.role !== 'after_settlement');
      if (second !== null && considered.length > 1) {
        expect({ seat, kinds: timeline.kinds }).toEqual({ seat, kinds: expect.arrayContaining(['ambiguous']) });
        expect(timeline.authoritative?.decided_by).toBe('log_order');
      }
      if (first === 'server-1' && second === 'server-2') expect(timeline.holder_verdict).toBe('correct');
    }
  });

  it('gives the seat to the truly first customer although the never-syncing one looks 20 s earlier', () => {
    const timeline = session.reports[0]!.timelines.get(1)!;
    const late = timeline.attempts.find((a) => a.server_id === 'server-2')!;
    const early = timeline.attempts.find((a) => a.server_id === 'server-1')!;
    expect(late.ntp_corrected_time_ms).toBeLessThan(early.ntp_corrected_time_ms - 15_000);
    expect(timeline.holder_attempt_id).toBe(early.attempt_id);
  });

  it('drops every estimate when a scenario replaces the clocks without a sync', () => {
    for (const status of afterScenario) {
      expect(status.bound).toBeNull();
      expect(status.synchronized).toBe(false);
    }
    const contended = session.reports[1]!.timelines.get(21)!;
    for (const a of contended.attempts) expect(a.error_bound_ms).toBeGreaterThanOrEqual(UNBOUNDED_MS);
    expect(contended.kinds).toEqual(expect.arrayContaining(['contention', 'ambiguous']));
  });

  it('agrees with the oracle on every seat and figure', () => {
    expect(session.reports.flatMap((r) => r.disagreements)).toEqual([]);
  });

  it('applies never_synced so that its server is unbounded at once and its attempt makes the seat ambiguous', () => {
    const never = neverSynced.filter((s) => s.configured.never_syncs);
    expect(never).toHaveLength(1);
    expect(never[0]!.error_bound_ms).toBeNull();
    for (const s of neverSynced.filter((x) => !x.configured.never_syncs)) expect(s.error_bound_ms).not.toBeNull();
    const timeline = session.reports[2]!.timelines.get(31)!;
    const attempt = timeline.attempts.find((a) => a.server_id === never[0]!.server_id)!;
    expect(attempt.error_bound_ms).toBeGreaterThanOrEqual(UNBOUNDED_MS);
    if (attempt.role !== 'after_settlement') expect(timeline.kinds).toContain('ambiguous');
  });
});
