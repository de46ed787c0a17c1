import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

const UNBOUNDED_NOTE = 'an unbounded attempt (never synced, told never to sync, or stale) records 86,400,000 (one day)';

export class WitnessAttemptResponse {
  @ApiProperty({ format: 'uuid' }) attempt_id!: string;
  @ApiProperty() customer_name!: string;
  @ApiProperty() server_id!: string;
  @ApiProperty({ enum: ['confirmed', 'rejected'] }) local_decision!: string;
  @ApiProperty() server_time_ms!: number;
  @ApiProperty() estimated_offset_ms!: number;
  @ApiProperty({ description: `The bound on the corrected time's error; ${UNBOUNDED_NOTE}` }) error_bound_ms!: number;
  @ApiProperty() ntp_corrected_time_ms!: number;
  @ApiProperty() hlc!: string;
  @ApiProperty({ description: 'The truth (the lab only): it scores, it never decides' }) reference_time_ms!: number;
  @ApiProperty({
    description:
      'How far reference_time_ms may itself be off (the reference clock’s bound plus half the bracket it was read in; real clocks only, else 0; 86,400,000 when the reference was unsynced: the truth is unknown). A bound counts as violated only beyond it',
  })
  reference_uncertainty_ms!: number;
  @ApiProperty() log_position!: string;
  @ApiProperty({ nullable: true, type: Number, description: "The server's sync count when it stamped the attempt" })
  sync_epoch!: number | null;
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
  @ApiProperty({ type: StrategyPickResponse, description: 'The truly first attempt (the lab scores with it)' })
  truth!: StrategyPickResponse;
}

export class AuthoritativePickResponse {
  @ApiProperty({ format: 'uuid' }) attempt_id!: string;
  @ApiProperty() customer_name!: string;
  @ApiProperty({
    enum: ['ntp_corrected', 'log_order'],
    description: 'ntp_corrected: one attempt could be first; log_order: several could, time cannot tell',
  })
  decided_by!: string;
}

export class SeatWindowResponse {
  @ApiProperty() window_ms!: number;
  @ApiProperty({
    nullable: true,
    type: String,
    format: 'uuid',
    description: 'The attempt with the smallest c + b: the first attempt happened no later than that',
  })
  anchor_attempt_id!: string | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: "anchor's c + b + window_ms (epoch ms); null when no attempt has a bound",
  })
  closes_at_ms!: number | null;
}

export class ConflictWitnessResponse {
  @ApiProperty({ type: [WitnessAttemptResponse], description: 'In log order' }) attempts!: WitnessAttemptResponse[];
  @ApiPropertyOptional({ description: 'Attempts of the seat not listed (a hot seat lists its front-runners)' })
  attempts_omitted?: number;
  @ApiProperty({ type: StrategyWinnersResponse }) winners!: StrategyWinnersResponse;
  @ApiProperty({ type: [String], description: 'Attempt ids that could have been first' }) candidates!: string[];
  @ApiProperty({ type: AuthoritativePickResponse }) authoritative!: AuthoritativePickResponse;
  @ApiProperty({ type: SeatWindowResponse }) window!: SeatWindowResponse;
  @ApiProperty({ description: 'In words, naming the ordering that was actually wrong' }) explanation!: string;
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
  @ApiProperty({
    enum: ['candidate', 'competing', 'after_window', 'after_settlement'],
    description:
      'candidate: competes and could be first; competing: another attempt provably came first; after_window: provably made after the window closed; after_settlement: reached the log after the seat was decided',
  })
  role!: string;
  @ApiProperty({ nullable: true, type: Number, description: 'c − b, epoch ms; null when unbounded' })
  earliest_ms!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'c + b, epoch ms; null when unbounded' })
  latest_ms!: number | null;
  @ApiProperty({ description: 'Its server confirmed it locally, it lost, and the loss was recorded' })
  revoked!: boolean;
  @ApiProperty({ description: "A later sync found the server's clock had jumped past its bound (ClockStepDetected)" })
  out_of_bound!: boolean;
  @ApiProperty({
    description: 'The lab scores: the truth lay outside [c − b, c + b], widened by reference_uncertainty_ms',
  })
  bound_violated!: boolean;
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
  @ApiProperty({ type: [String] }) candidates!: string[];
  @ApiProperty({ type: SeatWindowResponse, nullable: true }) window!: SeatWindowResponse | null;
  @ApiProperty({ type: [String] }) kinds!: string[];
  @ApiProperty({ nullable: true, type: String, description: 'The attempt holding the seat, once settled' })
  holder_attempt_id!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Once settled, the log position the authority had read; later attempts did not compete',
  })
  considered_up_to!: string | null;
  @ApiProperty({
    nullable: true,
    enum: ['correct', 'ambiguous', 'bound_violation', 'late_arrival', 'unexplained'],
    description: 'The lab scores the holder: truly first, or what explains that it is not',
  })
  holder_verdict!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The same explanation a conflict carries' })
  explanation!: string | null;
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

export class AuthorityAccuracyResponse {
  @ApiProperty({
    description: 'Settled seats with two or more competing attempts, or whose holder was not truly first',
  })
  seats!: number;
  @ApiProperty({ description: 'Of those, held by the truly first attempt' }) correct!: number;
  @ApiProperty({ description: 'correct ÷ seats (1 when none)' }) accuracy!: number;
}

export class WrongHoldersResponse {
  @ApiProperty({ description: 'Time could not decide (flagged ambiguous) and log order picked another attempt' })
  ambiguous!: number;
  @ApiProperty({ description: 'A bound that mattered did not hold' }) bound_violation!: number;
  @ApiProperty({ description: 'The truly first attempt reached the log after the seat settled' }) late_arrival!: number;
  @ApiProperty({ description: 'None of the above: always 0 unless the rule itself is wrong' }) unexplained!: number;
}

export class ServerBoundsResponse {
  @ApiProperty() server_id!: string;
  @ApiProperty() attempts!: number;
  @ApiProperty({ description: 'Attempts whose true time lay outside their error interval (scored against truth)' })
  bound_violations!: number;
  @ApiProperty({ description: 'Attempts a later sync marked out of bound (a detected step)' }) out_of_bound!: number;
  @ApiProperty({ description: 'ClockStepDetected events of this server' }) steps_detected!: number;
}

export class StatsResponse {
  @ApiProperty() attempts!: number;
  @ApiProperty() seats_with_attempts!: number;
  @ApiProperty() settled_seats!: number;
  @ApiProperty({ description: 'Seats with two or more competing attempts' }) contended_seats!: number;
  @ApiProperty({ type: ConflictCountsResponse }) conflicts!: ConflictCountsResponse;
  @ApiProperty({
    type: StrategyAccuracyResponse,
    description:
      "Share (0..1) of contended seats where the strategy's own winner is the truly first attempt; 1 when none",
  })
  accuracy!: StrategyAccuracyResponse;
  @ApiProperty({ type: StrategyAccuracyResponse, description: 'Same as accuracy, as counts of correct seats' })
  correct_seats!: StrategyAccuracyResponse;
  @ApiProperty({
    type: AuthorityAccuracyResponse,
    description: 'The seat the lab assigned (NTP-corrected time, log order when time cannot decide) against the truth',
  })
  authority!: AuthorityAccuracyResponse;
  @ApiProperty({ type: WrongHoldersResponse, description: 'Settled seats whose holder was not truly first, by cause' })
  wrong_holders!: WrongHoldersResponse;
  @ApiProperty({ type: [ServerBoundsResponse] }) servers!: ServerBoundsResponse[];
}
