/**
 * Conflict detection for one seat: who each strategy picks, which conflict
 * kinds apply, and who the authoritative winner is.
 */
import { orderAttempts, winnerBy, type AttemptStamps } from './ordering';
import { ORDERING_STRATEGIES, type OrderingStrategy } from './seat-events';

export type ConflictKind = 'contention' | 'inversion' | 'ambiguous';

export interface SeatAnalysis<T extends AttemptStamps> {
  readonly winners: Readonly<Record<OrderingStrategy, T>>;
  readonly kinds: readonly ConflictKind[];
  /** ntp_corrected, or log_order among the attempts time cannot separate from the front-runner. */
  readonly authoritative: { readonly winner: T; readonly decidedBy: OrderingStrategy };
  /** Attempts whose corrected time cannot be told apart from the ntp_corrected winner's. */
  readonly ambiguousWith: readonly T[];
}

/** Two corrected times cannot be ordered when they are closer than their error bounds together. */
export const indistinguishable = (a: AttemptStamps, b: AttemptStamps): boolean =>
  Math.abs(a.ntpCorrectedTimeMs - b.ntpCorrectedTimeMs) < a.errorBoundMs + b.errorBoundMs;

export const analyseSeat = <T extends AttemptStamps>(attempts: readonly T[]): SeatAnalysis<T> | null => {
  if (attempts.length === 0) return null;
  const winners = Object.fromEntries(
    ORDERING_STRATEGIES.map((strategy) => [strategy, winnerBy(strategy, attempts)!]),
  ) as Record<OrderingStrategy, T>;
  const ntpWinner = winners.ntp_corrected;
  const ambiguousWith = orderAttempts('ntp_corrected', attempts).filter(
    (attempt) => attempt !== ntpWinner && indistinguishable(attempt, ntpWinner),
  );
  const kinds: ConflictKind[] = [];
  if (attempts.length >= 2) kinds.push('contention');
  if (winners.server_clock.attemptId !== ntpWinner.attemptId) kinds.push('inversion');
  if (ambiguousWith.length > 0) kinds.push('ambiguous');
  const authoritative =
    ambiguousWith.length > 0
      ? { winner: winnerBy('log_order', [ntpWinner, ...ambiguousWith])!, decidedBy: 'log_order' as const }
      : { winner: ntpWinner, decidedBy: 'ntp_corrected' as const };
  return { winners, kinds, authoritative, ambiguousWith };
};
