import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import type { EventStore } from '../../event-store/event-store.port';
import type { BookingServerClocks } from '../domain/clock-reading';
import { decide } from '../domain/seat-decider';
import type { ReservationAttempted } from '../domain/seat-events';
import { attemptStreamId } from '../domain/streams';
import { AttemptReservationCommand, type AttemptReservationResult } from './attempt-reservation.command';
import { loadSeat, toStoredEvents } from './seat-repository';
import { BOOKING_SERVER_CLOCKS, EVENT_STORE } from './tokens';

@CommandHandler(AttemptReservationCommand)
export class AttemptReservationHandler implements ICommandHandler<AttemptReservationCommand, AttemptReservationResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(BOOKING_SERVER_CLOCKS) private readonly clocks: BookingServerClocks,
  ) {}

  async execute(command: AttemptReservationCommand): Promise<AttemptReservationResult> {
    const attemptId = randomUUID();
    const { state } = await loadSeat(this.store, command.seatId, command.runId);
    // Read the clock after loading the seat: the stamp is the moment the server decides.
    const clock = this.clocks.read(command.serverId);
    const events = decide(
      {
        type: 'AttemptReservation',
        attemptId,
        seatId: command.seatId,
        customerName: command.customerName,
        clock,
        runId: command.runId,
      },
      state,
    );
    const attempted = events[0] as ReservationAttempted;
    const result = await this.store.append(
      attemptStreamId(attemptId),
      toStoredEvents(events, () => attemptId),
      {
        expectedRevision: 'no_stream',
      },
    );
    return {
      attemptId,
      seatId: command.seatId,
      customerName: command.customerName,
      serverId: clock.serverId,
      localDecision: attempted.data.localDecision,
      serverTimeMs: clock.serverTimeMs,
      referenceTimeMs: clock.referenceTimeMs,
      ntpCorrectedTimeMs: clock.ntpCorrectedTimeMs,
      errorBoundMs: clock.errorBoundMs,
      position: result.position,
    };
  }
}
