/**
 * The per-seat conflict analysis, kept incrementally. analyseSeat() needs
 * every attempt of a seat; a hot seat has thousands, and re-reading them on
 * every batch made catch-up super-linear. This state (stored as
 * rm_seats.analysis) holds exactly what the analysis and the capped witness
 * need, and is folded forward with each batch's new attempts. Attempts are
 * only ever added to a seat, so every "first by X" is a running minimum.
 *
 * The one non-monotone part is `ambiguous` (attempts time cannot separate
 * from the NTP-corrected winner): it is relative to the winner, so when the
 * winner changes it is rebuilt from the attempts in a bounded corrected-time
 * window above the new winner (foldAttempts asks for it, completeWithWindow
 * takes it). Results equal analyseSeat + buildWitness over all attempts
 * (seat-analysis-state.unit.spec.ts checks that on random attempt sets).
 */
import { indistinguishable, type ConflictKind } from '../domain/conflict-analysis';
import { compareAttempts, type AttemptStamps } from '../domain/ordering';
import { ORDERING_STRATEGIES, type OrderingStrategy } from '../domain/seat-events';
import type { AttemptRow } from './attempt-row';
import { explainConflict, type ConflictWitness, type WitnessAttempt } from './conflict-witness';

/** Caps the witness of a hot seat: every strategy's winner plus this many front-runners by corrected time. */
export const WITNESS_ATTEMPTS_LIMIT = 25;

export interface SeatAnalysisState {
  attempts_count: number;
  winners: Record<OrderingStrategy, WitnessAttempt>;
  /** The first WITNESS_ATTEMPTS_LIMIT attempts by NTP-corrected order (all of them on a small seat). */
  front: WitnessAttempt[];
  /** Attempts whose corrected time cannot be told apart from winners.ntp_corrected's, in NTP-corrected order. */
  ambiguous: WitnessAttempt[];
  /** First by log order among the NTP-corrected winner and `ambiguous`. */
  authoritative: WitnessAttempt;
  /** Bounds the window searched when the NTP-corrected winner changes. */
  max_error_bound_ms: number;
  /** Distinct, sorted. */
  server_ids: string[];
  /** The two smallest log positions: the second is where contention began. */
  first_positions: string[];
}

export interface FoldStep {
  readonly state: SeatAnalysisState;
  /**
   * Set when the NTP-corrected winner changed: the attempts already stored with
   * ntp_corrected_time_ms below this bound must be passed to completeWithWindow.
   */
  readonly windowBelow: number | null;
}

export const witnessAttemptOf = (row: AttemptRow): WitnessAttempt => ({
  attempt_id: row.attempt_id,
  customer_name: row.customer_name,
  server_id: row.server_id,
  local_decision: row.local_decision,
  server_time_ms: row.server_time_ms,
  estimated_offset_ms: row.estimated_offset_ms,
  error_bound_ms: row.error_bound_ms,
  ntp_corrected_time_ms: row.ntp_corrected_time_ms,
  hlc: row.hlc,
  reference_time_ms: row.reference_time_ms,
  log_position: String(row.log_position),
});

const stampsOf = (attempt: WitnessAttempt): AttemptStamps => ({
  attemptId: attempt.attempt_id,
  customerName: attempt.customer_name,
  serverId: attempt.server_id,
  localDecision: attempt.local_decision,
  serverTimeMs: attempt.server_time_ms,
  ntpCorrectedTimeMs: attempt.ntp_corrected_time_ms,
  errorBoundMs: attempt.error_bound_ms,
  hlc: attempt.hlc,
  referenceTimeMs: attempt.reference_time_ms,
  logPosition: BigInt(attempt.log_position),
});

// The same comparisons analyseSeat uses, so ties break identically.
const comparators = Object.fromEntries(
  ORDERING_STRATEGIES.map((strategy) => {
    const compare = compareAttempts(strategy);
    return [strategy, (a: WitnessAttempt, b: WitnessAttempt) => compare(stampsOf(a), stampsOf(b))];
  }),
) as Record<OrderingStrategy, (a: WitnessAttempt, b: WitnessAttempt) => number>;

const firstBy = (strategy: OrderingStrategy, attempts: readonly WitnessAttempt[]): WitnessAttempt =>
  attempts.reduce((best, attempt) => (comparators[strategy](attempt, best) < 0 ? attempt : best));

const sortedBy = (strategy: OrderingStrategy, attempts: readonly WitnessAttempt[]): WitnessAttempt[] =>
  [...attempts].sort(comparators[strategy]);

const rivalsOf = (winner: WitnessAttempt, attempts: readonly WitnessAttempt[]): WitnessAttempt[] => {
  const winnerStamps = stampsOf(winner);
  return attempts.filter(
    (attempt) => attempt.attempt_id !== winner.attempt_id && indistinguishable(stampsOf(attempt), winnerStamps),
  );
};

const byPosition = (a: string, b: string): number => {
  const difference = BigInt(a) - BigInt(b);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
};

/** Adds a batch's new attempts (never seen before by this seat) to its state; `previous` null for a new seat. */
export const foldAttempts = (previous: SeatAnalysisState | null, added: readonly WitnessAttempt[]): FoldStep => {
  if (added.length === 0) {
    if (!previous) throw new Error('a seat analysis needs at least one attempt');
    return { state: previous, windowBelow: null };
  }
  const winners = Object.fromEntries(
    ORDERING_STRATEGIES.map((strategy) => [
      strategy,
      firstBy(strategy, previous ? [previous.winners[strategy], ...added] : added),
    ]),
  ) as Record<OrderingStrategy, WitnessAttempt>;
  const ntpWinner = winners.ntp_corrected;
  const sameWinner = previous !== null && previous.winners.ntp_corrected.attempt_id === ntpWinner.attempt_id;
  const rivals = rivalsOf(ntpWinner, added);
  const maxErrorBound = added.reduce(
    (max, attempt) => Math.max(max, attempt.error_bound_ms),
    previous?.max_error_bound_ms ?? Number.NEGATIVE_INFINITY,
  );
  const state: SeatAnalysisState = {
    attempts_count: (previous?.attempts_count ?? 0) + added.length,
    winners,
    front: sortedBy('ntp_corrected', [...(previous?.front ?? []), ...added]).slice(0, WITNESS_ATTEMPTS_LIMIT),
    ambiguous: sortedBy('ntp_corrected', [...(sameWinner ? previous.ambiguous : []), ...rivals]),
    authoritative: firstBy('log_order', [sameWinner ? previous.authoritative : ntpWinner, ...rivals]),
    max_error_bound_ms: maxErrorBound,
    server_ids: [...new Set([...(previous?.server_ids ?? []), ...added.map((attempt) => attempt.server_id)])].sort(),
    first_positions: [...(previous?.first_positions ?? []), ...added.map((attempt) => attempt.log_position)]
      .sort(byPosition)
      .slice(0, 2),
  };
  // A stored attempt can only be ambiguous with the new winner if its corrected time is below
  // winner + its bound + the largest bound; the margin absorbs floating-point rounding.
  const windowBelow =
    previous !== null && !sameWinner
      ? ntpWinner.ntp_corrected_time_ms + ntpWinner.error_bound_ms + maxErrorBound + 1
      : null;
  return { state, windowBelow };
};

/** Finishes a fold whose NTP-corrected winner changed, given the stored attempts below `windowBelow`. */
export const completeWithWindow = (
  state: SeatAnalysisState,
  windowAttempts: readonly WitnessAttempt[],
): SeatAnalysisState => {
  const listed = new Set(state.ambiguous.map((attempt) => attempt.attempt_id));
  const rivals = rivalsOf(state.winners.ntp_corrected, windowAttempts).filter(
    (attempt) => !listed.has(attempt.attempt_id),
  );
  if (rivals.length === 0) return state;
  return {
    ...state,
    ambiguous: sortedBy('ntp_corrected', [...state.ambiguous, ...rivals]),
    authoritative: firstBy('log_order', [state.authoritative, ...rivals]),
  };
};

export const conflictKindsOf = (state: SeatAnalysisState): ConflictKind[] => {
  const kinds: ConflictKind[] = [];
  if (state.attempts_count >= 2) kinds.push('contention');
  if (state.winners.server_clock.attempt_id !== state.winners.ntp_corrected.attempt_id) kinds.push('inversion');
  if (state.ambiguous.length > 0) kinds.push('ambiguous');
  return kinds;
};

const named = (attempt: WitnessAttempt) => ({ customerName: attempt.customer_name, serverId: attempt.server_id });

/** The witness buildWitness(analyseSeat(all), all, { maxAttempts: WITNESS_ATTEMPTS_LIMIT }) would give. */
export const witnessOf = (state: SeatAnalysisState): ConflictWitness => {
  const listedById = new Map<string, WitnessAttempt>();
  const candidates =
    state.attempts_count <= WITNESS_ATTEMPTS_LIMIT
      ? state.front
      : [...Object.values(state.winners), state.authoritative, ...state.front];
  for (const attempt of candidates) listedById.set(attempt.attempt_id, attempt);
  const attempts = [...listedById.values()].sort((a, b) => byPosition(a.log_position, b.log_position));
  const winners = Object.fromEntries(
    ORDERING_STRATEGIES.map((strategy) => {
      const winner = state.winners[strategy];
      return [
        strategy,
        { attempt_id: winner.attempt_id, customer_name: winner.customer_name, server_id: winner.server_id },
      ];
    }),
  ) as ConflictWitness['winners'];
  const omitted = state.attempts_count - attempts.length;
  return {
    attempts: attempts.map((attempt) => ({ ...attempt })),
    ...(omitted > 0 ? { attempts_omitted: omitted } : {}),
    winners,
    authoritative: {
      attempt_id: state.authoritative.attempt_id,
      customer_name: state.authoritative.customer_name,
      decided_by: state.ambiguous.length > 0 ? 'log_order' : 'ntp_corrected',
    },
    explanation: explainConflict({
      winners: { server_clock: named(state.winners.server_clock), ntp_corrected: named(state.winners.ntp_corrected) },
      kinds: conflictKindsOf(state),
      ambiguousWith: state.ambiguous.map(named),
    }),
  };
};
