import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { DataSource } from 'typeorm';
import type { PostgresConnection } from '../database/postgres-connection';
import type { EventStore } from '../event-store/event-store.port';
import type { ProjectionRunner } from '../read-model/projection-runner';
import {
  EVENT_STORE,
  POSTGRES_CONNECTION,
  PROJECTION_RUNNER,
  READ_MODEL_DATA_SOURCE,
} from '../reservations/application/tokens';
import { HealthResponse } from './health.response';
import { answersWithin } from '../shared/answers-within';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODEL_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(POSTGRES_CONNECTION) private readonly connection: PostgresConnection,
    @Inject(PROJECTION_RUNNER) private readonly runner: ProjectionRunner,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Which stores are in use, whether they answer, and how far the read model lags' })
  @ApiOkResponse({ type: HealthResponse })
  @ApiServiceUnavailableResponse({ type: HealthResponse })
  async health(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthResponse> {
    // ping() is bounded and never throws; the read model's probe needs the same guarantee.
    const [storeUp, readModelUp] = await Promise.all([
      this.store.ping(),
      answersWithin(() => this.dataSource.query('SELECT 1'), 1500),
    ]);
    const head = storeUp ? await this.store.headPosition().catch(() => null) : null;
    const projected = this.runner.projectedPosition;
    // A projection that keeps failing (its batch is retried forever) is as bad as a store that is down.
    const status = !storeUp || !readModelUp ? 'unavailable' : this.runner.healthy ? 'ok' : 'degraded';
    if (status !== 'ok') void reply.status(503);
    return {
      status,
      event_store: { kind: this.store.kind, reachable: storeUp, head_position: head?.toString() ?? null },
      read_model: {
        kind: this.connection.kind,
        location: this.connection.location,
        reachable: readModelUp,
        projected_position: projected.toString(),
        lag_events: head === null ? null : Number(head > projected ? head - projected : 0n),
        caught_up: head !== null && projected >= head,
        projecting: this.runner.healthy,
        last_error: this.runner.lastErrorMessage,
      },
    };
  }
}
