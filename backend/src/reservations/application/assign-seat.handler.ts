import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { WrongExpectedVersionError, type EventStore } from '../../event-store/event-store.port';
import { decide } from '../domain/seat-decider';
import { seatStreamId } from '../domain/streams';
import { AssignSeatCommand, type AssignSeatResult } from './assign-seat.command';
import { loadSeat, toStoredEvents } from './seat-repository';
import { EVENT_STORE } from './tokens';

/**
 * Appends the resolution with the seat stream's revision as guard: when two
 * processes resolve the same seat at once, one append wins and the other
 * re-reads the stream, finds the seat assigned and appends nothing.
 */
@CommandHandler(AssignSeatCommand)
export class AssignSeatHandler implements ICommandHandler<AssignSeatCommand, AssignSeatResult> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute(command: AssignSeatCommand): Promise<AssignSeatResult> {
    for (let attempt = 0; ; attempt += 1) {
      const { state, expectedRevision } = await loadSeat(this.store, command.seatId, command.runId);
      const events = decide(
        {
          type: 'AssignSeat',
          seatId: command.seatId,
          winner: command.winner,
          decidedBy: command.decidedBy,
          losers: command.losers,
          runId: command.runId,
        },
        state,
      );
      if (events.length === 0) return { assigned: false, revoked: 0 };
      try {
        await this.store.append(seatStreamId(command.seatId, command.runId), toStoredEvents(events), {
          expectedRevision,
        });
        return { assigned: true, revoked: events.length - 1 };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError) || attempt >= 3) throw error;
      }
    }
  }
}
