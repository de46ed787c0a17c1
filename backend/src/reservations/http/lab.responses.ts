import { ApiProperty } from '@nestjs/swagger';

export class LabResetResponse {
  @ApiProperty({ example: 'session-2', description: 'The session that starts now (every seat free)' })
  session_id!: string;
  @ApiProperty({ example: 'session-1', description: 'The session that ended; read it with run_id=<this id>' })
  previous_session_id!: string;
  @ApiProperty({ format: 'date-time', description: "When the reset happened (the lab's reference time)" })
  started_at!: string;
}

export class LabSessionResponse {
  @ApiProperty({ example: 'session-1' }) session_id!: string;
  @ApiProperty({ format: 'date-time', description: 'Session 1 begins with its first attempt' })
  started_at!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'null for the current session' })
  ended_at!: string | null;
  @ApiProperty() attempts!: number;
  @ApiProperty() seats_taken!: number;
}

export class LabSessionListResponse {
  @ApiProperty({ type: [LabSessionResponse] }) items!: LabSessionResponse[];
}
