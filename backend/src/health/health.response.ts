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
}

export class HealthResponse {
  @ApiProperty({ enum: ['ok', 'unavailable'] }) status!: 'ok' | 'unavailable';
  @ApiProperty({ type: EventStoreHealth }) event_store!: EventStoreHealth;
  @ApiProperty({ type: ReadModelHealth }) read_model!: ReadModelHealth;
}
