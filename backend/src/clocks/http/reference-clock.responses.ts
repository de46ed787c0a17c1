import { ApiProperty } from '@nestjs/swagger';
import { NTP_KEY_TYPES } from '../ntp/auth/ntp-symmetric-key';
import { NTP_SOURCE_REJECTIONS } from '../ntp/ntp-reference-status';

export class NtpSourceReportResponse {
  @ApiProperty({ description: 'host:port of one NTP_SERVER entry' }) server!: string;
  @ApiProperty({
    enum: ['pending', 'selected', 'rejected'],
    description: 'selected = took part in the combined offset of the last sync; pending = not queried yet',
  })
  status!: string;
  @ApiProperty({
    nullable: true,
    type: String,
    enum: NTP_SOURCE_REJECTIONS,
    description:
      'Why it was not used: its query failed (timeout, kiss-of-death, mac-invalid…), a sanity check refused it (panic-threshold, max-change) or selection dropped it (falseticker, no-majority)',
  })
  reason!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'The rejection in words, or why a selected answer was kept out (looser than the held estimate)',
  })
  detail!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'θ of its best sample, also when rejected' })
  offset_ms!: number | null;
  @ApiProperty({ nullable: true, type: Number }) round_trip_delay_ms!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'λ: the true offset lies within θ ± λ' })
  root_distance_ms!: number | null;
  @ApiProperty({ nullable: true, type: Number }) stratum!: number | null;
  @ApiProperty({ description: 'Its reply carried a valid MAC of the configured key' }) authenticated!: boolean;
  @ApiProperty({ description: 'Datagrams ignored while waiting for its replies (junk, spoofed, unauthenticated)' })
  ignored_datagrams!: number;
}

export class NtpAuthenticationResponse {
  @ApiProperty({ description: 'NTP_KEY_ID' }) key_id!: number;
  @ApiProperty({ enum: NTP_KEY_TYPES }) type!: string;
}

export class NtpSourceResponse {
  @ApiProperty({ description: 'NTP_SERVER the reference clock is disciplined by (one or several, comma-separated)' })
  server!: string;
  @ApiProperty({
    enum: ['synchronized', 'holdover', 'unsynced'],
    description:
      'holdover: the last syncs failed; the reference keeps the last offset with a growing uncertainty. unsynced: never synchronised, the host clock stands in',
  })
  state!: string;
  @ApiProperty({ description: 'state = synchronized' }) synchronized!: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'Why the last sync failed (holdover, unsynced)' })
  reason!: string | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Added to the host clock now (NTP − host); null when unsynced',
  })
  offset_ms!: number | null;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Bound on the reference error against NTP time now; grows in holdover; null when unsynced',
  })
  uncertainty_ms!: number | null;
  @ApiProperty({ nullable: true, type: Number }) round_trip_delay_ms!: number | null;
  @ApiProperty({ nullable: true, type: Number }) stratum!: number | null;
  @ApiProperty({ nullable: true, type: String }) last_sync_at!: string | null;
  @ApiProperty({ nullable: true, type: String }) last_attempt_at!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'When holdover began' }) holdover_since!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: 'How long the reference has been in holdover' })
  holdover_ms!: number | null;
  @ApiProperty({
    description: 'Part of the last correction still being slewed in (signed); the reference never steps once in use',
  })
  slew_remaining_ms!: number;
  @ApiProperty({ description: 'NTP_MAX_SLEW_PPM: the slew rate' }) max_slew_ppm!: number;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'Rate of the offset measured across syncs (used in holdover); null until measured',
  })
  frequency_ppm!: number | null;
  @ApiProperty({ nullable: true, type: NtpAuthenticationResponse, description: 'Symmetric key in use, or null' })
  authentication!: NtpAuthenticationResponse | null;
  @ApiProperty({ type: [NtpSourceReportResponse] }) sources!: NtpSourceReportResponse[];
}
