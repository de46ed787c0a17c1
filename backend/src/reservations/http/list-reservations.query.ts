import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

export class ListReservationsQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'seat_id must be an integer' })
  @Min(1)
  @Max(2_147_483_647, { message: 'seat_id is out of range' })
  seat_id?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  server_id?: string;

  @ApiPropertyOptional({ enum: ['pending', 'won', 'lost'] })
  @IsOptional()
  @IsIn(['pending', 'won', 'lost'], { message: 'outcome must be one of pending, won, lost' })
  outcome?: 'pending' | 'won' | 'lost';

  @ApiPropertyOptional({ default: 100, maximum: 1000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer' })
  @Min(1)
  @Max(1000, { message: 'limit must be at most 1000' })
  limit?: number;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'offset must be an integer' })
  @Min(0)
  @Max(2_147_483_647, { message: 'offset must be at most 2147483647' })
  offset?: number;
}
