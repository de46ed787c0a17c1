/**
 * Wire shapes of /api/simulation/runs (snake_case, as every response of the
 * API), declared for the OpenAPI document the console's client is generated
 * from. `toRunResponse` (run-response.mapper.ts) builds them.
 */
import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { SCENARIO_NAMES, type ScenarioName } from '../../clocks/domain';
import { StatsResponse, StrategyAccuracyResponse } from '../../reservations/http/conflict.responses';
import type { RunPhase, RunStatus } from '../application/run-job';
import { ScenarioRunClockOverride } from './run-clock-override';

// Written as records so the compiler rejects a status or phase missing here.
const RUN_STATUSES = Object.keys({
  queued: true,
  running: true,
  completed: true,
  failed: true,
  interrupted: true,
} satisfies Record<RunStatus, true>);
const RUN_PHASES = Object.keys({
  queued: true,
  appending: true,
  projecting: true,
  done: true,
} satisfies Record<RunPhase, true>);

export class ScenarioRunWitnessAttemptResponse {
  @ApiProperty({ format: 'uuid' }) attempt_id!: string;
  @ApiProperty() customer_name!: string;
  @ApiProperty() server_id!: string;
  @ApiProperty() reference_time_ms!: number;
  @ApiProperty() server_time_ms!: number;
  @ApiProperty() ntp_corrected_time_ms!: number;
  @ApiProperty() error_bound_ms!: number;
}

export class ScenarioRunWitnessResponse {
  @ApiProperty() seat_id!: number;
  @ApiProperty({ example: 'run-demo-1-seat-7', description: 'Id for GET /api/conflicts/:id' }) conflict_id!: string;
  @ApiProperty({ description: 'How much later (reference time) the server-clock winner arrived than the truly first' })
  gap_ms!: number;
  @ApiProperty({ type: ScenarioRunWitnessAttemptResponse }) true_first!: ScenarioRunWitnessAttemptResponse;
  @ApiProperty({ type: ScenarioRunWitnessAttemptResponse })
  server_clock_winner!: ScenarioRunWitnessAttemptResponse;
  @ApiProperty({ type: ScenarioRunWitnessAttemptResponse })
  ntp_corrected_winner!: ScenarioRunWitnessAttemptResponse;
}

/** The live lab's statistics for the run's seats, plus what only a run can say. */
export class ScenarioRunReportResponse extends StatsResponse {
  @ApiProperty({
    type: StrategyAccuracyResponse,
    description: 'Seats each strategy gave to someone other than the truly first customer',
  })
  wrong_seats!: StrategyAccuracyResponse;
  @ApiProperty({ type: StrategyAccuracyResponse }) wrong_seats_per_10k_attempts!: StrategyAccuracyResponse;
  @ApiProperty() inversions_per_10k_attempts!: number;
  @ApiProperty({ type: ScenarioRunWitnessResponse, nullable: true, description: 'null when the run has no inversion' })
  worst_inversion!: ScenarioRunWitnessResponse | null;
  @ApiProperty({ description: "True when the read model's counts equal the run's own analysis of its attempts" })
  read_model_matches_run!: boolean;
}

/** The normalised parameters: every default is filled in. */
export class ScenarioRunParametersResponse {
  @ApiProperty({ enum: SCENARIO_NAMES }) scenario!: ScenarioName;
  @ApiProperty() seed!: number;
  @ApiProperty() seats!: number;
  @ApiProperty() attempts_per_seat!: number;
  @ApiProperty() spread_ms!: number;
  @ApiProperty({ description: 'Number of booking servers (server-1..server-N)' }) servers!: number;
  @ApiProperty() seat_interval_ms!: number;
  @ApiProperty() conflict_window_ms!: number;
  @ApiProperty() sync_interval_ms!: number;
  @ApiProperty({ description: 'Virtual reference epoch of the run (epoch ms)' }) start_reference_ms!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(ScenarioRunClockOverride) },
    description: 'Keyed by server id, or "*" for every server',
    example: { '*': { drift_ppm: 0 } },
  })
  overrides!: Record<string, ScenarioRunClockOverride>;
}

export class ScenarioRunClockStepResponse {
  @ApiProperty({ description: 'Reference time (epoch ms) of the step' }) at_ms!: number;
  @ApiProperty() by_ms!: number;
}

export class ScenarioRunClockStrobeResponse {
  @ApiProperty() period_ms!: number;
  @ApiProperty() alt_offset_ms!: number;
}

/** A simulated server's clock as the run used it (scenario plus overrides). */
export class ScenarioRunClockResponse {
  @ApiProperty() server_id!: string;
  @ApiProperty({ description: 'Constant offset, server − reference; positive = ahead' }) offset_ms!: number;
  @ApiProperty() drift_ppm!: number;
  @ApiProperty() jitter_ms!: number;
  @ApiProperty() outbound_delay_ms!: number;
  @ApiProperty() inbound_delay_ms!: number;
  @ApiProperty() never_syncs!: boolean;
  @ApiProperty({ description: 'Booking server → event store delay, ms' }) log_delay_ms!: number;
  @ApiProperty({ description: 'Jitter on top of it, ms' }) log_delay_jitter_ms!: number;
  @ApiPropertyOptional({ type: ScenarioRunClockStepResponse, description: 'Present when the clock steps' })
  step?: ScenarioRunClockStepResponse;
  @ApiPropertyOptional({ type: ScenarioRunClockStrobeResponse, description: 'Present when the offset flips' })
  strobe?: ScenarioRunClockStrobeResponse;
}

export class ScenarioRunResponse {
  @ApiProperty({ example: 'demo-1' }) id!: string;
  @ApiProperty({ description: 'Same as id' }) run_id!: string;
  @ApiProperty({ enum: RUN_STATUSES }) status!: RunStatus;
  @ApiProperty({ enum: RUN_PHASES, description: 'appending: into the log; projecting: read model catching up' })
  phase!: RunPhase;
  @ApiProperty({ description: '0..1 over both phases (appending, then projecting)' }) progress!: number;
  @ApiProperty() total_attempts!: number;
  @ApiProperty() appended_attempts!: number;
  @ApiProperty({ description: 'ISO 8601' }) started_at!: string;
  @ApiProperty({ nullable: true, type: String, description: 'ISO 8601; null while running' })
  finished_at!: string | null;
  @ApiProperty({ nullable: true, type: Number }) append_ms!: number | null;
  @ApiProperty({ nullable: true, type: Number }) projection_ms!: number | null;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description:
      'The attempt generator whose events the run holds (its ScenarioRunStarted); null until it started. A build finishes only runs of its own version: another one answers 409 to /resume',
  })
  generator_version!: number | null;
  @ApiProperty({ type: ScenarioRunParametersResponse }) parameters!: ScenarioRunParametersResponse;
  @ApiProperty({ type: [ScenarioRunClockResponse] }) clocks!: ScenarioRunClockResponse[];
  @ApiProperty({ type: ScenarioRunReportResponse, nullable: true, description: 'Set once the run completed' })
  report!: ScenarioRunReportResponse | null;
}

/** Kept for callers that named the run response before it was a class. */
export type RunResponse = ScenarioRunResponse;

export class ScenarioRunListResponse {
  @ApiProperty({ type: [ScenarioRunResponse], description: 'Newest first' }) items!: ScenarioRunResponse[];
  @ApiProperty() total!: number;
}
