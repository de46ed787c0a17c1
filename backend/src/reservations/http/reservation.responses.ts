import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ReservationResponse {
  @ApiProperty({ format: 'uuid', description: 'Attempt id; follow the outcome with GET /api/reservations/{id}' })
  id!: string;
  @ApiProperty() seat_id!: number;
  @ApiProperty() customer_name!: string;
  @ApiProperty() server_id!: string;
  @ApiProperty({
    enum: ['confirmed', 'rejected'],
    description: "The booking server's immediate answer, from its own view",
  })
  status!: 'confirmed' | 'rejected';
  @ApiProperty({ enum: ['pending', 'won', 'lost'], description: 'Authoritative outcome once the seat settles' })
  outcome!: 'pending' | 'won' | 'lost';
  @ApiPropertyOptional({ nullable: true, type: String }) outcome_reason!: string | null;
  @ApiProperty({ description: "Booking server's skewed clock at receipt (ISO 8601)" }) server_time!: string;
  @ApiProperty({ description: 'Reference (true) time of receipt (ISO 8601)' }) reference_time!: string;
  @ApiProperty({ description: 'Server time minus its NTP offset estimate (ISO 8601)' }) ntp_corrected_time!: string;
  @ApiProperty() error_bound_ms!: number;
  @ApiProperty({ description: 'Global log position of the attempt event' }) log_position!: string;
  @ApiProperty({ description: 'When the attempt was recorded (server time, ISO 8601)' }) created_at!: string;
}

export class SeatHolderResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() customer_name!: string;
  @ApiProperty() server_id!: string;
  @ApiProperty({ description: 'Ordering that decided: ntp_corrected, or log_order when time could not' })
  decided_by!: string;
}

export class SeatResponse {
  @ApiProperty() id!: number;
  @ApiProperty() is_available!: boolean;
  @ApiProperty({
    enum: ['free', 'pending', 'taken'],
    description: 'pending: attempts recorded, conflict window still open',
  })
  status!: 'free' | 'pending' | 'taken';
  @ApiPropertyOptional({ type: SeatHolderResponse, nullable: true }) reservation!: SeatHolderResponse | null;
  @ApiProperty() attempts_count!: number;
  @ApiProperty({ type: [String], description: 'contention, inversion, ambiguous' }) conflict_kinds!: string[];
}

export class ReservationListResponse {
  @ApiProperty({ type: [ReservationResponse] }) items!: ReservationResponse[];
  @ApiProperty() total!: number;
  @ApiProperty() limit!: number;
  @ApiProperty() offset!: number;
}
