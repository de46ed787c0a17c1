/** One report shape for every command (live session, seeded run, replay, what-if, sweep point). */
export const STRATEGIES = ['server_clock', 'ntp_corrected', 'log_order', 'hlc', 'truth'] as const;
export type Strategy = (typeof STRATEGIES)[number];
/** What a sweep plots: each ordering strategy's own pick, and the holder the lab assigns (its authority). */
export type Series = Strategy | 'authority';

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
  /**
   * The holder the lab assigned (NTP-corrected time, log order when time cannot decide):
   * settled contended seats, and how many went to the truly first customer.
   */
  readonly authority?: { readonly seats: number; readonly correct: number };
  /** Wrong holders by cause (ambiguous, bound_violation, late_arrival, unexplained). */
  readonly wrong_holders?: Readonly<Record<string, number>>;
  /** Attempts whose true time lay outside their error interval, all servers together. */
  readonly bound_violations?: number;
  readonly worst_inversion: InversionWitness | null;
  /** Free-form extras (parameters, clocks, timings) carried into --json. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Seats a strategy (or the lab's assignment) gave to someone else than the truly first customer, per 10,000 attempts. */
export const wrongPer10k = (report: LabReport, series: Series): number => {
  if (report.attempts === 0) return 0;
  if (series === 'authority') {
    const wrong = report.authority ? report.authority.seats - report.authority.correct : 0;
    return (wrong * 10_000) / report.attempts;
  }
  return ((1 - report.accuracy[series]) * report.contended_seats * 10_000) / report.attempts;
};
