import { Module } from '@nestjs/common';
import { ReservationsModule } from '../reservations/reservations.module';
import { SimulationRunsService } from './application/simulation-runs.service';
import { SimulationRunsController } from './http/simulation-runs.controller';

/** Seeded scenario runs: generated on a virtual clock, appended to the log, reported from the read model. */
@Module({
  imports: [ReservationsModule],
  controllers: [SimulationRunsController],
  providers: [SimulationRunsService],
  exports: [SimulationRunsService],
})
export class SimulationRunsModule {}
