import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { randomUUID } from 'node:crypto';
import { WrongExpectedVersionError, type EventStore } from '../../event-store/event-store.port';
import { deterministicUuid } from '../../shared/deterministic-uuid';
import { decideAttempt } from '../domain/attempt-decider';
import type { BookingServerClocks } from '../domain/clock-reading';
import type { ReservationAttempted } from '../domain/seat-events';
import { attemptStreamId } from '../domain/streams';
import { AttemptReservationCommand, type AttemptReservationResult } from './attempt-reservation.command';
import { loadAttempt, loadSeat, toStoredEvents } from './seat-repository';
import { SettlementProcess } from './settlement-process';
import { BOOKING_SERVER_CLOCKS, EVENT_STORE } from './tokens';

export class IdempotencyKeyReusedError extends Error {
  override readonly name = 'IdempotencyKeyReusedError';
  constructor(key: string) {
    super(`Idempotency-Key "${key}" was already used for a different reservation (seat, customer or server differ)`);
  }
}

const sameRequest = (recorded: ReservationAttempted['data'], command: AttemptReservationCommand): boolean =>
  recorded.seatId === command.seatId &&
  recorded.customerName === command.customerName &&
  recorded.clock.serverId === command.serverId &&
  recorded.runId === command.runId;

@CommandHandler(AttemptReservationCommand)
export class AttemptReservationHandler implements ICommandHandler<AttemptReservationCommand, AttemptReservationResult> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(BOOKING_SERVER_CLOCKS) private readonly clocks: BookingServerClocks,
    private readonly settlement: SettlementProcess,
  ) {}

  async execute(command: AttemptReservationCommand): Promise<AttemptReservationResult> {
    const attemptId = command.idempotencyKey
      ? deterministicUuid('idempotency-key', command.idempotencyKey)
      : randomUUID();
    if (command.idempotencyKey) {
      const earlier = await this.recorded(attemptId, command);
      if (earlier) return earlier;
    }
    const seatLooksTaken = await this.seatLooksTaken(command);
    // Read the clock after loading the seat: the stamp is the moment the server decides.
    const clock = this.clocks.read(command.serverId);
    const [attempted] = decideAttempt(
      {
        type: 'RecordAttempt',
        attemptId,
        seatId: command.seatId,
        customerName: command.customerName,
        clock,
        runId: command.runId,
        seatLooksTaken,
      },
      { recorded: null },
    ) as [ReservationAttempted];
    try {
      const result = await this.store.append(
        attemptStreamId(attemptId),
        toStoredEvents([attempted], () => attemptId),
        {
          expectedRevision: 'no_stream',
        },
      );
      return { attempt: attempted.data, position: result.position, replayed: false };
    } catch (error) {
      // Two retries with one key raced: the one that lost answers with what the winner recorded.
      if (error instanceof WrongExpectedVersionError && command.idempotencyKey) {
        const earlier = await this.recorded(attemptId, command);
        if (earlier) return earlier;
      }
      throw error;
    }
  }

  /**
   * The booking server's own view of the seat. Live seats: from memory, fed by
   * what this node reads of the log (no read per request). A seeded run's seat
   * (no live workflow follows it): its seat stream.
   */
  private async seatLooksTaken(command: AttemptReservationCommand): Promise<boolean> {
    if (!command.runId) return this.settlement.seatLooksTaken(command.seatId);
    const { state } = await loadSeat(this.store, command.seatId, command.runId);
    return state.holder !== null;
  }

  private async recorded(
    attemptId: string,
    command: AttemptReservationCommand,
  ): Promise<AttemptReservationResult | null> {
    const { state, position } = await loadAttempt(this.store, attemptId);
    if (!state.recorded || position === null) return null;
    if (!sameRequest(state.recorded, command)) throw new IdempotencyKeyReusedError(command.idempotencyKey!);
    return { attempt: state.recorded, position, replayed: true };
  }
}
