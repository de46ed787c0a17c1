import type { AttemptSummary, SeatHolder } from '../domain/seat-decider';
import type { OrderingStrategy } from '../domain/seat-events';

/** In-process signal: a seat's conflict window has passed and its winner is known. */
export class SeatSettlementDue {
  constructor(
    readonly seatId: number,
    readonly runId: string | null,
    readonly winner: SeatHolder,
    readonly decidedBy: OrderingStrategy,
    readonly losers: readonly AttemptSummary[],
  ) {}
}
