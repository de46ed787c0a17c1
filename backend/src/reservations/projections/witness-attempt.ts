/** An attempt as a witness shows it and as rm_seats.analysis stores it (snake_case JSON, positions as strings). */
import type { ProjectedAttempt } from './attempt-row';

export interface WitnessAttempt {
  attempt_id: string;
  customer_name: string;
  server_id: string;
  local_decision: 'confirmed' | 'rejected';
  server_time_ms: number;
  estimated_offset_ms: number;
  error_bound_ms: number;
  ntp_corrected_time_ms: number;
  hlc: string;
  reference_time_ms: number;
  log_position: string;
  sync_epoch: number | null;
}

export const toWitnessAttempt = (attempt: ProjectedAttempt): WitnessAttempt => ({
  attempt_id: attempt.attemptId,
  customer_name: attempt.customerName,
  server_id: attempt.serverId,
  local_decision: attempt.localDecision,
  server_time_ms: attempt.serverTimeMs,
  estimated_offset_ms: attempt.estimatedOffsetMs,
  error_bound_ms: attempt.errorBoundMs,
  ntp_corrected_time_ms: attempt.ntpCorrectedTimeMs,
  hlc: attempt.hlc,
  reference_time_ms: attempt.referenceTimeMs,
  log_position: attempt.logPosition.toString(),
  sync_epoch: attempt.syncEpoch,
});

export const fromWitnessAttempt = (attempt: WitnessAttempt): ProjectedAttempt => ({
  attemptId: attempt.attempt_id,
  customerName: attempt.customer_name,
  serverId: attempt.server_id,
  localDecision: attempt.local_decision,
  serverTimeMs: attempt.server_time_ms,
  estimatedOffsetMs: attempt.estimated_offset_ms,
  errorBoundMs: attempt.error_bound_ms,
  ntpCorrectedTimeMs: attempt.ntp_corrected_time_ms,
  hlc: attempt.hlc,
  referenceTimeMs: attempt.reference_time_ms,
  logPosition: BigInt(attempt.log_position),
  syncEpoch: attempt.sync_epoch ?? null,
});
