import { ApiProperty } from '@nestjs/swagger';

export class WitnessAttemptResponse {
  @ApiProperty({ format: 'uuid' }) attempt_id!: string;
  @ApiProperty() customer_name!: string;
  @ApiProperty() server_id!: string;
  @ApiProperty({ enum: ['confirmed', 'rejected'] }) local_decision!: string;
  @ApiProperty() server_time_ms!: number;
  @ApiProperty() estimated_offset_ms!: number;
  @ApiProperty() error_bound_ms!: number;
  @ApiProperty() ntp_corrected_time_ms!: number;
  @ApiProperty() hlc!: string;
  @ApiProperty() reference_time_ms!: number;
  @ApiProperty() log_position!: string;
}

export class StrategyPickResponse {
  @ApiProperty({ format: 'uuid' }) attempt_id!: string;
  @ApiProperty() customer_name!: string;
  @ApiProperty() server_id!: string;
}

export class StrategyWinnersResponse {
  @ApiProperty({ type: StrategyPickResponse }) server_clock!: StrategyPickResponse;
  @ApiProperty({ type: StrategyPickResponse }) ntp_corrected!: StrategyPickResponse;
  @ApiProperty({ type: StrategyPickResponse }) log_order!: StrategyPickResponse;
  @ApiProperty({ type: StrategyPickResponse }) hlc!: StrategyPickResponse;
  @ApiProperty({ type: StrategyPickResponse }) truth!: StrategyPickResponse;
}

export class AuthoritativePickResponse {
  @ApiProperty({ format: 'uuid' }) attempt_id!: string;
  @ApiProperty() customer_name!: string;
  @ApiProperty({ enum: ['ntp_corrected', 'log_order'] }) decided_by!: string;
}

export class ConflictWitnessResponse {
  @ApiProperty({ type: [WitnessAttemptResponse] }) attempts!: WitnessAttemptResponse[];
  @ApiProperty({ type: StrategyWinnersResponse }) winners!: StrategyWinnersResponse;
  @ApiProperty({ type: AuthoritativePickResponse }) authoritative!: AuthoritativePickResponse;
  @ApiProperty() explanation!: string;
}

export class ConflictResponse {
  @ApiProperty({ example: 'seat-7' }) id!: string;
  @ApiProperty({ description: "'' for the live lab, else the scenario run id" }) run_id!: string;
  @ApiProperty() seat_id!: number;
  @ApiProperty({ type: [String], enum: ['contention', 'inversion', 'ambiguous'], isArray: true }) kinds!: string[];
  @ApiProperty({ type: [String] }) server_ids!: string[];
  @ApiProperty() attempts_count!: number;
  @ApiProperty({ type: ConflictWitnessResponse }) witness!: ConflictWitnessResponse;
  @ApiProperty() detected_position!: string;
}

export class ConflictListResponse {
  @ApiProperty({ type: [ConflictResponse] }) items!: ConflictResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}

export class TimelineAttemptResponse extends WitnessAttemptResponse {
  @ApiProperty({ enum: ['pending', 'won', 'lost'] }) outcome!: string;
  @ApiProperty({ nullable: true, type: String }) outcome_reason!: string | null;
}

export class SeatTimelineResponse {
  @ApiProperty() seat_id!: number;
  @ApiProperty({ type: [TimelineAttemptResponse], description: 'In log order' }) attempts!: TimelineAttemptResponse[];
  @ApiProperty({
    description: 'Attempt ids in order under each strategy',
    example: { server_clock: [], ntp_corrected: [], log_order: [], hlc: [], truth: [] },
  })
  orderings!: Record<string, string[]>;
  @ApiProperty({ type: StrategyWinnersResponse, nullable: true }) winners!: StrategyWinnersResponse | null;
  @ApiProperty({ type: AuthoritativePickResponse, nullable: true }) authoritative!: AuthoritativePickResponse | null;
  @ApiProperty({ type: [String] }) kinds!: string[];
  @ApiProperty({ nullable: true, type: String, description: 'The attempt holding the seat, once settled' })
  holder_attempt_id!: string | null;
}

export class StrategyAccuracyResponse {
  @ApiProperty() server_clock!: number;
  @ApiProperty() ntp_corrected!: number;
  @ApiProperty() log_order!: number;
  @ApiProperty() hlc!: number;
  @ApiProperty() truth!: number;
}

export class ConflictCountsResponse {
  @ApiProperty() contention!: number;
  @ApiProperty() inversion!: number;
  @ApiProperty() ambiguous!: number;
}

export class StatsResponse {
  @ApiProperty() attempts!: number;
  @ApiProperty() seats_with_attempts!: number;
  @ApiProperty() settled_seats!: number;
  @ApiProperty() contended_seats!: number;
  @ApiProperty({ type: ConflictCountsResponse }) conflicts!: ConflictCountsResponse;
  @ApiProperty({
    type: StrategyAccuracyResponse,
    description: "Share (0..1) of contended seats where the strategy's winner is the truly first attempt; 1 when none",
  })
  accuracy!: StrategyAccuracyResponse;
  @ApiProperty({ type: StrategyAccuracyResponse, description: 'Same as accuracy, as counts of correct seats' })
  correct_seats!: StrategyAccuracyResponse;
}
