import { UNBOUNDED_ERROR_MS } from '../domain/clock-reading';
import { openReadModelFixture, type ReadModelFixture } from '../../testing/read-model-fixture';
import { attempted, clockStepDetected, seatAssigned, T0 } from '../../testing/seat-event-builders';
import { testDatabaseTargets } from '../../testing/test-databases';
import type { ConflictWitness } from './conflict-witness';
import { WITNESS_ATTEMPTS_LIMIT } from './conflict-witness';
import type { WitnessAttempt } from './witness-attempt';

interface SeatRow {
  seat_id: number;
  attempts_count: number;
  conflict_kinds: string[];
  winner_server_clock: string;
  winner_ntp_corrected: string;
  winner_truth: string;
  holder_attempt_id: string | null;
}

describe.each(testDatabaseTargets())('seat projection on $name', (target) => {
  let fixture: ReadModelFixture;

  beforeAll(async () => {
    fixture = await openReadModelFixture(await target.open());
  });
  beforeEach(async () => {
    await fixture.reset();
  });
  afterAll(async () => {
    await fixture?.dispose();
  });

  const given = async (...events: ReturnType<typeof attempted>[]) => {
    for (const event of events) await fixture.append(event.streamId, [event]);
    await fixture.runner.catchUp();
  };
  /** The whole read model of the session, to compare two ways of getting there. */
  const dump = async () =>
    JSON.stringify([
      await fixture.query(`SELECT * FROM rm_seats ORDER BY seat_id`),
      await fixture.query(`SELECT * FROM rm_attempts ORDER BY attempt_id`),
      await fixture.query(`SELECT * FROM rm_conflicts ORDER BY id`),
    ]);
  const seat = async (seatId = 7) =>
    (await fixture.query<SeatRow>(`SELECT * FROM rm_seats WHERE run_id = '' AND seat_id = $1`, [seatId]))[0];
  const conflict = async (seatId = 7) =>
    (
      await fixture.query<{ kinds: string[]; witness: string }>(`SELECT * FROM rm_conflicts WHERE seat_id = $1`, [
        seatId,
      ])
    ).map((row) => ({ ...row, witness: JSON.parse(row.witness) as ConflictWitness }))[0];

  it('one attempt: a seat with one attempt and no conflict', async () => {
    const ana = attempted({ customer: 'Ana', server: 'server-1', atMs: 0 });
    await given(ana);
    expect(await seat()).toMatchObject({ attempts_count: 1, conflict_kinds: [], winner_truth: ana.attemptId });
    expect(await conflict()).toBeUndefined();
  });

  it('a skew that flips the order is an inversion whose witness names both customers', async () => {
    // Ana is first in truth (t=0) on a server 20 s behind; Bob comes 1 s later on a server 10 s ahead.
    const ana = attempted({ customer: 'Ana', server: 'server-1', atMs: 0, offsetMs: 20_000 });
    const bob = attempted({ customer: 'Bob', server: 'server-2', atMs: 1000, offsetMs: -10_000 });
    await given(ana, bob);
    const row = await seat();
    expect(row).toMatchObject({
      attempts_count: 2,
      conflict_kinds: ['contention', 'inversion'],
      winner_server_clock: bob.attemptId,
      winner_ntp_corrected: ana.attemptId,
      winner_truth: ana.attemptId,
    });
    const { witness, kinds } = (await conflict())!;
    expect(kinds).toEqual(['contention', 'inversion']);
    expect(witness.winners.server_clock.customer_name).toBe('Bob');
    expect(witness.winners.ntp_corrected.customer_name).toBe('Ana');
    expect(witness.authoritative).toMatchObject({ customer_name: 'Ana', decided_by: 'ntp_corrected' });
    expect(witness.attempts).toHaveLength(2);
    expect(witness.attempts[0]).toMatchObject({
      customer_name: 'Ana',
      server_time_ms: expect.any(Number),
      error_bound_ms: 1,
    });
    expect(
      fixture.notices.some((line) => line.startsWith('CONFLICT DETECTED: seat 7') && line.includes('inversion')),
    ).toBe(true);
  });

  it('two attempts 3 ms apart with 20 ms error bounds are ambiguous: log order decides', async () => {
    const first = attempted({ customer: 'Cy', server: 'server-3', atMs: 3, errorBoundMs: 20 });
    const second = attempted({ customer: 'Dee', server: 'server-4', atMs: 0, errorBoundMs: 20 });
    await given(first, second);
    const { witness, kinds } = (await conflict())!;
    expect(kinds).toContain('ambiguous');
    expect(witness.winners.ntp_corrected.customer_name).toBe('Dee');
    expect(witness.authoritative).toMatchObject({ customer_name: 'Cy', decided_by: 'log_order' });
    expect(witness.candidates.sort()).toEqual([first.attemptId, second.attemptId].sort());
    // The explanation names what was actually wrong: log order handed the seat to Cy, Dee was truly first.
    expect(witness.explanation).toMatch(/log order gives the seat to Cy \(server-3\); truly first was Dee/);
  });

  it('an attempt from a never-synchronised server (bound stored as null) projects as unbounded, hence ambiguous', async () => {
    const synced = attempted({ customer: 'Gus', server: 'server-1', atMs: 0 });
    const unsynced = attempted({ customer: 'Hal', server: 'server-2', atMs: 5_000 });
    (unsynced.data['clock'] as Record<string, unknown>)['errorBoundMs'] = null;
    await given(synced, unsynced);
    const [row] = await fixture.query<{ error_bound_ms: number }>(
      `SELECT error_bound_ms FROM rm_attempts WHERE customer_name = 'Hal'`,
    );
    expect(row!.error_bound_ms).toBe(UNBOUNDED_ERROR_MS);
    expect((await conflict())!.kinds).toContain('ambiguous');
  });

  it('attempts further apart than their bounds are contention only', async () => {
    await given(
      attempted({ customer: 'Eve', server: 'server-1', atMs: 0 }),
      attempted({ customer: 'Fay', server: 'server-2', atMs: 500 }),
    );
    expect((await conflict())!.kinds).toEqual(['contention']);
  });

  it('SeatAssigned makes the seat taken, the winner won and the others lost; later attempts lose at once', async () => {
    const ana = attempted({ customer: 'Ana', server: 'server-1', atMs: 0 });
    const bob = attempted({ customer: 'Bob', server: 'server-2', atMs: 10 });
    await given(ana, bob);
    await fixture.append('seat-7', [
      seatAssigned(7, { attemptId: ana.attemptId, customer: 'Ana', server: 'server-1' }),
    ]);
    const late = attempted({ customer: 'Late', server: 'server-3', atMs: 5000, localDecision: 'rejected' });
    await given(late);
    expect((await seat())!.holder_attempt_id).toBe(ana.attemptId);
    const outcomes = await fixture.query<{ customer_name: string; outcome: string; outcome_reason: string }>(
      `SELECT customer_name, outcome, outcome_reason FROM rm_attempts ORDER BY log_position`,
    );
    expect(outcomes.map((row) => [row.customer_name, row.outcome])).toEqual([
      ['Ana', 'won'],
      ['Bob', 'lost'],
      ['Late', 'lost'],
    ]);
    expect(outcomes[1]!.outcome_reason).toMatch(/Ana \(server-1\) provably came first/);
    expect(outcomes[2]!.outcome_reason).toMatch(/after the seat was settled for Ana/);
  });

  it('an assignment and a late attempt in the same batch as the attempts give the same outcomes', async () => {
    const ana = attempted({ customer: 'Ana', server: 'server-1', atMs: 0 });
    const bob = attempted({ customer: 'Bob', server: 'server-2', atMs: 10 });
    const late = attempted({ customer: 'Late', server: 'server-3', atMs: 5000, localDecision: 'rejected' });
    await fixture.append(ana.streamId, [ana]);
    await fixture.append(bob.streamId, [bob]);
    await fixture.append('seat-7', [
      seatAssigned(7, { attemptId: ana.attemptId, customer: 'Ana', server: 'server-1' }),
    ]);
    await fixture.append(late.streamId, [late]);
    await fixture.runner.catchUp();
    const outcomes = await fixture.query<{ customer_name: string; outcome: string; outcome_reason: string }>(
      `SELECT customer_name, outcome, outcome_reason FROM rm_attempts ORDER BY log_position`,
    );
    expect(outcomes.map((row) => [row.customer_name, row.outcome])).toEqual([
      ['Ana', 'won'],
      ['Bob', 'lost'],
      ['Late', 'lost'],
    ]);
    expect(outcomes[2]!.outcome_reason).toMatch(/after the seat was settled for Ana/);
    expect(await seat()).toMatchObject({
      holder_attempt_id: ana.attemptId,
      attempts_count: 3,
      holder_verdict: 'correct',
    });
  });

  it('an attempt provably made after the window closed is no conflict (no phantom contention)', async () => {
    // Ana [−1, 1] anchors the window; it closes at 2001; Bob's interval starts at 2099.
    await given(
      attempted({ customer: 'Ana', server: 'server-1', atMs: 0 }),
      attempted({ customer: 'Bob', server: 'server-2', atMs: 2100, offsetMs: -9000 }),
    );
    expect(await seat()).toMatchObject({ attempts_count: 2, competing_count: 1, conflict_kinds: [] });
    expect(await conflict()).toBeUndefined();
  });

  it('an attempt whose interval straddles the close competes', async () => {
    await given(
      attempted({ customer: 'Ana', server: 'server-1', atMs: 0 }),
      attempted({ customer: 'Bob', server: 'server-2', atMs: 1999, errorBoundMs: 5 }),
    );
    expect(await seat()).toMatchObject({ competing_count: 2, conflict_kinds: ['contention'] });
  });

  it('an earlier anchor closes the window sooner: an attempt that competed no longer does', async () => {
    // Bob's wide bound anchors at 2000 (closes 4000), so Cy at 3000 competes; then Ana [−1, 1] moves the close to 2001.
    await given(
      attempted({ customer: 'Bob', server: 'server-2', atMs: 500, errorBoundMs: 1500 }),
      attempted({ customer: 'Cy', server: 'server-3', atMs: 3000 }),
    );
    expect((await conflict())!.kinds).toContain('contention');
    await given(attempted({ customer: 'Ana', server: 'server-1', atMs: 0 }));
    expect(await seat()).toMatchObject({ competing_count: 2, attempts_count: 3 });
    const [cy] = await fixture.query<{ customer_name: string }>(
      `SELECT customer_name FROM rm_attempts WHERE customer_name = 'Cy'`,
    );
    expect(cy).toBeDefined();
    expect((await conflict())!.witness.attempts.map((attempt) => attempt.customer_name).sort()).toEqual(['Ana', 'Bob']);
  });

  it('attempts recorded while the authority decided did not compete: they reached the log after its cutoff', async () => {
    const ana = attempted({ customer: 'Ana', server: 'server-1', atMs: 10 });
    await given(ana);
    const [{ log_position: cutoff }] = (await fixture.query<{ log_position: string }>(
      `SELECT log_position FROM rm_attempts WHERE customer_name = 'Ana'`,
    )) as [{ log_position: string }];
    // Bob is truly first and earlier by corrected time, but the authority had read only up to Ana.
    const bob = attempted({ customer: 'Bob', server: 'server-2', atMs: 0 });
    await fixture.append(bob.streamId, [bob]);
    await fixture.append('seat-7', [
      seatAssigned(7, { attemptId: ana.attemptId, customer: 'Ana', server: 'server-1' }, 'ntp_corrected', null, cutoff),
    ]);
    await fixture.runner.catchUp();
    const outcomes = await fixture.query<{ customer_name: string; outcome: string; outcome_reason: string }>(
      `SELECT customer_name, outcome, outcome_reason FROM rm_attempts ORDER BY log_position`,
    );
    expect(outcomes.map((row) => [row.customer_name, row.outcome])).toEqual([
      ['Ana', 'won'],
      ['Bob', 'lost'],
    ]);
    expect(outcomes[1]!.outcome_reason).toMatch(/after the seat was settled/);
    expect(await seat()).toMatchObject({ competing_count: 1, conflict_kinds: [], holder_verdict: 'late_arrival' });
  });

  it('a detected clock step marks the attempts its server stamped in that sync epoch out of bound', async () => {
    await given(
      attempted({ customer: 'Ana', server: 'server-1', atMs: 0, syncEpoch: 2 }),
      attempted({ customer: 'Bob', server: 'server-1', atMs: 20, syncEpoch: 3, seatId: 8 }),
      attempted({ customer: 'Cy', server: 'server-2', atMs: 30, syncEpoch: 2, seatId: 9 }),
    );
    await fixture.append('clock-server-1', [clockStepDetected('server-1', 2)]);
    // Stamped in the suspect epoch, but it reached the log after the step was recorded.
    await given(attempted({ customer: 'Dee', server: 'server-1', atMs: 10, syncEpoch: 2, seatId: 10 }));
    const rows = await fixture.query<{ customer_name: string; out_of_bound: boolean }>(
      `SELECT customer_name, out_of_bound FROM rm_attempts ORDER BY customer_name`,
    );
    expect(rows.map((row) => [row.customer_name, row.out_of_bound])).toEqual([
      ['Ana', true],
      ['Bob', false],
      ['Cy', false],
      ['Dee', true],
    ]);
  });

  it('scores a bound the truth falls outside of, without letting it decide', async () => {
    // Ana's server believes it is exactly on time, but it runs 50 ms late: her interval [−51, −49] misses the truth 0.
    const ana = attempted({ customer: 'Ana', server: 'server-1', atMs: 0, offsetMs: -50, estimatedOffsetMs: 0 });
    const bob = attempted({ customer: 'Bob', server: 'server-2', atMs: -20 });
    await given(ana, bob);
    await fixture.append('seat-7', [
      seatAssigned(7, { attemptId: ana.attemptId, customer: 'Ana', server: 'server-1' }),
    ]);
    await fixture.runner.catchUp();
    const rows = await fixture.query<{ customer_name: string; bound_violated: boolean }>(
      `SELECT customer_name, bound_violated FROM rm_attempts ORDER BY customer_name`,
    );
    expect(rows.map((row) => [row.customer_name, row.bound_violated])).toEqual([
      ['Ana', true],
      ['Bob', false],
    ]);
    expect(await seat()).toMatchObject({
      authoritative_attempt_id: ana.attemptId,
      winner_truth: bob.attemptId,
      holder_verdict: 'bound_violation',
      violated_attempts: 1,
    });
  });

  it.each([
    ['known to ±0.5 ms, the bound is not shown wrong', 0.5, 'ambiguous', 0],
    ['exact, the bound is shown wrong', undefined, 'bound_violation', 1],
  ] as const)(
    'scores a truth 0.4 ms outside a bound by what the truth itself may be off by: %s',
    async (_case, referenceUncertaintyMs, verdict, violated) => {
      // Ana's clock is 1.4 ms late and believed on time: her interval [−2.4, −0.4] misses her truth 0 by
      // 0.4 ms. Bob (truth 0.2) and Cy (0.6) overlap her, so log order decides, and Bob is first in the log.
      const bob = attempted({ customer: 'Bob', server: 'server-2', atMs: 0.2 });
      const ana = attempted({
        customer: 'Ana',
        server: 'server-1',
        atMs: 0,
        offsetMs: -1.4,
        estimatedOffsetMs: 0,
        ...(referenceUncertaintyMs !== undefined ? { referenceUncertaintyMs } : {}),
      });
      await given(bob, ana);
      // Cy comes in a batch of her own: the conflict's witness is rebuilt from the analysis as stored.
      await given(attempted({ customer: 'Cy', server: 'server-3', atMs: 0.6 }));
      const [conflict] = await fixture.query<{ witness: string }>(`SELECT witness FROM rm_conflicts`);
      const shown = (JSON.parse(conflict!.witness) as { attempts: WitnessAttempt[] }).attempts;
      expect(shown.map((attempt) => [attempt.customer_name, attempt.reference_uncertainty_ms])).toEqual([
        ['Bob', 0],
        ['Ana', referenceUncertaintyMs ?? 0],
        ['Cy', 0],
      ]);
      await fixture.append('seat-7', [
        seatAssigned(7, { attemptId: bob.attemptId, customer: 'Bob', server: 'server-2' }, 'log_order'),
      ]);
      await fixture.runner.catchUp();
      const rows = await fixture.query<{ customer_name: string; bound_violated: boolean; uncertainty: number }>(
        `SELECT customer_name, bound_violated, reference_uncertainty_ms AS uncertainty FROM rm_attempts
          ORDER BY customer_name`,
      );
      expect(rows.map((row) => [row.customer_name, row.bound_violated, row.uncertainty])).toEqual([
        ['Ana', violated === 1, referenceUncertaintyMs ?? 0],
        ['Bob', false, 0],
        ['Cy', false, 0],
      ]);
      expect(await seat()).toMatchObject({
        holder_attempt_id: bob.attemptId,
        winner_truth: ana.attemptId,
        holder_verdict: verdict,
        violated_attempts: violated,
      });
    },
  );

  it('a wrong bound on an attempt that could not have changed the holder leaves an ambiguous seat ambiguous', async () => {
    // Ana (truly first) and Bob overlap, so log order (Bob first) decides. Cy's bound is wrong
    // (truth 3 ms, interval [14, 16]) but she neither opened the window nor could be first.
    const bob = attempted({ customer: 'Bob', server: 'server-2', atMs: 5, errorBoundMs: 10 });
    const ana = attempted({ customer: 'Ana', server: 'server-1', atMs: 0, errorBoundMs: 10 });
    const cy = attempted({ customer: 'Cy', server: 'server-3', atMs: 3, offsetMs: 12, estimatedOffsetMs: 0 });
    await given(bob, ana, cy);
    await fixture.append('seat-7', [
      seatAssigned(7, { attemptId: bob.attemptId, customer: 'Bob', server: 'server-2' }, 'log_order'),
    ]);
    await fixture.runner.catchUp();
    expect(await seat()).toMatchObject({
      holder_attempt_id: bob.attemptId,
      winner_truth: ana.attemptId,
      violated_attempts: 1,
      holder_verdict: 'ambiguous',
    });
  });

  it('a reset moves the live rows to the ended session; a decision of that session arriving later goes there too', async () => {
    const ana = attempted({ customer: 'Ana', server: 'server-1', atMs: 0 });
    await given(ana);
    await fixture.append('lab-sessions', [
      { type: 'LabSessionStarted', data: { sessionNumber: 2, previousSessionNumber: 1, startedAtMs: T0 + 100 } },
    ]);
    // Settlement was in flight during the reset: its decision lands in session 1's seat stream.
    await fixture.append('seat-7', [
      seatAssigned(7, { attemptId: ana.attemptId, customer: 'Ana', server: 'server-1' }),
    ]);
    const bob = attempted({ customer: 'Bob', server: 'server-2', atMs: 200 });
    await given(bob);
    const rows = await fixture.query<{ run_id: string; attempts_count: number; holder_attempt_id: string | null }>(
      `SELECT run_id, attempts_count, holder_attempt_id FROM rm_seats WHERE seat_id = 7 ORDER BY run_id`,
    );
    expect(rows).toEqual([
      { run_id: '', attempts_count: 1, holder_attempt_id: null },
      { run_id: 'session-1', attempts_count: 1, holder_attempt_id: ana.attemptId },
    ]);
    const sessions = await fixture.query<{ session_id: string; ended_at_ms: number | null }>(
      `SELECT session_id, ended_at_ms FROM rm_lab_sessions ORDER BY session_number`,
    );
    expect(sessions).toEqual([
      { session_id: 'session-1', ended_at_ms: T0 + 100 },
      { session_id: 'session-2', ended_at_ms: null },
    ]);
  });

  it('a hot seat keeps an exact attempts_count but caps the attempts its witness lists', async () => {
    const attempts = Array.from({ length: WITNESS_ATTEMPTS_LIMIT * 2 }, (_, index) =>
      attempted({ customer: `c${index}`, server: `server-${1 + (index % 5)}`, atMs: 1000 - index * 7 }),
    );
    await given(...attempts);
    const stored = (
      await fixture.query<{ attempts_count: number; witness: string }>(
        `SELECT attempts_count, witness FROM rm_conflicts WHERE seat_id = 7`,
      )
    )[0]!;
    const row = { ...stored, witness: JSON.parse(stored.witness) as ConflictWitness };
    expect(row.attempts_count).toBe(attempts.length);
    expect(row.witness.attempts.length).toBeLessThanOrEqual(WITNESS_ATTEMPTS_LIMIT + 6);
    expect(row.witness.attempts_omitted).toBe(attempts.length - row.witness.attempts.length);
    const listed = new Set(row.witness.attempts.map((attempt) => attempt.attempt_id));
    for (const winner of Object.values(row.witness.winners)) expect(listed.has(winner.attempt_id)).toBe(true);
    // The last attempt in the log is first in truth and by corrected time: it must be listed.
    expect(listed.has(attempts[attempts.length - 1]!.attemptId)).toBe(true);
  });

  it('with exact NTP estimates (symmetric delays, no jitter) ntp_corrected agrees with truth on every seat', async () => {
    const offsets = [-15_000, 7_000, 0, 22_000, -3_000];
    const events = [];
    for (let seatId = 1; seatId <= 20; seatId += 1) {
      for (let k = 0; k < 3; k += 1) {
        const server = (seatId + k) % 5;
        events.push(
          attempted({
            customer: `c${seatId}-${k}`,
            server: `server-${server + 1}`,
            atMs: seatId * 10 + ((k * 37) % 11),
            offsetMs: offsets[server]!,
            seatId,
          }),
        );
      }
    }
    await given(...events);
    const rows = await fixture.query<SeatRow>(`SELECT * FROM rm_seats`);
    expect(rows).toHaveLength(20);
    for (const row of rows) expect(row.winner_ntp_corrected).toBe(row.winner_truth);
    expect(rows.some((row) => row.winner_server_clock !== row.winner_truth)).toBe(true);
  });

  it('run it twice: applying the same events again changes nothing', async () => {
    const ana = attempted({ customer: 'Ana', server: 'server-1', atMs: 0, offsetMs: 5000 });
    const bob = attempted({ customer: 'Bob', server: 'server-2', atMs: 100 });
    await given(ana, bob);
    const before = await dump();
    // A second runner with its own checkpoint name re-applies every event onto the same rows.
    await fixture.newRunner(undefined, { checkpointName: 'second-pass' }).catchUp();
    expect(await dump()).toBe(before);
  });

  it('a seat whose analysis an older version stored is recomputed from its attempts on its next event, as a rebuild has it', async () => {
    await given(
      attempted({ customer: 'Ana', server: 'server-1', atMs: 0, offsetMs: 5000 }),
      attempted({ customer: 'Bob', server: 'server-2', atMs: 100 }),
    );
    // What a read model written before the v3 format holds (the form below is v2's header).
    await fixture.query(`UPDATE rm_seats SET analysis = $1 WHERE seat_id = 7`, [
      JSON.stringify({ v: 2, window_ms: 2000, attempts_count: 2, candidates: [], front: [] }),
    ]);
    await given(attempted({ customer: 'Cy', server: 'server-3', atMs: 50 }));
    const upgraded = await dump();
    const [{ analysis }] = await fixture.query<{ analysis: string }>(`SELECT analysis FROM rm_seats WHERE seat_id = 7`);
    expect(JSON.parse(analysis)).toMatchObject({ v: 3, attempts_count: 3 });
    await fixture.runner.rebuild();
    expect(await dump()).toBe(upgraded);
  });
});
