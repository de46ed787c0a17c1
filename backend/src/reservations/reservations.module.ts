import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AssignSeatHandler } from './application/assign-seat.handler';
import { AttemptReservationHandler } from './application/attempt-reservation.handler';
import { ReservationQueries } from './application/reservation-queries';
import { SeatResolutionSaga } from './application/seat-resolution.saga';
import { SettlementScheduler } from './application/settlement-scheduler';
import { ReservationsController } from './http/reservations.controller';
import { SeatsController } from './http/seats.controller';

@Module({
  imports: [CqrsModule],
  controllers: [SeatsController, ReservationsController],
  providers: [
    AttemptReservationHandler,
    AssignSeatHandler,
    SeatResolutionSaga,
    SettlementScheduler,
    ReservationQueries,
  ],
  exports: [SettlementScheduler, ReservationQueries],
})
export class ReservationsModule {}
