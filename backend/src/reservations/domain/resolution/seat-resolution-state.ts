/**
 * resolveSeat, kept incrementally for the projection. A hot seat has
 * thousands of attempts; re-reading them on every batch would make catch-up
 * super-linear. This state holds exactly what the resolution and a capped
 * witness need, and is folded forward with each batch's new attempts.
 *
 * Attempts are only ever added, so "first by X" is a running minimum and the
 * window's close can only move earlier. Two things can make competing
 * attempts leave, and then this state cannot know who is left: the close
 * moving to or below the largest earliest-possible time among them, and a
 * settlement whose cutoff lies before an attempt already folded in. Then
 * the fold answers 'reload' and the caller recomputes the state from all
 * the seat's attempts (resolutionStateOf). Both are rare (an attempt
 * anchoring the window much earlier than the ones before it; attempts
 * recorded while the authority was deciding). seat-resolution-state.unit.spec.ts
 * checks incremental = batch on random attempt sets and batch splits.
 */
import { earliestPossibleMs, latestPossibleMs, type AttemptFacts } from '../attempt-facts';
import { compareAttempts, comparePositions, DECISION_STRATEGIES, type DecisionStrategy } from '../ordering';
import { authoritativeOf, conflictKindsOf, resolveSeat, type ConflictKind, type DecidedBy } from './resolve-seat';
import { anchorsBefore, closesAtMs } from './seat-window';

/** How many front-runners by NTP-corrected time a hot seat's witness lists. */
export const FRONT_LIMIT = 25;

export interface SeatResolutionState<T extends AttemptFacts> {
  readonly windowMs: number;
  readonly attemptsCount: number;
  /** Set once the seat is settled: the log position the authority had read. */
  readonly consideredUpTo: bigint | null;
  readonly lastPosition: bigint;
  readonly anchor: T | null;
  readonly competingCount: number;
  /** −∞ when no competing attempt has a bound. */
  readonly maxCompetingEarliestMs: number;
  readonly winners: Readonly<Record<DecisionStrategy, T>>;
  /** In log order. */
  readonly candidates: readonly T[];
  /** The first FRONT_LIMIT competing attempts by NTP-corrected order. */
  readonly front: readonly T[];
  /** Of the competing attempts; distinct, sorted. */
  readonly serverIds: readonly string[];
  /** The two smallest log positions among the competing attempts (the second is where contention began). */
  readonly firstPositions: readonly bigint[];
  readonly afterWindowCount: number;
  readonly afterSettlementCount: number;
}

export type FoldResult<T extends AttemptFacts> = SeatResolutionState<T> | 'reload';

const byPosition = (a: AttemptFacts, b: AttemptFacts): number => comparePositions(a.logPosition, b.logPosition);
const byCorrected = compareAttempts('ntp_corrected');

/** The state resolveSeat's answer corresponds to, from every attempt of the seat. */
export const resolutionStateOf = <T extends AttemptFacts>(
  attempts: readonly T[],
  windowMs: number,
  consideredUpTo: bigint | null = null,
): SeatResolutionState<T> | null => {
  const resolution = resolveSeat({ attempts, windowMs, consideredUpTo });
  if (!resolution) return null;
  const { competing } = resolution;
  let afterWindowCount = 0;
  let afterSettlementCount = 0;
  for (const role of resolution.roles.values()) {
    if (role === 'after_window') afterWindowCount += 1;
    if (role === 'after_settlement') afterSettlementCount += 1;
  }
  return {
    windowMs,
    attemptsCount: attempts.length,
    consideredUpTo,
    lastPosition: attempts.reduce((max, attempt) => (attempt.logPosition > max ? attempt.logPosition : max), 0n),
    anchor: resolution.window.anchor,
    competingCount: competing.length,
    maxCompetingEarliestMs: Math.max(Number.NEGATIVE_INFINITY, ...competing.map(earliestPossibleMs)),
    winners: resolution.winners,
    candidates: resolution.candidates,
    front: [...competing].sort(byCorrected).slice(0, FRONT_LIMIT),
    serverIds: [...new Set(competing.map((attempt) => attempt.serverId))].sort(),
    firstPositions: competing.slice(0, 2).map((attempt) => attempt.logPosition),
    afterWindowCount,
    afterSettlementCount,
  };
};

/** Adds attempts (in log order, all after every attempt folded so far). */
export const addAttempts = <T extends AttemptFacts>(
  state: SeatResolutionState<T> | null,
  added: readonly T[],
  windowMs: number,
): FoldResult<T> => {
  let current: FoldResult<T> | null = state;
  for (const attempt of [...added].sort(byPosition)) {
    current = current === null ? resolutionStateOf([attempt], windowMs)! : addOne(current, attempt);
    if (current === 'reload') return 'reload';
  }
  if (current === null) throw new Error('a seat resolution needs at least one attempt');
  return current;
};

const addOne = <T extends AttemptFacts>(state: SeatResolutionState<T>, attempt: T): FoldResult<T> => {
  const counted = { ...state, attemptsCount: state.attemptsCount + 1, lastPosition: attempt.logPosition };
  if (state.consideredUpTo !== null) return { ...counted, afterSettlementCount: state.afterSettlementCount + 1 };
  const anchor = anchorsBefore(attempt, state.anchor) ? attempt : state.anchor;
  const closes = closesAtMs(anchor, state.windowMs);
  // The close moved at or below an attempt that competed: who still competes is unknown here.
  if (anchor !== state.anchor && state.maxCompetingEarliestMs >= closes) return 'reload';
  const anchorLatest = anchor === null ? Number.POSITIVE_INFINITY : latestPossibleMs(anchor);
  const keptCandidates = state.candidates.filter((candidate) => earliestPossibleMs(candidate) <= anchorLatest);
  const earliest = earliestPossibleMs(attempt);
  if (attempt !== anchor && earliest >= closes) {
    return { ...counted, anchor, candidates: keptCandidates, afterWindowCount: state.afterWindowCount + 1 };
  }
  const winners = Object.fromEntries(
    DECISION_STRATEGIES.map((strategy) => {
      const best = state.winners[strategy];
      return [strategy, compareAttempts(strategy)(attempt, best) < 0 ? attempt : best];
    }),
  ) as Record<DecisionStrategy, T>;
  return {
    ...counted,
    anchor,
    competingCount: state.competingCount + 1,
    maxCompetingEarliestMs: Math.max(state.maxCompetingEarliestMs, earliest),
    winners,
    candidates: earliest <= anchorLatest ? [...keptCandidates, attempt] : keptCandidates,
    front: [...state.front, attempt].sort(byCorrected).slice(0, FRONT_LIMIT),
    serverIds: state.serverIds.includes(attempt.serverId)
      ? state.serverIds
      : [...state.serverIds, attempt.serverId].sort(),
    firstPositions:
      state.firstPositions.length < 2 ? [...state.firstPositions, attempt.logPosition] : state.firstPositions,
  };
};

/** The authority decided having read the log up to `consideredUpTo`. */
export const settleState = <T extends AttemptFacts>(
  state: SeatResolutionState<T>,
  consideredUpTo: bigint,
): FoldResult<T> => {
  // A seat is settled once; a second assignment changes nothing (the seat stream refuses it anyway).
  if (state.consideredUpTo !== null) return state;
  // Attempts recorded while the authority was deciding did not count: who competed must be recomputed.
  if (state.lastPosition > consideredUpTo) return 'reload';
  return { ...state, consideredUpTo };
};

/** What the state says, in resolveSeat's terms. */
export interface StateVerdict<T extends AttemptFacts> {
  readonly kinds: readonly ConflictKind[];
  readonly authoritative: { readonly winner: T; readonly decidedBy: DecidedBy };
  readonly closesAtMs: number;
}

export const verdictOf = <T extends AttemptFacts>(state: SeatResolutionState<T>): StateVerdict<T> => ({
  kinds: conflictKindsOf(state.competingCount, state.winners, state.candidates.length),
  authoritative: authoritativeOf(state.candidates),
  closesAtMs: closesAtMs(state.anchor, state.windowMs),
});
