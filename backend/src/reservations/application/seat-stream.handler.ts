import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { deterministicUuid } from '../../shared/deterministic-uuid';
import {
  EventStoreUnavailableError,
  WrongExpectedVersionError,
  type EventStore,
} from '../../event-store/event-store.port';
import { decideSeat, initialSeatState } from '../domain/seat-decider';
import type { SeatEvent } from '../domain/seat-events';
import { seatStreamId } from '../domain/streams';
import { loadSeat, toStoredEvents } from './seat-repository';
import { SeatStreamCommand, type SeatStreamResult } from './seat-stream.command';
import { EVENT_STORE } from './tokens';

/**
 * Named after what they are, so a re-sent append (a lost answer, another node
 * deciding the same) appends nothing twice. An assignment is named after its
 * holder too: a rival assignment (another winner) is then not taken for a
 * re-send of this one, and fails on the stream's revision instead.
 */
const eventIdOf = (streamId: string) => (event: SeatEvent) =>
  event.type === 'SeatAssigned'
    ? deterministicUuid(streamId, 'assigned', event.data.attemptId)
    : deterministicUuid(streamId, 'revoked', event.data.attemptId);

/**
 * Appends a seat-stream decision with the stream's revision as guard: when two
 * authorities decide at once, one append wins and the other re-reads the
 * stream, finds the seat assigned and appends nothing (no spinning: it gives
 * up after a few rounds and lets the log tell it what happened).
 *
 * An assignment is only decided for a seat its authority saw unassigned, so
 * its first round expects the seat stream to be empty and appends without
 * reading it (a read per settled seat was most of the write path's
 * statements on PGlite). A stream holding another decision fails that append,
 * and the next round reads it and decides again; the very same decision sent
 * again (its answer was lost) is an idempotent re-send and counts as appended.
 */
@CommandHandler(SeatStreamCommand)
export class SeatStreamHandler implements ICommandHandler<SeatStreamCommand, SeatStreamResult> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async execute({ command, session }: SeatStreamCommand): Promise<SeatStreamResult> {
    const streamId = seatStreamId(command.seatId, command.runId, session);
    for (let round = 0; ; round += 1) {
      const assumesEmpty = round === 0 && command.type === 'AssignSeat';
      const { state, expectedRevision } = assumesEmpty
        ? { state: initialSeatState(command.seatId), expectedRevision: 'no_stream' as const }
        : await loadSeat(this.store, command.seatId, command.runId, session);
      const events = decideSeat(command, state);
      if (events.length === 0) return { appended: 0 };
      try {
        await this.store.append(streamId, toStoredEvents(events, eventIdOf(streamId)), { expectedRevision });
        return { appended: events.length };
      } catch (error) {
        // Assumed empty but not: a wrong revision, or (a re-sent assignment with other losers) ids
        // stored by an earlier append. Reading the stream tells which; only an outage is final.
        if (assumesEmpty && !(error instanceof EventStoreUnavailableError)) continue;
        if (!(error instanceof WrongExpectedVersionError) || round >= 3) throw error;
      }
    }
  }
}
