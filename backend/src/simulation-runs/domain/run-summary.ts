/**
 * What a run shows, computed from its own record of every seat with the same
 * resolution rule the read model applies and the lab's truth-based scoring:
 * conflicts by kind, how often each ordering strategy names the truly first
 * customer, how often the authority's holder is truly first (and what
 * explains it when not), bound violations per server, and the worst inversion.
 */
import { DECISION_STRATEGIES } from '../../reservations/domain/ordering';
import { resolutionStateOf, verdictOf } from '../../reservations/domain/resolution/seat-resolution-state';
import {
  boundViolated,
  holderVerdictOf,
  trulyFirst,
  type HolderVerdict,
} from '../../reservations/domain/scoring/truth-scoring';
import { ORDERING_STRATEGIES, type OrderingStrategy } from '../../reservations/domain/seat-events';
import { suspectEpochKey, type RunAttempt, type RunOutcome } from './run-simulation';

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

export type WrongHolderCause = Exclude<HolderVerdict, 'correct'>;
export const WRONG_HOLDER_CAUSES: readonly WrongHolderCause[] = [
  'ambiguous',
  'bound_violation',
  'late_arrival',
  'unexplained',
];

export interface ServerBounds {
  readonly serverId: string;
  readonly attempts: number;
  readonly boundViolations: number;
  readonly outOfBound: number;
  readonly stepsDetected: number;
}

export interface RunSummary {
  readonly attempts: number;
  readonly seatsWithAttempts: number;
  readonly settledSeats: number;
  /** Seats with two or more competing attempts. */
  readonly contendedSeats: number;
  readonly conflicts: { readonly contention: number; readonly inversion: number; readonly ambiguous: number };
  /** Contended seats where the strategy's winner is the truly first attempt. */
  readonly correctSeats: Readonly<Record<OrderingStrategy, number>>;
  /** Every seat the authority assigned, and how many went to the truly first attempt. */
  readonly authority: { readonly seats: number; readonly correct: number };
  readonly wrongHolders: Readonly<Record<WrongHolderCause, number>>;
  readonly servers: readonly ServerBounds[];
  readonly worstInversion: InversionWitness | null;
}

const witnessOf = (attempt: RunAttempt): WitnessAttempt => ({
  attemptId: attempt.attemptId,
  customerName: attempt.customerName,
  serverId: attempt.serverId,
  referenceTimeMs: attempt.referenceTimeMs,
  serverTimeMs: attempt.serverTimeMs,
  ntpCorrectedTimeMs: attempt.ntpCorrectedTimeMs,
  errorBoundMs: attempt.errorBoundMs,
});

const countsBy = <K extends string>(keys: readonly K[]): Record<K, number> =>
  Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;

export const summariseRun = (outcome: RunOutcome, windowMs: number, serverIds: readonly string[]): RunSummary => {
  const conflicts = { contention: 0, inversion: 0, ambiguous: 0 };
  const correctSeats = countsBy(ORDERING_STRATEGIES);
  const wrongHolders = countsBy(WRONG_HOLDER_CAUSES);
  const authority = { seats: 0, correct: 0 };
  const servers = new Map(
    serverIds.map((serverId) => [
      serverId,
      {
        serverId,
        attempts: 0,
        boundViolations: 0,
        outOfBound: 0,
        stepsDetected: outcome.stepsDetected.get(serverId) ?? 0,
      },
    ]),
  );
  let contendedSeats = 0;
  let settledSeats = 0;
  let worstInversion: InversionWitness | null = null;
  for (const seat of outcome.seats.values()) {
    for (const attempt of seat.attempts) {
      const bounds = servers.get(attempt.serverId)!;
      bounds.attempts += 1;
      if (outcome.suspectEpochs.has(suspectEpochKey(attempt.serverId, attempt.syncEpoch))) bounds.outOfBound += 1;
      if (boundViolated(attempt)) bounds.boundViolations += 1;
    }
    const state = resolutionStateOf(seat.attempts, windowMs, seat.cutoff);
    const first = trulyFirst(seat.attempts);
    if (!state || !first) continue;
    const verdict = verdictOf(state);
    for (const kind of verdict.kinds) conflicts[kind] += 1;
    const contended = state.competingCount >= 2;
    if (contended) {
      contendedSeats += 1;
      correctSeats.truth += 1;
      for (const strategy of DECISION_STRATEGIES) {
        if (state.winners[strategy].attemptId === first.attemptId) correctSeats[strategy] += 1;
      }
    }
    if (seat.holder) {
      settledSeats += 1;
      const holderAttemptId = seat.holder.attemptId;
      const holderVerdict = holderVerdictOf({
        holderAttemptId,
        holder: seat.attempts.find((attempt) => attempt.attemptId === holderAttemptId) ?? null,
        decidedBy: seat.holder.decidedBy,
        trulyFirst: first,
        anchor: state.anchor,
        consideredUpTo: seat.cutoff,
      });
      if (holderVerdict !== 'correct') wrongHolders[holderVerdict] += 1;
      authority.seats += 1;
      if (holderVerdict === 'correct') authority.correct += 1;
    }
    if (!verdict.kinds.includes('inversion')) continue;
    const byServerClock = state.winners.server_clock;
    const gapMs = byServerClock.referenceTimeMs - first.referenceTimeMs;
    if (gapMs > 0 && (worstInversion === null || gapMs > worstInversion.gapMs)) {
      worstInversion = {
        seatId: seat.seatId,
        gapMs,
        trueFirst: witnessOf(first),
        serverClockWinner: witnessOf(byServerClock),
        ntpCorrectedWinner: witnessOf(state.winners.ntp_corrected),
      };
    }
  }
  return {
    attempts: outcome.attempts,
    seatsWithAttempts: outcome.seats.size,
    settledSeats,
    contendedSeats,
    conflicts,
    correctSeats,
    authority,
    wrongHolders,
    servers: [...servers.values()],
    worstInversion,
  };
};
