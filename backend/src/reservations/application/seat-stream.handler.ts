import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { deterministicUuid } from '../../shared/deterministic-uuid';
import { WrongExpectedVersionError, type EventStore } from '../../event-store/event-store.port';
import { decideSeat } from '../domain/seat-decider';
import type { SeatEvent } from '../domain/seat-events';
import { seatStreamId } from '../domain/streams';
import { loadSeat, toStoredEvents } from './seat-repository';
import { SeatStreamCommand, type SeatStreamResult } from './seat-stream.command';
import { EVENT_STORE } from './tokens';

/** Named after what they are, so a re-sent append (a lost answer, another node) appends nothing twice. */
const eventIdOf = (streamId: string) => (event: SeatEvent) =>
  event.type === 'SeatAssigned'
    ? deterministicUuid(streamId, 'assigned')
    : deterministicUuid(streamId, 'revoked', event.data.attemptId);

/**
 * Appends a seat-stream decision with the stream's revision as guard: when two
 * authorities decide at once, one append wins and the other re-reads the
 * stream, finds the seat assigned and appends nothing (no spinning: it gives
 * up after a few rounds and lets the log tell it what happened).
 */
@CommandHandler(SeatStreamCommand)
export class SeatStreamHandler implements ICommandHandler<SeatStreamCommand, SeatStreamResult> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ command, session }: SeatStreamCommand): Promise<SeatStreamResult> {
    const streamId = seatStreamId(command.seatId, command.runId, session);
    for (let round = 0; ; round += 1) {
      const { state, expectedRevision } = await loadSeat(this.store, command.seatId, command.runId, session);
      const events = decideSeat(command, state);
      if (events.length === 0) return { appended: 0 };
      try {
        await this.store.append(streamId, toStoredEvents(events, eventIdOf(streamId)), { expectedRevision });
        return { appended: events.length };
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError) || round >= 3) throw error;
      }
    }
  }
}
