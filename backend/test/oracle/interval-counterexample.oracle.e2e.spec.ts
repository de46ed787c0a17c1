/**
 * Issue 11, item 3: W [−100, 100], Y [9, 11], X [49, 51], X first in the log → X must not win.
 * X's interval lies wholly after Y's, so X cannot be a candidate whatever its log position;
 * W and Y could each be first, so time cannot decide and log order among them picks Y.
 *
 * Built over HTTP, the same geometry scaled by 20 because one reservation takes 200–700 ms here
 * (sequential posts cannot be 10 ms apart): W's server has a 4 s NTP round trip (bound 2 s), Y's
 * and X's 2 ms (bound 1 ms); X's clock is then stepped 1.5 s ahead without a sync (its estimate
 * does not know), and X, Y, W reserve in that order. So W ≈ [−2000, 2000] around its c,
 * Y ≈ [g − 1, g + 1], X ≈ [1499, 1501] from X's true time, with g the 0.2–0.7 s between posts.
 */
import { OracleSession } from './oracle-session';
import type { Timeline } from './lab-client';

describe('oracle: the interval counterexample of issue 11 item 3', () => {
  const session = new OracleSession({ windowMs: 2000, graceMs: 250 });
  const seatId = 3;
  let timeline: Timeline;
  let ids: { w: string; y: string; x: string };

  beforeAll(async () => {
    await session.start();
    const flat = { offset_ms: 0, drift_ppm: 0, jitter_ms: 0 };
    await session.client.setClock('server-1', { ...flat, outbound_delay_ms: 2000, inbound_delay_ms: 2000 });
    await session.client.setClock('server-2', { ...flat, outbound_delay_ms: 1, inbound_delay_ms: 1 });
    await session.client.setClock('server-3', { ...flat, outbound_delay_ms: 1, inbound_delay_ms: 1 });
    for (const server of ['server-1', 'server-2', 'server-3']) await session.sync(server);
    // X's clock steps 1.5 s ahead; its NTP estimate does not know until its next sync.
    await session.client.setClock('server-3', { offset_ms: 1500 });
    const x = await session.reserve(seatId, 'X', 'server-3');
    const y = await session.reserve(seatId, 'Y', 'server-2');
    const w = await session.reserve(seatId, 'W', 'server-1');
    ids = { w: w.id, y: y.id, x: x.id };
    await session.check('item 3 counterexample');
    timeline = session.reports[0]!.timelines.get(seatId)!;
  }, 60_000);

  afterAll(async () => {
    for (const line of session.summaryLines()) console.log(line);
    await session.stop();
  });

  it('sets up the premise: X first in the log, X wholly after Y, W overlapping both', () => {
    const at = (id: string) => timeline.attempts.find((a) => a.attempt_id === id)!;
    const [x, y, w] = [at(ids.x), at(ids.y), at(ids.w)];
    expect(BigInt(x.log_position)).toBeLessThan(BigInt(y.log_position));
    expect(BigInt(y.log_position)).toBeLessThan(BigInt(w.log_position));
    expect(x.ntp_corrected_time_ms - x.error_bound_ms).toBeGreaterThan(y.ntp_corrected_time_ms + y.error_bound_ms);
    expect(w.error_bound_ms).toBeGreaterThanOrEqual(2000);
    expect(w.ntp_corrected_time_ms - w.error_bound_ms).toBeLessThan(y.ntp_corrected_time_ms - y.error_bound_ms);
    expect(w.ntp_corrected_time_ms + w.error_bound_ms).toBeGreaterThan(x.ntp_corrected_time_ms + x.error_bound_ms);
  });

  it('does not give the seat to X: Y and W are the candidates and Y wins by log order', () => {
    expect(timeline.holder_attempt_id).not.toBe(ids.x);
    expect([...timeline.candidates].sort()).toEqual([ids.w, ids.y].sort());
    expect(timeline.holder_attempt_id).toBe(ids.y);
    expect(timeline.authoritative?.decided_by).toBe('log_order');
    expect(timeline.attempts.find((a) => a.attempt_id === ids.x)?.role).toBe('competing');
  });

  it('scores the holder as a bound violation: X was truly first, but its stepped clock broke its bound', () => {
    expect(timeline.attempts.find((a) => a.attempt_id === ids.x)?.bound_violated).toBe(true);
    expect(timeline.holder_verdict).toBe('bound_violation');
  });

  it('agrees with the oracle on every decision, stamp and figure', () => {
    expect(session.reports[0]!.disagreements).toEqual([]);
  });
});
