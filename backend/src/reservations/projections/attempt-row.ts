import type { AttemptFacts } from '../domain/attempt-facts';
import type { ScoredAttempt } from '../domain/scoring/truth-scoring';

/** A row of rm_attempts as pg returns it (bigint as string). */
export interface AttemptRow {
  attempt_id: string;
  run_id: string;
  seat_id: number;
  customer_name: string;
  server_id: string;
  local_decision: 'confirmed' | 'rejected';
  outcome: 'pending' | 'won' | 'lost';
  outcome_reason: string | null;
  server_time_ms: number;
  reference_time_ms: number;
  /** 0 when the reference time is exact (simulated clocks, attempts recorded before it was kept). */
  reference_uncertainty_ms: number;
  estimated_offset_ms: number;
  error_bound_ms: number;
  ntp_corrected_time_ms: number;
  hlc: string;
  log_position: string;
  recorded_at: Date;
  sync_epoch: number | null;
  revoked: boolean;
  /** A later sync found this server's clock had jumped past its bound since the sync before this attempt. */
  out_of_bound: boolean;
  /** The lab's scoring: the truth lay outside this attempt's error interval. */
  bound_violated: boolean;
}

/** An attempt as the projection handles it: what the authority knows, the truth, and what the witness shows. */
export interface ProjectedAttempt extends ScoredAttempt {
  readonly estimatedOffsetMs: number;
  readonly syncEpoch: number | null;
}

export const projectedAttemptOf = (row: AttemptRow): ProjectedAttempt => ({
  attemptId: row.attempt_id,
  customerName: row.customer_name,
  serverId: row.server_id,
  localDecision: row.local_decision,
  serverTimeMs: row.server_time_ms,
  ntpCorrectedTimeMs: row.ntp_corrected_time_ms,
  errorBoundMs: row.error_bound_ms,
  hlc: row.hlc,
  logPosition: BigInt(row.log_position),
  referenceTimeMs: row.reference_time_ms,
  // 0 and absent are one thing (an exact truth): absent keeps the stored analysis as it was.
  ...(row.reference_uncertainty_ms > 0 ? { referenceUncertaintyMs: row.reference_uncertainty_ms } : {}),
  estimatedOffsetMs: row.estimated_offset_ms,
  syncEpoch: row.sync_epoch,
});

/** What the authority may know of a stored attempt: the reference time stays behind. */
export const attemptFactsOfRow = (row: AttemptRow): AttemptFacts => ({
  attemptId: row.attempt_id,
  customerName: row.customer_name,
  serverId: row.server_id,
  localDecision: row.local_decision,
  serverTimeMs: row.server_time_ms,
  ntpCorrectedTimeMs: row.ntp_corrected_time_ms,
  errorBoundMs: row.error_bound_ms,
  hlc: row.hlc,
  logPosition: BigInt(row.log_position),
});
