import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { LoggerModule } from 'nestjs-pino';
import { AuthModule } from './auth/auth.module';
import { ClocksModule } from './clocks/clocks.module';
import { ClusterModule } from './cluster/cluster.module';
import { ConfigModule } from './config/config.module';
import type { AppConfig } from './config/environment';
import { StorageModule } from './database/storage.module';
import { HealthModule } from './health/health.module';
import { ReadModelModule } from './read-model/read-model.module';
import { ReservationsModule } from './reservations/reservations.module';
import { LiveModule } from './live/live.module';
import { ReplayModule } from './replay/replay.module';
import { SimulationRunsModule } from './simulation-runs/simulation-runs.module';

/** Wiring only. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.LOG_LEVEL,
            autoLogging: false,
            redact: ['req.headers.authorization'],
          },
        }),
        CqrsModule.forRoot(),
        AuthModule,
        StorageModule,
        ClusterModule,
        ClocksModule,
        ReadModelModule,
        ReservationsModule,
        ReplayModule,
        SimulationRunsModule,
        LiveModule,
        HealthModule,
      ],
    };
  }
}
