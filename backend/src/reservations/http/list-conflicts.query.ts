import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

export class ListConflictsQuery {
  @ApiPropertyOptional({ enum: ['contention', 'inversion', 'ambiguous'] })
  @IsOptional()
  @IsIn(['contention', 'inversion', 'ambiguous'], { message: 'kind must be one of contention, inversion, ambiguous' })
  kind?: 'contention' | 'inversion' | 'ambiguous';

  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'seat_id must be an integer' })
  @Min(1, { message: 'seat_id must be at least 1' })
  @Max(2_147_483_647, { message: 'seat_id is out of range' })
  seat_id?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  server_id?: string;

  @ApiPropertyOptional({ description: 'Scenario run id; omitted = the live lab' })
  @IsOptional()
  @IsString()
  run_id?: string;

  @ApiPropertyOptional({ default: 50, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1, { message: 'limit must be at least 1' })
  @Max(500, { message: 'limit must be at most 500' })
  limit?: number;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'offset must be an integer' })
  @Min(0, { message: 'offset must be at least 0' })
  @Max(2_147_483_647, { message: 'offset must be at most 2147483647' })
  offset?: number;
}
