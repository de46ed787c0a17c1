/**
 * Who gets the seat: the one resolution rule, decided only from what the
 * authority can know. Live settlement, seeded runs and the projection all
 * call it (docs/resolution.md states the rule in words).
 *
 *   considered  = the attempts in the log up to where the authority had read
 *                 when it decided (all of them while the seat is open)
 *   competing   = considered attempts that can belong to the window (seat-window.ts)
 *   candidates  = competing attempts that could be first: c − b ≤ the
 *                 smallest c + b of the others (no other attempt provably precedes it)
 *   one candidate  → it wins by NTP-corrected time
 *   several        → ambiguous: time cannot order them; log order among them decides
 */
import { earliestPossibleMs, latestPossibleMs, type AttemptFacts } from '../attempt-facts';
import { comparePositions, DECISION_STRATEGIES, firstBy, type DecisionStrategy } from '../ordering';
import { seatWindowOf, type SeatWindow } from './seat-window';

export type ConflictKind = 'contention' | 'inversion' | 'ambiguous';

export type AttemptRole =
  /** Competes and could be first. */
  | 'candidate'
  /** Competes, but another attempt provably came before it. */
  | 'competing'
  /** Provably made more than the window after the seat's first attempt. */
  | 'after_window'
  /** Reached the log after the authority had decided. */
  | 'after_settlement';

export type LossReason<T extends AttemptFacts> =
  | { readonly kind: 'after_settlement' }
  | { readonly kind: 'after_window'; readonly closesAtMs: number }
  /** Its earliest possible time is after `than`'s latest possible time. */
  | { readonly kind: 'provably_later'; readonly than: T }
  /** It could have been first, but time cannot tell, and the winner is earlier in the log. */
  | { readonly kind: 'log_order' };

export type DecidedBy = 'ntp_corrected' | 'log_order';

export interface ResolutionInput<T extends AttemptFacts> {
  readonly attempts: readonly T[];
  readonly windowMs: number;
  /** The log position the authority had read when it decided; null (or absent) while the seat is open. */
  readonly consideredUpTo?: bigint | null;
}

export interface SeatResolution<T extends AttemptFacts> {
  readonly window: SeatWindow<T>;
  /** In log order. */
  readonly competing: readonly T[];
  /** In log order. */
  readonly candidates: readonly T[];
  /** First under each ordering the authority can compute, among the competing attempts. */
  readonly winners: Readonly<Record<DecisionStrategy, T>>;
  readonly kinds: readonly ConflictKind[];
  readonly authoritative: { readonly winner: T; readonly decidedBy: DecidedBy };
  /** Every attempt's role, by attempt id. */
  readonly roles: ReadonlyMap<string, AttemptRole>;
  /** Every attempt but the winner, in log order, with why it lost. */
  readonly losers: readonly { readonly attempt: T; readonly reason: LossReason<T> }[];
}

const byPosition = (a: AttemptFacts, b: AttemptFacts): number => comparePositions(a.logPosition, b.logPosition);

/** The attempts that could be first: none of the others is provably earlier. */
export const candidatesOf = <T extends AttemptFacts>(competing: readonly T[], anchor: T | null): T[] => {
  // The anchor has the smallest c + b, so "c − b ≤ the smallest c + b of the others" is
  // "c − b ≤ the anchor's c + b" for every other attempt; the anchor itself always qualifies.
  if (anchor === null) return [...competing];
  const anchorLatest = latestPossibleMs(anchor);
  return competing.filter((attempt) => earliestPossibleMs(attempt) <= anchorLatest);
};

export const conflictKindsOf = (
  competingCount: number,
  winners: Readonly<Record<DecisionStrategy, AttemptFacts>>,
  candidatesCount: number,
): ConflictKind[] => {
  const kinds: ConflictKind[] = [];
  if (competingCount >= 2) kinds.push('contention');
  if (winners.server_clock.attemptId !== winners.ntp_corrected.attemptId) kinds.push('inversion');
  if (candidatesCount >= 2) kinds.push('ambiguous');
  return kinds;
};

/** candidates in log order: the first one wins; by time when it is alone. */
export const authoritativeOf = <T extends AttemptFacts>(
  candidates: readonly T[],
): { readonly winner: T; readonly decidedBy: DecidedBy } => ({
  winner: candidates[0]!,
  decidedBy: candidates.length === 1 ? 'ntp_corrected' : 'log_order',
});

export const winnersOf = <T extends AttemptFacts>(competing: readonly T[]): Record<DecisionStrategy, T> =>
  Object.fromEntries(DECISION_STRATEGIES.map((strategy) => [strategy, firstBy(strategy, competing)!])) as Record<
    DecisionStrategy,
    T
  >;

export const resolveSeat = <T extends AttemptFacts>(input: ResolutionInput<T>): SeatResolution<T> | null => {
  const cutoff = input.consideredUpTo ?? null;
  const inLogOrder = [...input.attempts].sort(byPosition);
  const considered = cutoff === null ? inLogOrder : inLogOrder.filter((attempt) => attempt.logPosition <= cutoff);
  if (considered.length === 0) return null;
  const window = seatWindowOf(considered, input.windowMs);
  const competing = considered.filter(
    (attempt) => attempt === window.anchor || earliestPossibleMs(attempt) < window.closesAtMs,
  );
  const candidates = candidatesOf(competing, window.anchor);
  const winners = winnersOf(competing);
  const authoritative = authoritativeOf(candidates);
  const competingIds = new Set(competing.map((attempt) => attempt.attemptId));
  const candidateIds = new Set(candidates.map((attempt) => attempt.attemptId));
  const roles = new Map<string, AttemptRole>();
  const losers: { attempt: T; reason: LossReason<T> }[] = [];
  for (const attempt of inLogOrder) {
    const role: AttemptRole =
      cutoff !== null && attempt.logPosition > cutoff
        ? 'after_settlement'
        : !competingIds.has(attempt.attemptId)
          ? 'after_window'
          : candidateIds.has(attempt.attemptId)
            ? 'candidate'
            : 'competing';
    roles.set(attempt.attemptId, role);
    if (attempt === authoritative.winner) continue;
    losers.push({ attempt, reason: lossReasonOf(role, window) });
  }
  return {
    window,
    competing,
    candidates,
    winners,
    kinds: conflictKindsOf(competing.length, winners, candidates.length),
    authoritative,
    roles,
    losers,
  };
};

const lossReasonOf = <T extends AttemptFacts>(role: AttemptRole, window: SeatWindow<T>): LossReason<T> => {
  switch (role) {
    case 'after_settlement':
      return { kind: 'after_settlement' };
    case 'after_window':
      return { kind: 'after_window', closesAtMs: window.closesAtMs };
    case 'candidate':
      return { kind: 'log_order' };
    case 'competing':
      // Only a bounded anchor can make a competing attempt provably later.
      return { kind: 'provably_later', than: window.anchor! };
  }
};
