/** Wire shape of a scenario run (snake_case, as every response of the API). */
import type { ClockConfig } from '../../clocks/domain';
import { ORDERING_STRATEGIES, type OrderingStrategy } from '../../reservations/domain/seat-events';
import type { InversionWitness, RunSummary, WitnessAttempt } from '../domain';
import type { RunJob } from '../application/run-job';

const witnessAttempt = (attempt: WitnessAttempt) => ({
  attempt_id: attempt.attemptId,
  customer_name: attempt.customerName,
  server_id: attempt.serverId,
  reference_time_ms: attempt.referenceTimeMs,
  server_time_ms: attempt.serverTimeMs,
  ntp_corrected_time_ms: attempt.ntpCorrectedTimeMs,
  error_bound_ms: attempt.errorBoundMs,
});

const witnessOf = (runId: string, witness: InversionWitness) => ({
  seat_id: witness.seatId,
  conflict_id: `run-${runId}-seat-${witness.seatId}`,
  gap_ms: witness.gapMs,
  true_first: witnessAttempt(witness.trueFirst),
  server_clock_winner: witnessAttempt(witness.serverClockWinner),
  ntp_corrected_winner: witnessAttempt(witness.ntpCorrectedWinner),
});

const clockOf = (serverId: string, clock: ClockConfig) => ({
  server_id: serverId,
  offset_ms: clock.offsetMs,
  drift_ppm: clock.driftPpm,
  jitter_ms: clock.jitterMs,
  outbound_delay_ms: clock.outboundDelayMs,
  inbound_delay_ms: clock.inboundDelayMs,
  never_syncs: clock.neverSyncs,
  ...(clock.step ? { step: { at_ms: clock.step.atMs, by_ms: clock.step.byMs } } : {}),
  ...(clock.strobe ? { strobe: { period_ms: clock.strobe.periodMs, alt_offset_ms: clock.strobe.altOffsetMs } } : {}),
});

const perStrategy = (value: (strategy: OrderingStrategy) => number) =>
  Object.fromEntries(ORDERING_STRATEGIES.map((strategy) => [strategy, value(strategy)])) as Record<
    OrderingStrategy,
    number
  >;

/** Counts come from the read model (stats); the witness from the run's own analysis. */
const reportOf = (job: RunJob, summary: RunSummary) => {
  const stats = job.stats!;
  const wrong = perStrategy((strategy) => stats.contended_seats - stats.correct_seats[strategy]);
  return {
    attempts: stats.attempts,
    seats_with_attempts: stats.seats_with_attempts,
    settled_seats: stats.settled_seats,
    contended_seats: stats.contended_seats,
    conflicts: stats.conflicts,
    accuracy: stats.accuracy,
    correct_seats: stats.correct_seats,
    /** Seats each strategy gave to someone other than the truly first customer. */
    wrong_seats: wrong,
    wrong_seats_per_10k_attempts: perStrategy((strategy) =>
      stats.attempts === 0 ? 0 : (wrong[strategy] * 10_000) / stats.attempts,
    ),
    inversions_per_10k_attempts: stats.attempts === 0 ? 0 : (stats.conflicts.inversion * 10_000) / stats.attempts,
    worst_inversion: summary.worstInversion ? witnessOf(job.runId, summary.worstInversion) : null,
    /** True when the read model's counts equal the run's own analysis of its attempts. */
    read_model_matches_run:
      stats.attempts === summary.attempts &&
      stats.contended_seats === summary.contendedSeats &&
      stats.conflicts.contention === summary.conflicts.contention &&
      stats.conflicts.inversion === summary.conflicts.inversion &&
      stats.conflicts.ambiguous === summary.conflicts.ambiguous &&
      ORDERING_STRATEGIES.every((strategy) => stats.correct_seats[strategy] === summary.correctSeats[strategy]),
  };
};

export const toRunResponse = (job: RunJob) => ({
  id: job.runId,
  run_id: job.runId,
  status: job.status,
  phase: job.phase,
  progress: job.progress,
  total_attempts: job.totalAttempts,
  appended_attempts: job.appendedAttempts,
  started_at: job.startedAt.toISOString(),
  finished_at: job.finishedAt?.toISOString() ?? null,
  append_ms: job.appendMs,
  projection_ms: job.projectionMs,
  error: job.error,
  parameters: {
    scenario: job.parameters.scenario,
    seed: job.parameters.seed,
    seats: job.parameters.seats,
    attempts_per_seat: job.parameters.attemptsPerSeat,
    spread_ms: job.parameters.spreadMs,
    servers: job.parameters.serverIds.length,
    seat_interval_ms: job.parameters.seatIntervalMs,
    conflict_window_ms: job.parameters.conflictWindowMs,
    sync_interval_ms: job.parameters.syncIntervalMs,
    start_reference_ms: job.parameters.startReferenceMs,
    overrides: Object.fromEntries(
      Object.entries(job.parameters.overrides).map(([serverId, override]) => [
        serverId,
        {
          ...(override.offsetMs !== undefined ? { offset_ms: override.offsetMs } : {}),
          ...(override.driftPpm !== undefined ? { drift_ppm: override.driftPpm } : {}),
          ...(override.jitterMs !== undefined ? { jitter_ms: override.jitterMs } : {}),
          ...(override.outboundDelayMs !== undefined ? { outbound_delay_ms: override.outboundDelayMs } : {}),
          ...(override.inboundDelayMs !== undefined ? { inbound_delay_ms: override.inboundDelayMs } : {}),
          ...(override.neverSyncs !== undefined ? { never_syncs: override.neverSyncs } : {}),
        },
      ]),
    ),
  },
  clocks: Object.entries(job.clocks).map(([serverId, clock]) => clockOf(serverId, clock)),
  report: job.status === 'completed' && job.summary && job.stats ? reportOf(job, job.summary) : null,
});

export type RunResponse = ReturnType<typeof toRunResponse>;
