/** One report shape for every command (live session, seeded run, replay, what-if, sweep point). */
export const STRATEGIES = ['server_clock', 'ntp_corrected', 'log_order', 'hlc', 'truth'] as const;
export type Strategy = (typeof STRATEGIES)[number];

export interface WitnessSide {
  readonly attempt_id: string;
  readonly customer_name: string;
  readonly server_id: string;
  readonly reference_time_ms: number;
  readonly server_time_ms: number;
  readonly ntp_corrected_time_ms: number;
}

/** The seat where ordering by server clocks was most wrong, in true (reference) time. */
export interface InversionWitness {
  readonly seat_id: number;
  readonly conflict_id?: string;
  readonly gap_ms: number;
  readonly true_first: WitnessSide;
  readonly server_clock_winner: WitnessSide;
}

export interface LabReport {
  readonly title: string;
  readonly run_id: string | null;
  readonly attempts: number;
  readonly contended_seats: number;
  readonly conflicts: { readonly contention: number; readonly inversion: number; readonly ambiguous: number };
  /** Share of contended seats each strategy gave to the truly first customer. */
  readonly accuracy: Readonly<Record<Strategy, number>>;
  readonly worst_inversion: InversionWitness | null;
  /** Free-form extras (parameters, clocks, timings) carried into --json. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Seats a strategy gave to someone else than the truly first customer, per 10,000 attempts. */
export const wrongPer10k = (report: LabReport, strategy: Strategy): number =>
  report.attempts === 0 ? 0 : ((1 - report.accuracy[strategy]) * report.contended_seats * 10_000) / report.attempts;
