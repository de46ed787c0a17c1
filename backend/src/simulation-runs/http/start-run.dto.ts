import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { SCENARIO_NAMES } from '../../clocks/domain';
import { ScenarioRunClockOverride } from './run-clock-override';

/**
 * The body of POST /api/simulation/runs. Fields are checked by the run
 * domain's parser (one message per wrong field); this class lists them for
 * the whitelist and the OpenAPI document.
 */
export class StartRunDto {
  @ApiProperty({ type: String, enum: SCENARIO_NAMES, example: 'major_drift' })
  @IsOptional()
  scenario?: unknown;

  @ApiProperty({ type: Number, example: 42, description: 'Integer 0..2^32−1; same seed and parameters → same events' })
  @IsOptional()
  seed?: unknown;

  @ApiProperty({
    type: Number,
    example: 100,
    description: 'Seats 1..100000 (run-scoped: the live seats are not touched)',
  })
  @IsOptional()
  seats?: unknown;

  @ApiProperty({
    type: Number,
    example: 5,
    description: 'Concurrent attempts on each seat, 1..1000; seats × attempts ≤ 200000',
  })
  @IsOptional()
  attempts_per_seat?: unknown;

  @ApiProperty({
    type: Number,
    example: 1000,
    description: 'A seat’s attempts arrive within this many ms (reference time)',
  })
  @IsOptional()
  spread_ms?: unknown;

  @ApiPropertyOptional({
    type: Number,
    example: 5,
    description: 'Booking servers server-1..server-N (default BOOKING_SERVERS)',
  })
  @IsOptional()
  servers?: unknown;

  @ApiPropertyOptional({
    type: Number,
    example: 1000,
    description: 'Reference time between two seats’ bursts (default 1000)',
  })
  @IsOptional()
  seat_interval_ms?: unknown;

  @ApiPropertyOptional({
    type: Number,
    example: 2000,
    description: 'Settle a seat this long after its first attempt (default CONFLICT_WINDOW_MS)',
  })
  @IsOptional()
  conflict_window_ms?: unknown;

  @ApiPropertyOptional({
    type: Number,
    example: 60000,
    description: 'NTP exchange interval of each simulated server (default 60000)',
  })
  @IsOptional()
  sync_interval_ms?: unknown;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(ScenarioRunClockOverride) },
    description: 'What-if clocks over the scenario, keyed by server id or "*" for every server',
    example: { '*': { drift_ppm: 0 }, 'server-2': { offset_ms: 12000 } },
  })
  @IsOptional()
  overrides?: unknown;

  @ApiPropertyOptional({
    description: 'Name the run yourself (default: derived from the parameters)',
    example: 'demo-1',
  })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9_-]{0,47}$/, { message: 'run_id must be 1–48 characters of a-z, 0-9, _ or -' })
  @Matches(/^(?!session-[0-9]+$)/, {
    message: 'run_id session-<n> names a lab session (POST /api/lab/reset); pick another',
  })
  run_id?: string;
}
