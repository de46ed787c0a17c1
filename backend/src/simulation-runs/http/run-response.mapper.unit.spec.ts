/** The run's wire shape: snake_case, optional parts left out rather than null, counts derived from the read model. */
import { perfectClock } from '../../clocks/domain';
import type { StatsResponse } from '../../reservations/http/conflict.responses';
import type { RunJob } from '../application/run-job';
import { DEFAULT_START_REFERENCE_MS, type RunSummary } from '../domain';
import { toRunResponse } from './run-response.mapper';

const perStrategy = (serverClock: number, others: number) => ({
  server_clock: serverClock,
  ntp_corrected: others,
  log_order: others,
  hlc: serverClock,
  truth: others,
});

const stats: StatsResponse = {
  attempts: 40,
  seats_with_attempts: 10,
  settled_seats: 10,
  contended_seats: 10,
  conflicts: { contention: 10, inversion: 4, ambiguous: 0 },
  accuracy: perStrategy(0.6, 1),
  correct_seats: perStrategy(6, 10),
  authority: { seats: 10, correct: 9, accuracy: 0.9 },
  wrong_holders: { ambiguous: 1, bound_violation: 0, late_arrival: 0, unexplained: 0 },
  servers: [{ server_id: 'server-1', attempts: 40, bound_violations: 2, out_of_bound: 1, steps_detected: 1 }],
};

const attempt = (attemptId: string, referenceTimeMs: number) => ({
  attemptId,
  customerName: `customer ${attemptId}`,
  serverId: 'server-1',
  referenceTimeMs,
  serverTimeMs: referenceTimeMs + 5,
  ntpCorrectedTimeMs: referenceTimeMs,
  errorBoundMs: 2,
});

const summary: RunSummary = {
  attempts: 40,
  seatsWithAttempts: 10,
  settledSeats: 10,
  contendedSeats: 10,
  conflicts: { contention: 10, inversion: 4, ambiguous: 0 },
  correctSeats: perStrategy(6, 10),
  authority: { seats: 10, correct: 9 },
  wrongHolders: { ambiguous: 1, bound_violation: 0, late_arrival: 0, unexplained: 0 },
  servers: [{ serverId: 'server-1', attempts: 40, boundViolations: 2, outOfBound: 1, stepsDetected: 1 }],
  worstInversion: {
    seatId: 3,
    gapMs: 250,
    trueFirst: attempt('a', 1000),
    serverClockWinner: attempt('b', 1250),
    ntpCorrectedWinner: attempt('a', 1000),
  },
};

const job = (overrides: Partial<RunJob> = {}): RunJob => ({
  runId: 'demo-1',
  generatorVersion: 3,
  parameters: {
    scenario: 'clock_step',
    seed: 42,
    seats: 10,
    attemptsPerSeat: 4,
    spreadMs: 500,
    serverIds: ['server-1', 'server-2'],
    seatIntervalMs: 1000,
    conflictWindowMs: 2000,
    syncIntervalMs: 60_000,
    startReferenceMs: DEFAULT_START_REFERENCE_MS,
    overrides: { '*': { driftPpm: 0 }, 'server-2': { offsetMs: 12_000, neverSyncs: true } },
  },
  clocks: {
    'server-1': perfectClock(DEFAULT_START_REFERENCE_MS),
    'server-2': { ...perfectClock(DEFAULT_START_REFERENCE_MS), step: { atMs: 5000, byMs: -300 } },
  },
  status: 'completed',
  phase: 'done',
  totalAttempts: 40,
  appendedAttempts: 40,
  progress: 1,
  startedAt: new Date('2025-01-01T12:00:00.000Z'),
  finishedAt: new Date('2025-01-01T12:00:01.000Z'),
  appendMs: 600,
  projectionMs: 400,
  error: null,
  summary,
  stats,
  ...overrides,
});

describe('toRunResponse', () => {
  it('echoes only the override fields given and leaves out a clock step or strobe it does not have', () => {
    const response = toRunResponse(job());
    expect(response.parameters.overrides).toEqual({
      '*': { drift_ppm: 0 },
      'server-2': { offset_ms: 12_000, never_syncs: true },
    });
    expect(response.parameters.servers).toBe(2);
    expect(response.generator_version).toBe(3);
    expect(toRunResponse(job({ generatorVersion: null })).generator_version).toBeNull();
    const [first, second] = response.clocks;
    expect(Object.keys(first)).not.toContain('step');
    expect(Object.keys(first)).not.toContain('strobe');
    expect(second).toMatchObject({ server_id: 'server-2', step: { at_ms: 5000, by_ms: -300 } });
  });

  it('derives wrong seats per strategy from the read model and names the worst inversion as a conflict id', () => {
    const report = toRunResponse(job()).report!;
    expect(report.wrong_seats).toEqual(perStrategy(4, 0));
    expect(report.wrong_seats_per_10k_attempts).toEqual(perStrategy(1000, 0));
    expect(report.inversions_per_10k_attempts).toBe(1000);
    expect(report.worst_inversion).toMatchObject({ seat_id: 3, conflict_id: 'run-demo-1-seat-3', gap_ms: 250 });
    expect(report.worst_inversion!.server_clock_winner.attempt_id).toBe('b');
    expect(report.read_model_matches_run).toBe(true);
  });

  it('flags a read model that disagrees with the run, and has no report until the run completed', () => {
    const lagging = { ...stats, correct_seats: { ...stats.correct_seats, hlc: 5 } };
    expect(toRunResponse(job({ stats: lagging })).report!.read_model_matches_run).toBe(false);
    const running = toRunResponse(job({ status: 'running', phase: 'projecting', finishedAt: null }));
    expect(running.report).toBeNull();
    expect(running.finished_at).toBeNull();
  });
});
