/** Builds the wire shape of a scenario run (see run.responses.ts) from what the service tracks. */
import type { ClockConfig } from '../../clocks/domain';
import { ORDERING_STRATEGIES, type OrderingStrategy } from '../../reservations/domain/seat-events';
import type { StatsResponse } from '../../reservations/http/conflict.responses';
import {
  WRONG_HOLDER_CAUSES,
  type ClockOverride,
  type InversionWitness,
  type RunParameters,
  type RunSummary,
  type WitnessAttempt,
} from '../domain';
import type { RunJob } from '../application/run-job';
import type {
  ScenarioRunClockResponse,
  ScenarioRunParametersResponse,
  ScenarioRunReportResponse,
  ScenarioRunResponse,
  ScenarioRunWitnessAttemptResponse,
  ScenarioRunWitnessResponse,
} from './run.responses';
import type { ScenarioRunClockOverride } from './run-clock-override';

const witnessAttempt = (attempt: WitnessAttempt): ScenarioRunWitnessAttemptResponse => ({
  attempt_id: attempt.attemptId,
  customer_name: attempt.customerName,
  server_id: attempt.serverId,
  reference_time_ms: attempt.referenceTimeMs,
  server_time_ms: attempt.serverTimeMs,
  ntp_corrected_time_ms: attempt.ntpCorrectedTimeMs,
  error_bound_ms: attempt.errorBoundMs,
});

const witnessOf = (runId: string, witness: InversionWitness): ScenarioRunWitnessResponse => ({
  seat_id: witness.seatId,
  conflict_id: `run-${runId}-seat-${witness.seatId}`,
  gap_ms: witness.gapMs,
  true_first: witnessAttempt(witness.trueFirst),
  server_clock_winner: witnessAttempt(witness.serverClockWinner),
  ntp_corrected_winner: witnessAttempt(witness.ntpCorrectedWinner),
});

// step and strobe are left out (not null) when the clock has none.
const clockOf = (serverId: string, clock: ClockConfig): ScenarioRunClockResponse => ({
  server_id: serverId,
  offset_ms: clock.offsetMs,
  drift_ppm: clock.driftPpm,
  jitter_ms: clock.jitterMs,
  outbound_delay_ms: clock.outboundDelayMs,
  inbound_delay_ms: clock.inboundDelayMs,
  never_syncs: clock.neverSyncs,
  log_delay_ms: clock.logDelayMs ?? 0,
  log_delay_jitter_ms: clock.logDelayJitterMs ?? 0,
  ...(clock.step ? { step: { at_ms: clock.step.atMs, by_ms: clock.step.byMs } } : {}),
  ...(clock.strobe ? { strobe: { period_ms: clock.strobe.periodMs, alt_offset_ms: clock.strobe.altOffsetMs } } : {}),
});

// Only the fields the request set are echoed, so the response says what was overridden.
const overrideOf = (override: ClockOverride): ScenarioRunClockOverride => ({
  ...(override.offsetMs !== undefined ? { offset_ms: override.offsetMs } : {}),
  ...(override.driftPpm !== undefined ? { drift_ppm: override.driftPpm } : {}),
  ...(override.jitterMs !== undefined ? { jitter_ms: override.jitterMs } : {}),
  ...(override.outboundDelayMs !== undefined ? { outbound_delay_ms: override.outboundDelayMs } : {}),
  ...(override.inboundDelayMs !== undefined ? { inbound_delay_ms: override.inboundDelayMs } : {}),
  ...(override.neverSyncs !== undefined ? { never_syncs: override.neverSyncs } : {}),
  ...(override.logDelayMs !== undefined ? { log_delay_ms: override.logDelayMs } : {}),
  ...(override.logDelayJitterMs !== undefined ? { log_delay_jitter_ms: override.logDelayJitterMs } : {}),
});

const parametersOf = (parameters: RunParameters): ScenarioRunParametersResponse => ({
  scenario: parameters.scenario,
  seed: parameters.seed,
  seats: parameters.seats,
  attempts_per_seat: parameters.attemptsPerSeat,
  spread_ms: parameters.spreadMs,
  servers: parameters.serverIds.length,
  seat_interval_ms: parameters.seatIntervalMs,
  conflict_window_ms: parameters.conflictWindowMs,
  sync_interval_ms: parameters.syncIntervalMs,
  start_reference_ms: parameters.startReferenceMs,
  overrides: Object.fromEntries(
    Object.entries(parameters.overrides).map(([serverId, override]) => [serverId, overrideOf(override)]),
  ),
});

const perStrategy = (value: (strategy: OrderingStrategy) => number) =>
  Object.fromEntries(ORDERING_STRATEGIES.map((strategy) => [strategy, value(strategy)])) as Record<
    OrderingStrategy,
    number
  >;

/** The read model's counts and the run's own analysis of its attempts must agree, figure for figure. */
export const readModelMatchesRun = (stats: StatsResponse, summary: RunSummary): boolean =>
  stats.attempts === summary.attempts &&
  stats.settled_seats === summary.settledSeats &&
  stats.contended_seats === summary.contendedSeats &&
  stats.conflicts.contention === summary.conflicts.contention &&
  stats.conflicts.inversion === summary.conflicts.inversion &&
  stats.conflicts.ambiguous === summary.conflicts.ambiguous &&
  ORDERING_STRATEGIES.every((strategy) => stats.correct_seats[strategy] === summary.correctSeats[strategy]) &&
  stats.authority.seats === summary.authority.seats &&
  stats.authority.correct === summary.authority.correct &&
  WRONG_HOLDER_CAUSES.every((cause) => stats.wrong_holders[cause] === summary.wrongHolders[cause]) &&
  summary.servers.every((server) => {
    const row = stats.servers.find((candidate) => candidate.server_id === server.serverId);
    return (
      (row?.attempts ?? 0) === server.attempts &&
      (row?.bound_violations ?? 0) === server.boundViolations &&
      (row?.out_of_bound ?? 0) === server.outOfBound &&
      (row?.steps_detected ?? 0) === server.stepsDetected
    );
  });

/** Counts come from the read model (stats); the witness from the run's own analysis. */
const reportOf = (job: RunJob, summary: RunSummary): ScenarioRunReportResponse => {
  const stats = job.stats!;
  const wrong = perStrategy((strategy) => stats.contended_seats - stats.correct_seats[strategy]);
  return {
    ...stats,
    wrong_seats: wrong,
    wrong_seats_per_10k_attempts: perStrategy((strategy) =>
      stats.attempts === 0 ? 0 : (wrong[strategy] * 10_000) / stats.attempts,
    ),
    inversions_per_10k_attempts: stats.attempts === 0 ? 0 : (stats.conflicts.inversion * 10_000) / stats.attempts,
    worst_inversion: summary.worstInversion ? witnessOf(job.runId, summary.worstInversion) : null,
    read_model_matches_run: readModelMatchesRun(stats, summary),
  };
};

export const toRunResponse = (job: RunJob): ScenarioRunResponse => ({
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
  generator_version: job.generatorVersion,
  parameters: parametersOf(job.parameters),
  clocks: Object.entries(job.clocks).map(([serverId, clock]) => clockOf(serverId, clock)),
  report: job.status === 'completed' && job.summary && job.stats ? reportOf(job, job.summary) : null,
});
