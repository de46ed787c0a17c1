import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString } from 'class-validator';

export class StartReplayDto {
  @ApiPropertyOptional({
    description: 'Replay only this scenario run; omit to rebuild every read model from position 0',
  })
  @IsOptional()
  @IsString({ message: 'run_id must be a string' })
  @IsNotEmpty({ message: 'run_id must not be empty' })
  run_id?: string;
}

export class ReplayJobResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ nullable: true, type: String }) run_id!: string | null;
  @ApiProperty({ enum: ['running', 'completed', 'failed'] }) status!: string;
  @ApiProperty() processed_events!: number;
  @ApiProperty({ description: 'Share of the log covered, 0..1' }) progress!: number;
  @ApiProperty() position!: string;
  @ApiProperty() head_position!: string;
  @ApiProperty() started_at!: string;
  @ApiProperty({ nullable: true, type: String }) finished_at!: string | null;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
}
