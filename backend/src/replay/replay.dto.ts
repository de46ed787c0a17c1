import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { RUN_ID_PATTERN } from '../simulation-runs/domain';

const RUN_ID_MAX_LENGTH = 48;

export class StartReplayDto {
  @ApiPropertyOptional({
    description: 'Replay only this scenario run (an id as the runs API gives it); omit to rebuild every read model',
    pattern: RUN_ID_PATTERN.source,
    maxLength: RUN_ID_MAX_LENGTH,
  })
  @IsOptional()
  @IsString({ message: 'run_id must be a string' })
  @IsNotEmpty({ message: 'run_id must not be empty' })
  @MaxLength(RUN_ID_MAX_LENGTH, { message: `run_id must be at most ${RUN_ID_MAX_LENGTH} characters` })
  @Matches(RUN_ID_PATTERN, {
    message: 'run_id must be a run id: lower-case letters, digits, - and _, starting with a letter or digit',
  })
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
