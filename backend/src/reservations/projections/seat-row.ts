/** A row of rm_seats as pg returns it (bigint as string), and the empty row a seat starts from. */

export interface SeatRow {
  run_id: string;
  seat_id: number;
  attempts_count: number;
  /** Display only (the truth); no decision reads it. */
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
  /** The truly first of all the seat's attempts (the lab's scoring). */
  winner_truth: string | null;
  conflict_kinds: string[];
  updated_position: string;
  window_ms: number | null;
  /** When the window closes (c + b of its anchor + window); null when no attempt has a bound. */
  closes_at_ms: number | null;
  /** Set once settled: the log position the authority had read. */
  considered_up_to: string | null;
  competing_count: number;
  candidates_count: number;
  /** Who the resolution model gives the seat to (before settlement: who it would, now). */
  authoritative_attempt_id: string | null;
  authoritative_decided_by: string | null;
  /** Once settled: is the holder the truly first attempt, and if not, what explains it. */
  holder_verdict: string | null;
  violated_attempts: number;
  /**
   * The StoredSeatAnalysis as JSON text (seat-analysis.ts). Null until the seat
   * has an attempt (or for seats projected by an older model version).
   */
  analysis: string | null;
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
  window_ms: null,
  closes_at_ms: null,
  considered_up_to: null,
  competing_count: 0,
  candidates_count: 0,
  authoritative_attempt_id: null,
  authoritative_decided_by: null,
  holder_verdict: null,
  violated_attempts: 0,
  analysis: null,
});
