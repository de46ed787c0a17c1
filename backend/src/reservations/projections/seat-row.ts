/** A row of rm_seats as pg returns it (bigint as string), and the empty row a seat starts from. */
import type { SeatAnalysisState } from './seat-analysis-state';

export interface SeatRow {
  run_id: string;
  seat_id: number;
  attempts_count: number;
  first_attempt_reference_ms: number | null;
  holder_attempt_id: string | null;
  holder_customer_name: string | null;
  holder_server_id: string | null;
  decided_by: string | null;
  assigned_position: string | null;
  winner_server_clock: string | null;
  winner_ntp_corrected: string | null;
  winner_log_order: string | null;
  winner_hlc: string | null;
  winner_truth: string | null;
  conflict_kinds: string[];
  updated_position: string;
  /** Null until the seat has an attempt (or for seats projected before incremental analysis). */
  analysis: SeatAnalysisState | null;
}

/** The column defaults of rm_seats, for a seat the batch creates. */
export const emptySeatRow = (runId: string, seatId: number, position: bigint): SeatRow => ({
  run_id: runId,
  seat_id: seatId,
  attempts_count: 0,
  first_attempt_reference_ms: null,
  holder_attempt_id: null,
  holder_customer_name: null,
  holder_server_id: null,
  decided_by: null,
  assigned_position: null,
  winner_server_clock: null,
  winner_ntp_corrected: null,
  winner_log_order: null,
  winner_hlc: null,
  winner_truth: null,
  conflict_kinds: [],
  updated_position: position.toString(),
  analysis: null,
});
