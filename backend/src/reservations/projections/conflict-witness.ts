/** The evidence behind a conflict: every stamp of every attempt, and who each strategy picked. */
import type { SeatAnalysis } from '../domain/conflict-analysis';
import type { AttemptStamps } from '../domain/ordering';
import { ORDERING_STRATEGIES, type OrderingStrategy } from '../domain/seat-events';

export interface WitnessAttempt {
  attempt_id: string;
  customer_name: string;
  server_id: string;
  local_decision: string;
  server_time_ms: number;
  estimated_offset_ms: number;
  error_bound_ms: number;
  ntp_corrected_time_ms: number;
  hlc: string;
  reference_time_ms: number;
  log_position: string;
}

export interface ConflictWitness {
  attempts: WitnessAttempt[];
  winners: Record<OrderingStrategy, { attempt_id: string; customer_name: string; server_id: string }>;
  authoritative: { attempt_id: string; customer_name: string; decided_by: string };
  explanation: string;
}

type StampedRow = AttemptStamps & { row: { estimated_offset_ms: number } };

export const buildWitness = (analysis: SeatAnalysis<StampedRow>, attempts: readonly StampedRow[]): ConflictWitness => {
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
    winners,
    authoritative: { attempt_id: winner.attemptId, customer_name: winner.customerName, decided_by: decidedBy },
    explanation: explainConflict(analysis),
  };
};

export const explainConflict = (analysis: SeatAnalysis<AttemptStamps>): string => {
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
