/** The five ways to say who came first, as pure comparisons over an attempt's stamps. */
import { assertNever } from '../../shared/assert-never';
import type { LocalDecision, OrderingStrategy } from './seat-events';

export interface AttemptStamps {
  readonly attemptId: string;
  readonly customerName: string;
  readonly serverId: string;
  readonly localDecision: LocalDecision;
  readonly serverTimeMs: number;
  readonly ntpCorrectedTimeMs: number;
  readonly errorBoundMs: number;
  readonly hlc: string;
  readonly referenceTimeMs: number;
  readonly logPosition: bigint;
}

const compareNumbers = (a: number, b: number): number => (a < b ? -1 : a > b ? 1 : 0);
const comparePositions = (a: bigint, b: bigint): number => (a < b ? -1 : a > b ? 1 : 0);
const compareStrings = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const primaryKey = (strategy: OrderingStrategy, a: AttemptStamps, b: AttemptStamps): number => {
  switch (strategy) {
    case 'server_clock':
      return compareNumbers(a.serverTimeMs, b.serverTimeMs);
    case 'ntp_corrected':
      return compareNumbers(a.ntpCorrectedTimeMs, b.ntpCorrectedTimeMs);
    case 'log_order':
      return comparePositions(a.logPosition, b.logPosition);
    case 'hlc':
      return compareStrings(a.hlc, b.hlc);
    case 'truth':
      return compareNumbers(a.referenceTimeMs, b.referenceTimeMs);
    default:
      return assertNever(strategy);
  }
};

/** Ties (equal timestamps) fall back to log order, so every strategy is a total order. */
export const compareAttempts =
  (strategy: OrderingStrategy) =>
  (a: AttemptStamps, b: AttemptStamps): number =>
    primaryKey(strategy, a, b) || comparePositions(a.logPosition, b.logPosition);

export const orderAttempts = <T extends AttemptStamps>(strategy: OrderingStrategy, attempts: readonly T[]): T[] =>
  [...attempts].sort(compareAttempts(strategy));

export const winnerBy = <T extends AttemptStamps>(strategy: OrderingStrategy, attempts: readonly T[]): T | null =>
  attempts.length === 0 ? null : orderAttempts(strategy, attempts)[0]!;
