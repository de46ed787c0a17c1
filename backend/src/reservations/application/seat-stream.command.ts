import { Command } from '@nestjs/cqrs';
import type { SeatCommand } from '../domain/seat-decider';

export interface SeatStreamResult {
  /**
   * How many events the command's decision has in the stream (the same decision re-sent after a
   * lost answer counts); 0: the stream already said otherwise, e.g. another node settled the seat.
   */
  readonly appended: number;
}

/** A command for one seat stream (assign the seat, revoke late attempts), from the settlement workflow. */
export class SeatStreamCommand extends Command<SeatStreamResult> {
  constructor(
    readonly command: SeatCommand,
    /** The live session the seat belongs to (ignored for a seeded run's seat). */
    readonly session = 1,
  ) {
    super();
  }
}
