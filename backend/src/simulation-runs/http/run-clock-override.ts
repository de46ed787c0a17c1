import { ApiPropertyOptional } from '@nestjs/swagger';

/**
 * A what-if change to one simulated server's clock, keyed by server id (or
 * "*" for every server) in a run's `overrides`. The same shape goes in (the
 * request, checked by the run parser) and comes back (only the fields given).
 */
export class ScenarioRunClockOverride {
  @ApiPropertyOptional({ description: '−3600000..3600000; positive = server ahead' }) offset_ms?: number;
  @ApiPropertyOptional({ description: '−100000..100000' }) drift_ppm?: number;
  @ApiPropertyOptional({ description: '0..60000' }) jitter_ms?: number;
  @ApiPropertyOptional({ description: 'One-way delay server → NTP reference, 0..60000' }) outbound_delay_ms?: number;
  @ApiPropertyOptional({ description: 'One-way delay NTP reference → server, 0..60000' }) inbound_delay_ms?: number;
  @ApiPropertyOptional() never_syncs?: boolean;
  @ApiPropertyOptional({ description: 'Booking server → event store delay, 0..60000 (log order is measured)' })
  log_delay_ms?: number;
  @ApiPropertyOptional({ description: 'Each event adds a uniform 0..log_delay_jitter_ms, 0..60000' })
  log_delay_jitter_ms?: number;
}
