import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AttemptReservationHandler } from './application/attempt-reservation.handler';
import { ConflictQueries } from './application/conflict-queries';
import { ReservationQueries } from './application/reservation-queries';
import { SeatStreamHandler } from './application/seat-stream.handler';
import { LabSessions } from './application/lab-sessions';
import { SettlementProcess } from './application/settlement-process';
import { ConflictsController } from './http/conflicts.controller';
import { LabController } from './http/lab.controller';
import { ReservationsController } from './http/reservations.controller';
import { SeatsController } from './http/seats.controller';

@Module({
  imports: [CqrsModule],
  controllers: [SeatsController, ReservationsController, ConflictsController, LabController],
  providers: [
    AttemptReservationHandler,
    SeatStreamHandler,
    SettlementProcess,
    LabSessions,
    ReservationQueries,
    ConflictQueries,
  ],
  exports: [SettlementProcess, LabSessions, ReservationQueries, ConflictQueries],
})
export class ReservationsModule {}
