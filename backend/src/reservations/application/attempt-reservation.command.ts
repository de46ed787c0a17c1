import { Command } from '@nestjs/cqrs';
import type { ReservationAttempted } from '../domain/seat-events';

export interface AttemptReservationResult {
  readonly attempt: ReservationAttempted['data'];
  readonly position: bigint;
  /** True when the idempotency key named an attempt already recorded: nothing was appended. */
  readonly replayed: boolean;
}

export class AttemptReservationCommand extends Command<AttemptReservationResult> {
  constructor(
    readonly seatId: number,
    readonly customerName: string,
    readonly serverId: string,
    readonly runId: string | null = null,
    /** The client's Idempotency-Key: the attempt id derives from it, so a retry records nothing twice. */
    readonly idempotencyKey: string | null = null,
  ) {
    super();
  }
}
