/** The evidence behind a conflict: every stamp of every attempt, and who each strategy picked. */
import type { ConflictKind, SeatAnalysis } from '../domain/conflict-analysis';
import { orderAttempts, type AttemptStamps } from '../domain/ordering';
import { ORDERING_STRATEGIES, type LocalDecision, type OrderingStrategy } from '../domain/seat-events';

export interface WitnessAttempt {
  attempt_id: string;
  customer_name: string;
  server_id: string;
  local_decision: LocalDecision;
  server_time_ms: number;
  estimated_offset_ms: number;
  error_bound_ms: number;
  ntp_corrected_time_ms: number;
  hlc: string;
  reference_time_ms: number;
  log_position: string;
}

export interface ConflictWitness {
  /** Every attempt, in log order, unless the witness was capped (see attempts_omitted). */
  attempts: WitnessAttempt[];
  /**
   * Present only when a hot seat's witness was capped: how many attempts are not
   * listed. The listed ones are every strategy's winner plus the front-runners by
   * NTP-corrected time; the conflict's attempts_count stays exact.
   */
  attempts_omitted?: number;
  winners: Record<OrderingStrategy, { attempt_id: string; customer_name: string; server_id: string }>;
  authoritative: { attempt_id: string; customer_name: string; decided_by: string };
  explanation: string;
}

type StampedRow = AttemptStamps & { row: { estimated_offset_ms: number } };

export interface WitnessOptions {
  /** List at most this many front-runners (plus each strategy's winner); default: every attempt. */
  readonly maxAttempts?: number;
}

/** The attempts a capped witness lists, still in log order. */
const listedAttempts = <T extends StampedRow>(
  analysis: SeatAnalysis<T>,
  attempts: readonly T[],
  maxAttempts: number,
): readonly T[] => {
  if (attempts.length <= maxAttempts) return attempts;
  const listed = new Set<T>([
    ...Object.values(analysis.winners),
    analysis.authoritative.winner,
    ...orderAttempts('ntp_corrected', attempts).slice(0, maxAttempts),
  ]);
  return attempts.filter((attempt) => listed.has(attempt));
};

export const buildWitness = (
  analysis: SeatAnalysis<StampedRow>,
  allAttempts: readonly StampedRow[],
  options: WitnessOptions = {},
): ConflictWitness => {
  const attempts = listedAttempts(analysis, allAttempts, options.maxAttempts ?? Number.POSITIVE_INFINITY);
  const winners = Object.fromEntries(
    ORDERING_STRATEGIES.map((strategy) => {
      const winner = analysis.winners[strategy];
      return [
        strategy,
        { attempt_id: winner.attemptId, customer_name: winner.customerName, server_id: winner.serverId },
      ];
    }),
  ) as ConflictWitness['winners'];
  const { winner, decidedBy } = analysis.authoritative;
  return {
    attempts: attempts.map((attempt) => ({
      attempt_id: attempt.attemptId,
      customer_name: attempt.customerName,
      server_id: attempt.serverId,
      local_decision: attempt.localDecision,
      server_time_ms: attempt.serverTimeMs,
      estimated_offset_ms: attempt.row.estimated_offset_ms,
      error_bound_ms: attempt.errorBoundMs,
      ntp_corrected_time_ms: attempt.ntpCorrectedTimeMs,
      hlc: attempt.hlc,
      reference_time_ms: attempt.referenceTimeMs,
      log_position: attempt.logPosition.toString(),
    })),
    ...(attempts.length < allAttempts.length ? { attempts_omitted: allAttempts.length - attempts.length } : {}),
    winners,
    authoritative: { attempt_id: winner.attemptId, customer_name: winner.customerName, decided_by: decidedBy },
    explanation: explainConflict(analysis),
  };
};

type Named = Pick<AttemptStamps, 'customerName' | 'serverId'>;

/** What the explanation needs of an analysis (the incremental seat state provides the same). */
export interface ExplainableAnalysis {
  readonly winners: Readonly<Record<'server_clock' | 'ntp_corrected', Named>>;
  readonly kinds: readonly ConflictKind[];
  /** In NTP-corrected order. */
  readonly ambiguousWith: readonly Pick<AttemptStamps, 'customerName'>[];
}

export const explainConflict = (analysis: ExplainableAnalysis): string => {
  const parts: string[] = [];
  const { server_clock: byServerClock, ntp_corrected: byCorrected } = analysis.winners;
  if (analysis.kinds.includes('inversion')) {
    parts.push(
      `inversion: server clocks pick ${byServerClock.customerName} (${byServerClock.serverId}), NTP-corrected time picks ${byCorrected.customerName} (${byCorrected.serverId})`,
    );
  }
  if (analysis.kinds.includes('ambiguous')) {
    parts.push(
      `ambiguous: corrected times of ${[byCorrected, ...analysis.ambiguousWith].map((a) => a.customerName).join(', ')} are closer than their error bounds; log order decides`,
    );
  }
  if (parts.length === 0) parts.push(`contention: ${byCorrected.customerName} is first by NTP-corrected time`);
  return parts.join('; ');
};
