import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { NtpSourceResponse } from './reference-clock.responses';

export class ClockConfigResponse {
  @ApiProperty() server_id!: string;
  @ApiProperty({ description: 'Constant offset, server − reference; positive = ahead' }) offset_ms!: number;
  @ApiProperty() drift_ppm!: number;
  @ApiProperty() jitter_ms!: number;
  @ApiProperty({ description: 'One-way delay server → NTP reference' }) outbound_delay_ms!: number;
  @ApiProperty({ description: 'One-way delay NTP reference → server' }) inbound_delay_ms!: number;
  @ApiProperty() never_syncs!: boolean;
  @ApiPropertyOptional({ nullable: true, type: Object, description: '{ at_ms, by_ms } when the clock steps' })
  step!: { at_ms: number; by_ms: number } | null;
  @ApiPropertyOptional({
    nullable: true,
    type: Object,
    description: '{ period_ms, alt_offset_ms } when the offset flips',
  })
  strobe!: { period_ms: number; alt_offset_ms: number } | null;
  @ApiProperty({ enum: ['scenario', 'manual'] }) source!: string;
  @ApiProperty({ nullable: true, type: String }) scenario!: string | null;
  @ApiProperty({ nullable: true, type: Number }) seed!: number | null;
}

export class TimeStatusResponse {
  @ApiProperty() server_id!: string;
  @ApiProperty({ description: "The server's (skewed) clock, ISO 8601" }) server_time!: string;
  @ApiProperty() server_time_ms!: number;
  @ApiProperty({ description: 'Reference time, ISO 8601' }) reference_time!: string;
  @ApiProperty() reference_time_ms!: number;
  @ApiProperty({ description: 'What the server is really off by now (offset + drift + step)' }) true_offset_ms!: number;
  @ApiProperty({ type: ClockConfigResponse }) configured!: ClockConfigResponse;
  @ApiProperty({ nullable: true, type: Number, description: 'NTP estimate of the offset; null before the first sync' })
  estimated_offset_ms!: number | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'null = unbounded: its attempts cannot be placed in time (see sync_state for why)',
  })
  error_bound_ms!: number | null;
  @ApiProperty({ description: 'Bounded: a sync recent enough, not told never to sync' }) is_synchronized!: boolean;
  @ApiProperty({
    enum: ['synchronized', 'never_synchronized', 'never_syncs', 'clock_replaced', 'stale'],
    description:
      'never_syncs: told never to sync (unbounded from that moment); clock_replaced: a scenario replaced the clock since its last sync; stale: its last sync is older than ten sync intervals',
  })
  sync_state!: string;
  @ApiProperty({ nullable: true, type: String }) last_sync_at!: string | null;
  @ApiProperty({ nullable: true, type: String }) next_sync_due!: string | null;
  @ApiProperty({ type: NtpSourceResponse, description: 'The reference clock: state, offset, uncertainty, sources' })
  ntp_source!: NtpSourceResponse;
}

export class SyncResultResponse {
  @ApiProperty() server_id!: string;
  @ApiProperty({ description: 'Client transmit, server clock' }) t1_ms!: number;
  @ApiProperty({ description: 'Reference receive' }) t2_ms!: number;
  @ApiProperty({ description: 'Reference transmit' }) t3_ms!: number;
  @ApiProperty({ description: 'Client receive, server clock' }) t4_ms!: number;
  @ApiProperty({ description: 'θ = ((t2 − t1) + (t3 − t4)) / 2' }) offset_ms!: number;
  @ApiProperty({ description: 'δ = (t4 − t1) − (t3 − t2)' }) delay_ms!: number;
  @ApiProperty() error_bound_ms!: number;
  @ApiProperty({ nullable: true, type: Number }) estimated_offset_before_ms!: number | null;
  @ApiProperty() estimated_offset_after_ms!: number;
  @ApiProperty() true_offset_ms!: number;
  @ApiProperty() synced_at!: string;
  @ApiProperty({
    nullable: true,
    type: Number,
    description:
      'Set when this sync found the clock had jumped past its previous bound (ClockStepDetected): the jump, ms',
  })
  step_detected_ms!: number | null;
}

export class ClockHistoryEntryResponse {
  @ApiProperty() server_id!: string;
  @ApiProperty({ enum: ['configured', 'synchronized'] }) kind!: string;
  @ApiProperty() at!: string;
  @ApiProperty() reference_time_ms!: number;
  @ApiProperty({ description: 'What the server was really off by' }) true_offset_ms!: number;
  @ApiProperty({ nullable: true, type: Number }) estimated_offset_ms!: number | null;
  @ApiProperty({ nullable: true, type: Number }) error_bound_ms!: number | null;
  @ApiProperty({ nullable: true, type: Number }) offset_ms!: number | null;
  @ApiProperty({ nullable: true, type: Number }) delay_ms!: number | null;
  @ApiProperty({ nullable: true, type: Number }) drift_ppm!: number | null;
  @ApiProperty({ nullable: true, type: String }) scenario!: string | null;
  @ApiProperty() log_position!: string;
}

export class ScenarioResponse {
  @ApiProperty() name!: string;
  @ApiProperty() description!: string;
}

export class AppliedScenarioResponse {
  @ApiProperty() scenario!: string;
  @ApiProperty() seed!: number;
  @ApiProperty({ type: [ClockConfigResponse] }) servers!: ClockConfigResponse[];
}
