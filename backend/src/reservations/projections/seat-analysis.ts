/**
 * What the projection keeps per seat (rm_seats.analysis): the incremental
 * resolution state (domain/resolution/seat-resolution-state.ts), and the lab's
 * truth-based scoring of it. Stored as JSON: positions as strings, −∞ as null.
 */
import { DECISION_STRATEGIES, type DecisionStrategy } from '../domain/ordering';
import type { SeatResolutionState } from '../domain/resolution/seat-resolution-state';
import { boundViolated, compareByTruth } from '../domain/scoring/truth-scoring';
import type { ProjectedAttempt } from './attempt-row';
import { fromWitnessAttempt, toWitnessAttempt, type WitnessAttempt } from './witness-attempt';

export interface SeatScoring {
  /** The truly first attempt of all the seat's attempts. */
  readonly trulyFirst: ProjectedAttempt;
  readonly violatedAttempts: number;
  /** The smallest log position of an attempt whose bound did not hold; null when none. */
  readonly firstViolationPosition: bigint | null;
}

export interface SeatAnalysis {
  readonly resolution: SeatResolutionState<ProjectedAttempt>;
  readonly scoring: SeatScoring;
}

export const scoreAttempts = (previous: SeatScoring | null, added: readonly ProjectedAttempt[]): SeatScoring => {
  let scoring = previous;
  for (const attempt of added) {
    const violated = boundViolated(attempt);
    scoring = {
      trulyFirst: scoring && compareByTruth(scoring.trulyFirst, attempt) <= 0 ? scoring.trulyFirst : attempt,
      violatedAttempts: (scoring?.violatedAttempts ?? 0) + (violated ? 1 : 0),
      firstViolationPosition:
        violated && (scoring?.firstViolationPosition == null || attempt.logPosition < scoring.firstViolationPosition)
          ? attempt.logPosition
          : (scoring?.firstViolationPosition ?? null),
    };
  }
  if (!scoring) throw new Error('a seat scoring needs at least one attempt');
  return scoring;
};

/** The JSON form. */
export interface StoredSeatAnalysis {
  v: 2;
  window_ms: number;
  attempts_count: number;
  considered_up_to: string | null;
  last_position: string;
  anchor: WitnessAttempt | null;
  competing_count: number;
  /** null stands for −∞ (no competing attempt has a bound). */
  max_competing_earliest_ms: number | null;
  winners: Record<DecisionStrategy, WitnessAttempt>;
  candidates: WitnessAttempt[];
  front: WitnessAttempt[];
  server_ids: string[];
  first_positions: string[];
  after_window_count: number;
  after_settlement_count: number;
  truly_first: WitnessAttempt;
  violated_attempts: number;
  first_violation_position: string | null;
}

export const encodeSeatAnalysis = ({ resolution, scoring }: SeatAnalysis): StoredSeatAnalysis => ({
  v: 2,
  window_ms: resolution.windowMs,
  attempts_count: resolution.attemptsCount,
  considered_up_to: resolution.consideredUpTo?.toString() ?? null,
  last_position: resolution.lastPosition.toString(),
  anchor: resolution.anchor ? toWitnessAttempt(resolution.anchor) : null,
  competing_count: resolution.competingCount,
  max_competing_earliest_ms: Number.isFinite(resolution.maxCompetingEarliestMs)
    ? resolution.maxCompetingEarliestMs
    : null,
  winners: Object.fromEntries(
    DECISION_STRATEGIES.map((strategy) => [strategy, toWitnessAttempt(resolution.winners[strategy])]),
  ) as Record<DecisionStrategy, WitnessAttempt>,
  candidates: resolution.candidates.map(toWitnessAttempt),
  front: resolution.front.map(toWitnessAttempt),
  server_ids: [...resolution.serverIds],
  first_positions: resolution.firstPositions.map(String),
  after_window_count: resolution.afterWindowCount,
  after_settlement_count: resolution.afterSettlementCount,
  truly_first: toWitnessAttempt(scoring.trulyFirst),
  violated_attempts: scoring.violatedAttempts,
  first_violation_position: scoring.firstViolationPosition?.toString() ?? null,
});

/**
 * From rm_seats.analysis (JSON text; an object where a driver parsed it). null
 * for an analysis stored by an older model version (the projection recomputes
 * it from the attempts).
 */
export const decodeSeatAnalysis = (stored: unknown): SeatAnalysis | null => {
  const analysis = (typeof stored === 'string' ? JSON.parse(stored) : stored) as Partial<StoredSeatAnalysis> | null;
  if (!analysis || analysis.v !== 2) return null;
  const full = analysis as StoredSeatAnalysis;
  return {
    resolution: {
      windowMs: full.window_ms,
      attemptsCount: full.attempts_count,
      consideredUpTo: full.considered_up_to === null ? null : BigInt(full.considered_up_to),
      lastPosition: BigInt(full.last_position),
      anchor: full.anchor ? fromWitnessAttempt(full.anchor) : null,
      competingCount: full.competing_count,
      maxCompetingEarliestMs: full.max_competing_earliest_ms ?? Number.NEGATIVE_INFINITY,
      winners: Object.fromEntries(
        DECISION_STRATEGIES.map((strategy) => [strategy, fromWitnessAttempt(full.winners[strategy])]),
      ) as Record<DecisionStrategy, ProjectedAttempt>,
      candidates: full.candidates.map(fromWitnessAttempt),
      front: full.front.map(fromWitnessAttempt),
      serverIds: full.server_ids,
      firstPositions: full.first_positions.map((position) => BigInt(position)),
      afterWindowCount: full.after_window_count,
      afterSettlementCount: full.after_settlement_count,
    },
    scoring: {
      trulyFirst: fromWitnessAttempt(full.truly_first),
      violatedAttempts: full.violated_attempts,
      firstViolationPosition: full.first_violation_position === null ? null : BigInt(full.first_violation_position),
    },
  };
};
