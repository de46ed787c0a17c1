/**
 * What a run shows, computed from its attempts with the same analysis the
 * read model uses: conflicts by kind, how often each ordering strategy hands
 * the seat to the truly first customer, and the worst inversion as a witness.
 */
import { analyseSeat } from '../../reservations/domain/conflict-analysis';
import type { AttemptStamps } from '../../reservations/domain/ordering';
import { ORDERING_STRATEGIES, type OrderingStrategy } from '../../reservations/domain/seat-events';

export interface WitnessAttempt {
  readonly attemptId: string;
  readonly customerName: string;
  readonly serverId: string;
  readonly referenceTimeMs: number;
  readonly serverTimeMs: number;
  readonly ntpCorrectedTimeMs: number;
  readonly errorBoundMs: number;
}

/** The seat where the naive server-clock order was most wrong, measured in true time. */
export interface InversionWitness {
  readonly seatId: number;
  /** How much later (reference time) the server-clock winner arrived than the truly first customer. */
  readonly gapMs: number;
  readonly trueFirst: WitnessAttempt;
  readonly serverClockWinner: WitnessAttempt;
  readonly ntpCorrectedWinner: WitnessAttempt;
}

export interface RunSummary {
  readonly attempts: number;
  readonly seatsWithAttempts: number;
  readonly contendedSeats: number;
  readonly conflicts: { readonly contention: number; readonly inversion: number; readonly ambiguous: number };
  /** Contended seats where the strategy's winner is the truly first attempt. */
  readonly correctSeats: Readonly<Record<OrderingStrategy, number>>;
  readonly worstInversion: InversionWitness | null;
}

const witnessOf = (attempt: AttemptStamps): WitnessAttempt => ({
  attemptId: attempt.attemptId,
  customerName: attempt.customerName,
  serverId: attempt.serverId,
  referenceTimeMs: attempt.referenceTimeMs,
  serverTimeMs: attempt.serverTimeMs,
  ntpCorrectedTimeMs: attempt.ntpCorrectedTimeMs,
  errorBoundMs: attempt.errorBoundMs,
});

export const summariseRun = (attemptsBySeat: ReadonlyMap<number, readonly AttemptStamps[]>): RunSummary => {
  let attempts = 0;
  let contendedSeats = 0;
  const conflicts = { contention: 0, inversion: 0, ambiguous: 0 };
  const correctSeats = Object.fromEntries(ORDERING_STRATEGIES.map((strategy) => [strategy, 0])) as Record<
    OrderingStrategy,
    number
  >;
  let worstInversion: InversionWitness | null = null;
  for (const [seatId, seatAttempts] of attemptsBySeat) {
    attempts += seatAttempts.length;
    const analysis = analyseSeat(seatAttempts);
    if (!analysis) continue;
    for (const kind of analysis.kinds) conflicts[kind] += 1;
    if (seatAttempts.length < 2) continue;
    contendedSeats += 1;
    const { winners } = analysis;
    for (const strategy of ORDERING_STRATEGIES) {
      if (winners[strategy].attemptId === winners.truth.attemptId) correctSeats[strategy] += 1;
    }
    const gapMs = winners.server_clock.referenceTimeMs - winners.truth.referenceTimeMs;
    if (gapMs > 0 && (worstInversion === null || gapMs > worstInversion.gapMs)) {
      worstInversion = {
        seatId,
        gapMs,
        trueFirst: witnessOf(winners.truth),
        serverClockWinner: witnessOf(winners.server_clock),
        ntpCorrectedWinner: witnessOf(winners.ntp_corrected),
      };
    }
  }
  return {
    attempts,
    seatsWithAttempts: attemptsBySeat.size,
    contendedSeats,
    conflicts,
    correctSeats,
    worstInversion,
  };
};
