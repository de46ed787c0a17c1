import type { AttemptStamps } from '../domain/ordering';

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
  estimated_offset_ms: number;
  error_bound_ms: number;
  ntp_corrected_time_ms: number;
  hlc: string;
  log_position: string;
  recorded_at: Date;
}

export const toAttemptStamps = (row: AttemptRow): AttemptStamps & { row: AttemptRow } => ({
  attemptId: row.attempt_id,
  customerName: row.customer_name,
  serverId: row.server_id,
  localDecision: row.local_decision,
  serverTimeMs: row.server_time_ms,
  ntpCorrectedTimeMs: row.ntp_corrected_time_ms,
  errorBoundMs: row.error_bound_ms,
  hlc: row.hlc,
  referenceTimeMs: row.reference_time_ms,
  logPosition: BigInt(row.log_position),
  row,
});
