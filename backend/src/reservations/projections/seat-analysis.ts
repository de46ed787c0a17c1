/**
 * What the projection keeps per seat (rm_seats.analysis): the incremental
 * resolution state (domain/resolution/seat-resolution-state.ts), and the lab's
 * truth-based scoring of it. Stored as JSON: positions as strings, −∞ as null.
 */
import { DECISION_STRATEGIES, type DecisionStrategy } from '../domain/ordering';
import type { SeatResolutionState } from '../domain/resolution/seat-resolution-state';
import { boundViolated, compareByTruth } from '../domain/scoring/truth-scoring';
import type { ProjectedAttempt } from './attempt-row';

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

/**
 * An attempt as the analysis stores it: the ProjectedAttempt's fields in this
 * order, the log position as a string. A tuple, and each attempt once: the
 * winners, the candidates, the front, the anchor and the truly first attempt
 * are mostly the same few attempts, and as named objects repeated in each
 * place they made the analysis ~6 kB a seat, which every batch touching the
 * seat stringified, sent, compressed, stored, loaded and parsed again.
 */
type StoredAttempt = [
  attemptId: string,
  customerName: string,
  serverId: string,
  localDecision: 'confirmed' | 'rejected',
  serverTimeMs: number,
  estimatedOffsetMs: number,
  errorBoundMs: number,
  ntpCorrectedTimeMs: number,
  hlc: string,
  referenceTimeMs: number,
  logPosition: string,
  syncEpoch: number | null,
  /** Left out when 0 (exact), as in analyses stored before it was kept. */
  referenceUncertaintyMs?: number,
];

/** The JSON form. Attempts are indexes into `attempts`. */
export interface StoredSeatAnalysis {
  v: 3;
  attempts: StoredAttempt[];
  window_ms: number;
  attempts_count: number;
  considered_up_to: string | null;
  last_position: string;
  anchor: number | null;
  competing_count: number;
  /** null stands for −∞ (no competing attempt has a bound). */
  max_competing_earliest_ms: number | null;
  winners: Record<DecisionStrategy, number>;
  candidates: number[];
  front: number[];
  server_ids: string[];
  first_positions: string[];
  after_window_count: number;
  after_settlement_count: number;
  truly_first: number;
  violated_attempts: number;
  first_violation_position: string | null;
}

const storedAttemptOf = (attempt: ProjectedAttempt): StoredAttempt => {
  const stored: StoredAttempt = [
    attempt.attemptId,
    attempt.customerName,
    attempt.serverId,
    attempt.localDecision,
    attempt.serverTimeMs,
    attempt.estimatedOffsetMs,
    attempt.errorBoundMs,
    attempt.ntpCorrectedTimeMs,
    attempt.hlc,
    attempt.referenceTimeMs,
    attempt.logPosition.toString(),
    attempt.syncEpoch,
  ];
  if (attempt.referenceUncertaintyMs) stored.push(attempt.referenceUncertaintyMs);
  return stored;
};

const projectedAttemptOf = (stored: StoredAttempt): ProjectedAttempt => ({
  attemptId: stored[0],
  customerName: stored[1],
  serverId: stored[2],
  localDecision: stored[3],
  serverTimeMs: stored[4],
  estimatedOffsetMs: stored[5],
  errorBoundMs: stored[6],
  ntpCorrectedTimeMs: stored[7],
  hlc: stored[8],
  referenceTimeMs: stored[9],
  logPosition: BigInt(stored[10]),
  syncEpoch: stored[11],
  ...(stored[12] !== undefined ? { referenceUncertaintyMs: stored[12] } : {}),
});

const sameStoredAttempt = (a: StoredAttempt, b: StoredAttempt): boolean =>
  a.length === b.length && a.every((field, at) => field === b[at]);

/** Gives each distinct attempt one index (an id seen with other facts, which never happens, gets its own). */
const attemptTable = () => {
  const attempts: StoredAttempt[] = [];
  const byId = new Map<string, number[]>();
  const indexOf = (attempt: ProjectedAttempt): number => {
    const stored = storedAttemptOf(attempt);
    const known = byId.get(attempt.attemptId) ?? [];
    const found = known.find((index) => sameStoredAttempt(attempts[index]!, stored));
    if (found !== undefined) return found;
    attempts.push(stored);
    byId.set(attempt.attemptId, [...known, attempts.length - 1]);
    return attempts.length - 1;
  };
  return { attempts, indexOf };
};

export const encodeSeatAnalysis = ({ resolution, scoring }: SeatAnalysis): StoredSeatAnalysis => {
  const { attempts, indexOf } = attemptTable();
  return {
    v: 3,
    attempts,
    window_ms: resolution.windowMs,
    attempts_count: resolution.attemptsCount,
    considered_up_to: resolution.consideredUpTo?.toString() ?? null,
    last_position: resolution.lastPosition.toString(),
    anchor: resolution.anchor ? indexOf(resolution.anchor) : null,
    competing_count: resolution.competingCount,
    max_competing_earliest_ms: Number.isFinite(resolution.maxCompetingEarliestMs)
      ? resolution.maxCompetingEarliestMs
      : null,
    winners: Object.fromEntries(
      DECISION_STRATEGIES.map((strategy) => [strategy, indexOf(resolution.winners[strategy])]),
    ) as Record<DecisionStrategy, number>,
    candidates: resolution.candidates.map(indexOf),
    front: resolution.front.map(indexOf),
    server_ids: [...resolution.serverIds],
    first_positions: resolution.firstPositions.map(String),
    after_window_count: resolution.afterWindowCount,
    after_settlement_count: resolution.afterSettlementCount,
    truly_first: indexOf(scoring.trulyFirst),
    violated_attempts: scoring.violatedAttempts,
    first_violation_position: scoring.firstViolationPosition?.toString() ?? null,
  };
};

/**
 * From rm_seats.analysis (JSON text; an object where a driver parsed it). null
 * for an analysis stored by an older model version (the projection recomputes
 * it from the attempts).
 */
export const decodeSeatAnalysis = (stored: unknown): SeatAnalysis | null => {
  const analysis = (typeof stored === 'string' ? JSON.parse(stored) : stored) as Partial<StoredSeatAnalysis> | null;
  if (!analysis || analysis.v !== 3) return null;
  const full = analysis as StoredSeatAnalysis;
  // One object per stored attempt, shared wherever the analysis names it.
  const attempts = full.attempts.map(projectedAttemptOf);
  const attempt = (index: number): ProjectedAttempt => {
    const found = attempts[index];
    if (!found) throw new Error(`seat analysis names attempt ${index} of ${attempts.length}`);
    return found;
  };
  return {
    resolution: {
      windowMs: full.window_ms,
      attemptsCount: full.attempts_count,
      consideredUpTo: full.considered_up_to === null ? null : BigInt(full.considered_up_to),
      lastPosition: BigInt(full.last_position),
      anchor: full.anchor === null ? null : attempt(full.anchor),
      competingCount: full.competing_count,
      maxCompetingEarliestMs: full.max_competing_earliest_ms ?? Number.NEGATIVE_INFINITY,
      winners: Object.fromEntries(
        DECISION_STRATEGIES.map((strategy) => [strategy, attempt(full.winners[strategy])]),
      ) as Record<DecisionStrategy, ProjectedAttempt>,
      candidates: full.candidates.map(attempt),
      front: full.front.map(attempt),
      serverIds: full.server_ids,
      firstPositions: full.first_positions.map((position) => BigInt(position)),
      afterWindowCount: full.after_window_count,
      afterSettlementCount: full.after_settlement_count,
    },
    scoring: {
      trulyFirst: attempt(full.truly_first),
      violatedAttempts: full.violated_attempts,
      firstViolationPosition: full.first_violation_position === null ? null : BigInt(full.first_violation_position),
    },
  };
};
