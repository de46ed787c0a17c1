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
}
