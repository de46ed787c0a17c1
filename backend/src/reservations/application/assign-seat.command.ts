import { Command } from '@nestjs/cqrs';
import type { AttemptSummary, SeatHolder } from '../domain/seat-decider';
import type { OrderingStrategy } from '../domain/seat-events';

export interface AssignSeatResult {
  /** False when the seat was already assigned (by this or another process). */
  readonly assigned: boolean;
  readonly revoked: number;
}

export class AssignSeatCommand extends Command<AssignSeatResult> {
  constructor(
    readonly seatId: number,
    readonly runId: string | null,
    readonly winner: SeatHolder,
    readonly decidedBy: OrderingStrategy,
    readonly losers: readonly AttemptSummary[],
  ) {
    super();
  }
}
