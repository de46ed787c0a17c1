/**
 * Issue 11, items 5 and 7.
 * Item 5: reconfiguring a drifting clock (delays only, jitter only, the drift itself) must be
 * continuous: the true offset read just before and just after the PUT differs by the drift over
 * the interval, not by the drift accumulated since the clock was last configured.
 * Item 7: a requested step (a PUT with `offset_ms`) is not known to the estimate: attempts stamped
 * before the next sync break their bound; that sync reports the step and marks them out of bound.
 */
import { OracleSession } from './oracle-session';
import { sleep, type Attempt, type ClockSettings, type SyncResult } from './lab-client';

const DRIFT_PPM = 1000;

describe('oracle: a drifting clock reconfigured, and a requested step', () => {
  const session = new OracleSession({ windowMs: 1000, graceMs: 200 });
  const jumps: { change: string; jumpMs: number; expectedMs: number; boundMs: number }[] = [];
  let driftingAttempt: Attempt;
  let resync: SyncResult;
  let stepSync: SyncResult;
  const stepped: { before: Attempt[]; after: Attempt[] } = { before: [], after: [] };

  /** The true offset (server − reference) just before and just after one PUT. */
  const reconfigure = async (change: string, settings: ClockSettings, driftPpm: number) => {
    const before = await session.client.status('server-1');
    await session.client.setClock('server-1', settings);
    const after = await session.client.status('server-1');
    jumps.push({
      change,
      jumpMs: after.true_offset_ms - before.true_offset_ms,
      expectedMs: (driftPpm * (after.reference_time_ms - before.reference_time_ms)) / 1e6,
      boundMs: after.error_bound_ms ?? Infinity,
    });
  };

  beforeAll(async () => {
    await session.start();
    const flat = { offset_ms: 0, drift_ppm: 0, jitter_ms: 0, outbound_delay_ms: 1, inbound_delay_ms: 1 };
    await session.client.setClock('server-1', {
      ...flat,
      drift_ppm: DRIFT_PPM,
      outbound_delay_ms: 20,
      inbound_delay_ms: 20,
    });
    await session.client.setClock('server-3', flat);
    await session.client.setClock('server-4', flat);
    for (const server of ['server-1', 'server-3', 'server-4']) await session.sync(server);

    await sleep(3000);
    await reconfigure('delays only, 3 s after the sync', { outbound_delay_ms: 21, inbound_delay_ms: 21 }, DRIFT_PPM);
    await sleep(2000);
    await reconfigure('jitter only, 5 s after the sync', { jitter_ms: 0.05 }, DRIFT_PPM);
    await reconfigure('the drift itself (1000 → 0 ppm)', { drift_ppm: 0 }, DRIFT_PPM);
    driftingAttempt = await session.reserve(1, 'drifting', 'server-1');
    resync = await session.sync('server-1');

    // A requested step: server-3 jumps 400 ms ahead; its estimate does not know.
    await session.client.setClock('server-3', { offset_ms: 400 });
    for (const seat of [2, 3]) {
      stepped.before.push(await session.reserve(seat, `stepped-${seat}`, 'server-3'));
      await session.reserve(seat, `steady-${seat}`, 'server-4');
    }
    stepSync = await session.sync('server-3');
    stepped.after.push(await session.reserve(4, 'stepped-after-sync', 'server-3'));
    await session.reserve(4, 'steady-after-sync', 'server-4');
    await session.check('drift reconfigured, step requested');
  }, 120_000);

  afterAll(async () => {
    for (const jump of jumps)
      console.log(
        `[oracle] reconfigure ${jump.change}: true offset moved ${jump.jumpMs.toFixed(4)} ms ` +
          `(drift alone ${jump.expectedMs.toFixed(4)} ms, bound ${jump.boundMs.toFixed(3)} ms)`,
      );
    for (const line of session.summaryLines()) console.log(line);
    await session.stop();
  });

  it('keeps the clock continuous across every reconfiguration (no step, let alone one past the bound)', () => {
    expect(jumps).toHaveLength(3);
    for (const jump of jumps) {
      expect({ change: jump.change, off: Math.abs(jump.jumpMs - jump.expectedMs) < 0.2 }).toEqual({
        change: jump.change,
        off: true,
      });
      expect(Math.abs(jump.jumpMs)).toBeLessThan(jump.boundMs);
    }
  });

  it('keeps the drifting server within its bound, and its next sync finds no step', () => {
    const timeline = session.reports[0]!.timelines.get(1)!;
    expect(timeline.attempts.find((a) => a.attempt_id === driftingAttempt.id)?.bound_violated).toBe(false);
    expect(resync.step_detected_ms).toBeNull();
  });

  it('detects the requested step at the next sync and marks the attempts stamped before it out of bound', () => {
    expect(stepSync.step_detected_ms).not.toBeNull();
    expect(Math.abs(stepSync.step_detected_ms! - 400)).toBeLessThan(5);
    const attempts = [...session.reports[0]!.timelines.values()].flatMap((t) => t.attempts);
    for (const a of stepped.before) {
      const stamped = attempts.find((x) => x.attempt_id === a.id)!;
      expect(stamped).toMatchObject({ bound_violated: true, out_of_bound: true });
    }
    for (const a of stepped.after) {
      const stamped = attempts.find((x) => x.attempt_id === a.id)!;
      expect(stamped).toMatchObject({ bound_violated: false, out_of_bound: false });
    }
  });

  it('explains every wrong holder the step caused by a bound violation', () => {
    for (const seat of [2, 3]) {
      const verdict = session.reports[0]!.timelines.get(seat)!.holder_verdict;
      expect(['correct', 'bound_violation']).toContain(verdict);
    }
    expect(session.reports[0]!.unexplained).toBe(0);
  });

  it('agrees with the oracle on every seat and figure', () => {
    expect(session.reports[0]!.disagreements).toEqual([]);
  });
});
