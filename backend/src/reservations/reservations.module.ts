import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { ConflictQueries } from './application/conflict-queries';
import { AssignSeatHandler } from './application/assign-seat.handler';
import { AttemptReservationHandler } from './application/attempt-reservation.handler';
import { ReservationQueries } from './application/reservation-queries';
import { SeatResolutionSaga } from './application/seat-resolution.saga';
import { SettlementScheduler } from './application/settlement-scheduler';
import { ConflictsController } from './http/conflicts.controller';
import { ReservationsController } from './http/reservations.controller';
import { SeatsController } from './http/seats.controller';

@Module({
  imports: [CqrsModule],
  controllers: [SeatsController, ReservationsController, ConflictsController],
  providers: [
    AttemptReservationHandler,
    AssignSeatHandler,
    SeatResolutionSaga,
    SettlementScheduler,
    ReservationQueries,
    ConflictQueries,
  ],
  exports: [SettlementScheduler, ReservationQueries, ConflictQueries],
})
export class ReservationsModule {}
