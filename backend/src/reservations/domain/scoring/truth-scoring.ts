/**
 * The lab's oracle. Only the lab knows each attempt's reference ("true")
 * time; it scores the decisions, it never makes them: nothing under
 * resolution/ or settlement/ imports this file.
 */
import { isUnbounded, type AttemptFacts } from '../attempt-facts';
import { comparePositions } from '../ordering';
import type { DecidedBy } from '../resolution/resolve-seat';

export interface ScoredAttempt extends AttemptFacts {
  /** When the attempt truly happened (the lab's reference clock), epoch ms. */
  readonly referenceTimeMs: number;
  /** How far that reference time may be from the true instant, ms (ClockReading); absent or 0 when exact. */
  readonly referenceUncertaintyMs?: number;
}

export const compareByTruth = (a: ScoredAttempt, b: ScoredAttempt): number =>
  a.referenceTimeMs < b.referenceTimeMs
    ? -1
    : a.referenceTimeMs > b.referenceTimeMs
      ? 1
      : comparePositions(a.logPosition, b.logPosition);

/** The truly first attempt (ties broken by log order). */
export const trulyFirst = <T extends ScoredAttempt>(attempts: readonly T[]): T | null => {
  let first: T | null = null;
  for (const attempt of attempts) if (first === null || compareByTruth(attempt, first) < 0) first = attempt;
  return first;
};

/**
 * Times are epoch-ms doubles: near 2026's epoch one ulp is 2^-12 ms (0.24 µs), and a corrected
 * time is a few roundings away from the exact value (an exact model found 0.18 µs). A truth
 * closer than 2·EPSILON of the magnitude (0.78 µs, about 3 ulps) outside the interval is below
 * what the stored times can tell, not a wrong bound.
 */
const roundingSlackMs = (attempt: ScoredAttempt): number =>
  2 * Number.EPSILON * Math.max(Math.abs(attempt.ntpCorrectedTimeMs), Math.abs(attempt.referenceTimeMs));

/** How far the recorded truth is from the corrected time, ms. */
const truthGapMs = (attempt: ScoredAttempt): number => Math.abs(attempt.ntpCorrectedTimeMs - attempt.referenceTimeMs);

/**
 * The bound as the truth can judge it: a truth known to ±u can only show a bound wrong once it
 * lies more than u outside it.
 */
const judgeableBoundMs = (attempt: ScoredAttempt): number =>
  attempt.errorBoundMs + (attempt.referenceUncertaintyMs ?? 0);

/** Its true time lies outside its error interval [c − b, c + b], by more than the truth may itself be off: the bound it carried was wrong. */
export const boundViolated = (attempt: ScoredAttempt): boolean =>
  !isUnbounded(attempt.errorBoundMs) && truthGapMs(attempt) > judgeableBoundMs(attempt) + roundingSlackMs(attempt);

/** How far outside its interval (widened by the reference's own uncertainty) the truth was, ms (0 when inside or unbounded). */
export const boundExcessMs = (attempt: ScoredAttempt): number =>
  boundViolated(attempt) ? truthGapMs(attempt) - judgeableBoundMs(attempt) : 0;

export type HolderVerdict =
  /** The holder is the truly first attempt. */
  | 'correct'
  /** Time could not order the candidates; log order picked another one. */
  | 'ambiguous'
  /** A competing attempt's bound did not hold (a step, a strobe, an asymmetric path). */
  | 'bound_violation'
  /** The truly first attempt reached the log after the seat was settled. */
  | 'late_arrival'
  /** None of the above: the rule itself would be wrong. The oracle suite asserts this never happens. */
  | 'unexplained';

export interface HolderFacts {
  readonly holderAttemptId: string;
  readonly decidedBy: DecidedBy;
  readonly trulyFirstAttemptId: string;
  /**
   * Whether a bound that could have changed who holds the seat did not hold: the truly first
   * attempt's, the holder's or the window anchor's. A wrong bound elsewhere on the seat is
   * counted per server but does not explain this holder.
   */
  readonly boundViolated: boolean;
  /** Whether the truly first attempt was recorded after the authority's cutoff. */
  readonly trulyFirstArrivedLate: boolean;
}

/**
 * Why the holder is (not) the truly first attempt, most direct cause first: an attempt the
 * authority never saw cannot have been misjudged, so arriving late outranks a wrong bound.
 */
export const holderVerdict = (facts: HolderFacts): HolderVerdict => {
  if (facts.holderAttemptId === facts.trulyFirstAttemptId) return 'correct';
  if (facts.trulyFirstArrivedLate) return 'late_arrival';
  if (facts.boundViolated) return 'bound_violation';
  if (facts.decidedBy === 'log_order') return 'ambiguous';
  return 'unexplained';
};

/**
 * The verdict on a settled seat. Only three bounds can explain a wrong holder: with the truly
 * first attempt's, the holder's and the anchor's bounds all true, the truly first attempt is
 * inside the window (its earliest ≤ the anchor's latest) and no interval lies wholly before it,
 * so time either picks it or cannot decide.
 */
export const holderVerdictOf = (seat: {
  readonly holderAttemptId: string;
  /** The holder's facts when known (it is one of the settled candidates). */
  readonly holder: ScoredAttempt | null;
  readonly decidedBy: DecidedBy;
  readonly trulyFirst: ScoredAttempt;
  /** The attempt whose latest possible time opened the window; null when none had a bound. */
  readonly anchor: ScoredAttempt | null;
  /** The log position the authority had read when it decided. */
  readonly consideredUpTo: bigint | null;
}): HolderVerdict => {
  const relevant = [seat.trulyFirst, seat.anchor, seat.holder];
  return holderVerdict({
    holderAttemptId: seat.holderAttemptId,
    decidedBy: seat.decidedBy,
    trulyFirstAttemptId: seat.trulyFirst.attemptId,
    boundViolated: relevant.some((attempt) => attempt !== null && boundViolated(attempt)),
    trulyFirstArrivedLate: seat.consideredUpTo !== null && seat.trulyFirst.logPosition > seat.consideredUpTo,
  });
};

/** Whether a bound did not hold among the attempts the authority considered (all, while open). */
export const boundFailedBefore = (firstViolationPosition: bigint | null, consideredUpTo: bigint | null): boolean =>
  firstViolationPosition !== null && (consideredUpTo === null || firstViolationPosition <= consideredUpTo);
