/**
 * Keeps the planner's statistics of the log current on an engine that has no
 * autovacuum: PGlite runs in single-user mode, so nothing ever analyzes
 * `events`.
 *
 * Why it matters: without statistics the planner takes
 * `position > $1 AND position < $2` to match 0.5 % of the table, and the
 * first five runs of each prepared read of the log (custom plans) scan every
 * later row and sort them instead of walking the primary key. Measured on a
 * 200,000-event log: each of a rebuild's first five 10,000-event pages took
 * 0.4–0.6 s, the later ones (the generic plan) 0.1 s; after an ANALYZE, all
 * of them 0.1 s.
 *
 * The rule is shaped like autovacuum's: analyze again once the appends since
 * the last ANALYZE reach a floor plus 10 % of the rows it counted. The floor
 * (autovacuum's is 50) keeps a young log unanalyzed: a never-analyzed table
 * is planned as at least ten pages, which is what keeps the generic plans
 * made on an empty log walking their indexes (event-log-plans.int.spec.ts);
 * an ANALYZE of an empty log would tell the planner it stays empty.
 */
export interface LogStatisticsOptions {
  /** Runs ANALYZE on the log and answers the rows it counted. */
  readonly analyze: () => Promise<number>;
  /** Told when an ANALYZE fails (the database stopped): the log works without it. */
  readonly onError: (error: unknown) => void;
}

/** Appends below this many events never trigger an ANALYZE. */
export const ANALYZE_FLOOR_EVENTS = 1000;
/** Share of the analyzed rows the log may grow by before the next ANALYZE (autovacuum's default). */
export const ANALYZE_SCALE = 0.1;

/** Appends after which a log that ANALYZE counted `analyzedRows` in is analyzed again. */
export const analyzeThreshold = (analyzedRows: number): number =>
  ANALYZE_FLOOR_EVENTS + ANALYZE_SCALE * Math.max(0, analyzedRows);

export class LogStatistics {
  private analyzedRows = 0;
  private appendedSince = 0;
  private running: Promise<void> | null = null;
  private started = false;
  private closed = false;

  constructor(private readonly options: LogStatisticsOptions) {}

  /**
   * What the log holds at open, counted from the table (so appends made
   * before a restart, or by another process, count too): the rows the last
   * ANALYZE counted (0 when never analyzed) and the events stored since, up
   * to the threshold. Only the first call counts: migrate() may run again.
   */
  start(state: { readonly analyzedRows: number; readonly appendedSince: number }): void {
    if (this.started) return;
    this.started = true;
    this.analyzedRows = state.analyzedRows;
    this.noteAppended(state.appendedSince);
  }

  noteAppended(events: number): void {
    this.appendedSince += events;
    if (this.running || this.closed || this.appendedSince < analyzeThreshold(this.analyzedRows)) return;
    const counted = this.appendedSince;
    this.appendedSince = 0;
    this.running = this.options
      .analyze()
      .then(
        (rows) => {
          this.analyzedRows = rows;
        },
        (error: unknown) => {
          // Not analyzed: those appends still count, so the next append tries again.
          this.appendedSince += counted;
          this.options.onError(error);
        },
      )
      // A listener that throws must not become an unhandled rejection (it would end the process).
      .catch(() => undefined)
      .finally(() => {
        this.running = null;
      });
  }

  /** No new ANALYZE starts; answers once the one in flight, if any, has ended. */
  async close(): Promise<void> {
    this.closed = true;
    await this.running;
  }
}
