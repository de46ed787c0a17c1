import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { PostgresConnection } from '../database/postgres-connection';
import type { EventStore } from '../event-store/event-store.port';
import type { ProjectionRunner } from '../read-model/projection-runner';
import { EVENT_STORE, POSTGRES_CONNECTION, PROJECTION_RUNNER } from '../reservations/application/tokens';
import { HealthResponse, LivenessResponse, ReadinessResponse } from './health.response';
import { StoreProbe } from './store-probe';

/** /health counts the lag exactly up to this many events; a bigger lag reads as this number. */
export const LAG_COUNT_LIMIT = 10_000;

const startedAt = Date.now();

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(POSTGRES_CONNECTION) private readonly connection: PostgresConnection,
    @Inject(PROJECTION_RUNNER) private readonly runner: ProjectionRunner,
    private readonly probe: StoreProbe,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Which stores are in use, whether they answer, and how far the read model lags' })
  @ApiOkResponse({ type: HealthResponse })
  @ApiServiceUnavailableResponse({ type: HealthResponse })
  async health(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthResponse> {
    const reachable = await this.probe.reachable();
    const projected = this.runner.projectedPosition;
    const [head, lagEvents] = reachable.eventStore
      ? await Promise.all([
          this.store.headPosition().catch(() => null),
          this.store.countEventsAfter(projected, LAG_COUNT_LIMIT).catch(() => null),
        ])
      : [null, null];
    // A projection that keeps failing (its batch is retried forever) is as bad as a store that is down.
    const status =
      !reachable.eventStore || !reachable.readModel ? 'unavailable' : this.runner.healthy ? 'ok' : 'degraded';
    if (status !== 'ok') void reply.status(503);
    return {
      status,
      event_store: { kind: this.store.kind, reachable: reachable.eventStore, head_position: head?.toString() ?? null },
      read_model: {
        kind: this.connection.kind,
        location: this.connection.location,
        reachable: reachable.readModel,
        projected_position: projected.toString(),
        lag_events: lagEvents,
        caught_up: head !== null && projected >= head,
        projecting: this.runner.healthy,
        last_error: this.runner.lastErrorMessage,
      },
    };
  }

  @Get('live')
  @ApiOperation({
    summary: 'Liveness: the process answers (touches no store)',
    description: 'For a supervisor deciding whether to restart the process; a database outage does not fail it.',
  })
  @ApiOkResponse({ type: LivenessResponse })
  live(): LivenessResponse {
    return { status: 'live', uptime_s: Math.round((Date.now() - startedAt) / 1000) };
  }

  @Get('ready')
  @ApiOperation({
    summary: 'Readiness: both stores answer and the projection is not failing',
    description: 'For a load balancer deciding whether to send traffic here; 503 with the reasons otherwise.',
  })
  @ApiOkResponse({ type: ReadinessResponse })
  @ApiServiceUnavailableResponse({ type: ReadinessResponse })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<ReadinessResponse> {
    const reachable = await this.probe.reachable();
    const reasons = [
      ...(reachable.eventStore ? [] : [`the event store (${this.store.kind}) does not answer`]),
      ...(reachable.readModel ? [] : [`the read model (${this.connection.kind}) does not answer`]),
      ...(this.runner.healthy ? [] : [`the projection is failing: ${this.runner.lastErrorMessage ?? 'unknown error'}`]),
    ];
    if (reasons.length > 0) void reply.status(503);
    return {
      status: reasons.length === 0 ? 'ready' : 'not_ready',
      event_store_reachable: reachable.eventStore,
      read_model_reachable: reachable.readModel,
      projecting: this.runner.healthy,
      reasons,
    };
  }
}
