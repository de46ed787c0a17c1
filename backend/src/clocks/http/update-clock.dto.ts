import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsNumber, Max, Min, ValidateIf } from 'class-validator';

const DAY_MS = 86_400_000;
/** Omitted is fine; null is not (it would erase the value), so null still goes through validation. */
const IsOmittable = () => ValidateIf((_object: unknown, value: unknown) => value !== undefined);
const number = (field: string) => ({
  message: `${field} must be a finite number`,
  allowNaN: false,
  allowInfinity: false,
});

/** A runtime change of one booking server's clock; omitted fields keep their value. */
export class UpdateClockDto {
  @ApiPropertyOptional({ minimum: -DAY_MS, maximum: DAY_MS })
  @IsOmittable()
  @IsNumber({ allowNaN: false, allowInfinity: false }, number('offset_ms'))
  @Min(-DAY_MS, { message: 'offset_ms must be within ±1 day (±86400000 ms)' })
  @Max(DAY_MS, { message: 'offset_ms must be within ±1 day (±86400000 ms)' })
  offset_ms?: number;

  @ApiPropertyOptional({ minimum: -1000, maximum: 1000 })
  @IsOmittable()
  @IsNumber({ allowNaN: false, allowInfinity: false }, number('drift_ppm'))
  @Min(-1000, { message: 'drift_ppm must be within ±1000 ppm' })
  @Max(1000, { message: 'drift_ppm must be within ±1000 ppm' })
  drift_ppm?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 60000 })
  @IsOmittable()
  @IsNumber({ allowNaN: false, allowInfinity: false }, number('jitter_ms'))
  @Min(0, { message: 'jitter_ms must not be negative' })
  @Max(60_000, { message: 'jitter_ms must be at most 60000' })
  jitter_ms?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 60000 })
  @IsOmittable()
  @IsNumber({ allowNaN: false, allowInfinity: false }, number('outbound_delay_ms'))
  @Min(0, { message: 'outbound_delay_ms must not be negative' })
  @Max(60_000, { message: 'outbound_delay_ms must be at most 60000' })
  outbound_delay_ms?: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 60000 })
  @IsOmittable()
  @IsNumber({ allowNaN: false, allowInfinity: false }, number('inbound_delay_ms'))
  @Min(0, { message: 'inbound_delay_ms must not be negative' })
  @Max(60_000, { message: 'inbound_delay_ms must be at most 60000' })
  inbound_delay_ms?: number;

  @ApiPropertyOptional()
  @IsOmittable()
  @IsBoolean({ message: 'never_syncs must be true or false' })
  never_syncs?: boolean;
}
