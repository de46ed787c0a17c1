import { ApiProperty } from '@nestjs/swagger';

export class EventStoreHealth {
  @ApiProperty({ enum: ['eventstoredb', 'postgres', 'pglite'] }) kind!: string;
  @ApiProperty() reachable!: boolean;
  @ApiProperty({ nullable: true, type: String }) head_position!: string | null;
}

export class ReadModelHealth {
  @ApiProperty({ enum: ['postgres', 'pglite'] }) kind!: string;
  @ApiProperty() location!: string;
  @ApiProperty() reachable!: boolean;
  @ApiProperty() projected_position!: string;
  @ApiProperty({
    nullable: true,
    type: Number,
    description:
      'Events in the log not yet projected, counted up to 10,000 (a bigger lag reads as 10000); null when the event store does not answer',
  })
  lag_events!: number | null;
  @ApiProperty() caught_up!: boolean;
  @ApiProperty({ description: 'False while the projection fails and retries its batch' }) projecting!: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'Why the projection is failing, if it is' })
  last_error!: string | null;
}

export class HealthResponse {
  @ApiProperty({
    enum: ['ok', 'degraded', 'unavailable'],
    description: 'degraded: stores answer but the projection fails',
  })
  status!: 'ok' | 'degraded' | 'unavailable';
  @ApiProperty({ type: EventStoreHealth }) event_store!: EventStoreHealth;
  @ApiProperty({ type: ReadModelHealth }) read_model!: ReadModelHealth;
}

export class LivenessResponse {
  @ApiProperty({ enum: ['live'] }) status!: 'live';
  @ApiProperty({ description: 'Seconds since the process started' }) uptime_s!: number;
}

export class ReadinessResponse {
  @ApiProperty({ enum: ['ready', 'not_ready'] }) status!: 'ready' | 'not_ready';
  @ApiProperty() event_store_reachable!: boolean;
  @ApiProperty() read_model_reachable!: boolean;
  @ApiProperty({ description: 'False while the projection fails and retries its batch' }) projecting!: boolean;
  @ApiProperty({ type: [String], description: 'Why the process is not ready; empty when it is' }) reasons!: string[];
}
