/** Runs the projections from the global log into the Postgres read model. */
import {
  Global,
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { APP_CONFIG } from '../config/config.tokens';
import type { AppConfig } from '../config/environment';
import type { EventStore } from '../event-store/event-store.port';
import { ClockProjection } from '../clocks/projections/clock-projection';
import { SeatProjection } from '../reservations/projections/seat-projection';
import type { PostgresConnection } from '../database/postgres-connection';
import {
  EVENT_STORE,
  POSTGRES_CONNECTION,
  PROJECTION_RUNNER,
  READ_MODEL_DATA_SOURCE,
} from '../reservations/application/tokens';
import { ProjectionRunner } from './projection-runner';

const logger = new Logger('Projections');
const PGLITE_REBUILD_PAUSE_MS = 50;

@Global()
@Module({
  providers: [
    {
      provide: PROJECTION_RUNNER,
      inject: [EVENT_STORE, READ_MODEL_DATA_SOURCE, APP_CONFIG, POSTGRES_CONNECTION],
      useFactory: (store: EventStore, dataSource: DataSource, config: AppConfig, connection: PostgresConnection) =>
        new ProjectionRunner(
          store,
          dataSource,
          [new SeatProjection(config.CONFLICT_WINDOW_MS), new ClockProjection()],
          {
            // PGlite is one backend: a rebuild's batches stall everything else, so it leaves room between them.
            rebuildPauseMs: connection.kind === 'pglite' ? PGLITE_REBUILD_PAUSE_MS : 0,
            onNotice: (notice) => logger.warn(notice),
            onError: (error) =>
              logger.error(`projection batch failed: ${error instanceof Error ? error.message : String(error)}`),
          },
        ),
    },
  ],
  exports: [PROJECTION_RUNNER],
})
export class ReadModelModule implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(PROJECTION_RUNNER) private readonly runner: ProjectionRunner) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.runner.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.runner.stop();
  }
}
