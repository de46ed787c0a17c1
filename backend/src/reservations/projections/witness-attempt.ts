/** An attempt as a conflict's witness shows it (snake_case JSON, positions as strings). */
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
  reference_uncertainty_ms: number;
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
  reference_uncertainty_ms: attempt.referenceUncertaintyMs ?? 0,
  log_position: attempt.logPosition.toString(),
  sync_epoch: attempt.syncEpoch,
});
