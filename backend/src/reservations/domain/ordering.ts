/**
 * The orderings the authority can compute, as pure comparisons over what it
 * knows of an attempt. The fifth ordering, truth, belongs to the lab's
 * oracle (scoring/truth-scoring.ts): it scores, it never decides.
 */
import { assertNever } from '../../shared/assert-never';
import type { AttemptFacts } from './attempt-facts';
import type { OrderingStrategy } from './seat-events';

export type DecisionStrategy = Exclude<OrderingStrategy, 'truth'>;
export const DECISION_STRATEGIES: readonly DecisionStrategy[] = ['server_clock', 'ntp_corrected', 'log_order', 'hlc'];

const compareNumbers = (a: number, b: number): number => (a < b ? -1 : a > b ? 1 : 0);
export const comparePositions = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);
const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const primaryKey = (strategy: DecisionStrategy, a: AttemptFacts, b: AttemptFacts): number => {
  switch (strategy) {
    case 'server_clock':
      return compareNumbers(a.serverTimeMs, b.serverTimeMs);
    case 'ntp_corrected':
      return compareNumbers(a.ntpCorrectedTimeMs, b.ntpCorrectedTimeMs);
    case 'log_order':
      return comparePositions(a.logPosition, b.logPosition);
    case 'hlc':
      return compareStrings(a.hlc, b.hlc);
    default:
      return assertNever(strategy);
  }
};

/** Ties (equal timestamps) fall back to log order, so every strategy is a total order. */
export const compareAttempts =
  (strategy: DecisionStrategy) =>
  (a: AttemptFacts, b: AttemptFacts): number =>
    primaryKey(strategy, a, b) || comparePositions(a.logPosition, b.logPosition);

export const orderAttempts = <T extends AttemptFacts>(strategy: DecisionStrategy, attempts: readonly T[]): T[] =>
  [...attempts].sort(compareAttempts(strategy));

/** The first attempt under a strategy, in one pass. */
export const firstBy = <T extends AttemptFacts>(strategy: DecisionStrategy, attempts: readonly T[]): T | null => {
  const compare = compareAttempts(strategy);
  let best: T | null = null;
  for (const attempt of attempts) if (best === null || compare(attempt, best) < 0) best = attempt;
  return best;
};
