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
    description: 'Log positions between head and projection (events on Postgres; a byte-offset gap on EventStoreDB)',
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
