import { Injectable } from '@nestjs/common';
import { ofType, Saga, type ICommand, type IEvent } from '@nestjs/cqrs';
import { map, type Observable } from 'rxjs';
import { AssignSeatCommand } from './assign-seat.command';
import { SeatSettlementDue } from './seat-settlement-due.event';

/** Turns a settled seat into the resolution command, so the resolution itself lands in the log. */
@Injectable()
export class SeatResolutionSaga {
  @Saga()
  seatSettled = (events$: Observable<IEvent>): Observable<ICommand> =>
    events$.pipe(
      ofType(SeatSettlementDue),
      map((due) => new AssignSeatCommand(due.seatId, due.runId, due.winner, due.decidedBy, due.losers)),
    );
}
