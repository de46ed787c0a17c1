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
 * The rule is autovacuum's: analyze again once the appends since the last
 * ANALYZE exceed a floor plus a share of the rows it counted. The floor keeps
 * a young log unanalyzed: a never-analyzed table is planned as at least ten
 * pages, which is what keeps the generic plans made on an empty log walking
 * their indexes (event-log-plans.int.spec.ts); an ANALYZE of an empty log
 * would tell the planner it stays empty.
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

export class LogStatistics {
  private analyzedRows = 0;
  private appendedSince = 0;
  private running: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly options: LogStatisticsOptions) {}

  /**
   * What the log holds at open. `analyzedRows` is what the last ANALYZE
   * counted, or null when the log was never analyzed; then `storedRows` (at
   * least the floor, or the exact count below it) stands for the appends since.
   * Appends made since the last ANALYZE before a restart are not known: the
   * statistics stay at most one share stale.
   */
  start(state: { readonly analyzedRows: number | null; readonly storedRows: number }): void {
    if (state.analyzedRows === null) {
      this.noteAppended(state.storedRows);
    } else {
      this.analyzedRows = state.analyzedRows;
    }
  }

  noteAppended(events: number): void {
    this.appendedSince += events;
    if (this.running || this.closed || this.appendedSince < this.threshold()) return;
    this.appendedSince = 0;
    this.running = this.options
      .analyze()
      .then(
        (rows) => {
          this.analyzedRows = rows;
        },
        (error: unknown) => this.options.onError(error),
      )
      .finally(() => {
        this.running = null;
      });
  }

  /** No new ANALYZE starts; answers once the one in flight, if any, has ended. */
  async close(): Promise<void> {
    this.closed = true;
    await this.running;
  }

  private threshold(): number {
    return ANALYZE_FLOOR_EVENTS + ANALYZE_SCALE * this.analyzedRows;
  }
}
