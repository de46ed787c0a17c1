/**
 * Watches the read model for seats whose conflict window has passed and
 * announces them to the resolution saga. It stays quiet while a rebuild runs:
 * the resolutions of the past are already in the log.
 */
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../../config/environment';
import { APP_CONFIG } from '../../config/config.tokens';
import { analyseSeat } from '../domain/conflict-analysis';
import { toAttemptStamps, type AttemptRow } from '../projections/attempt-row';
import { SeatSettlementDue } from './seat-settlement-due.event';
import { READ_MODEL_DATA_SOURCE, REFERENCE_CLOCK } from './tokens';
import type { ReferenceTime } from './reference-time';

@Injectable()
export class SettlementScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SettlementScheduler.name);
  private timer: NodeJS.Timeout | null = null;
  private checking: Promise<number> | null = null;
  private suspended = 0;
  /** Seats announced recently, so a seat is not re-announced while its resolution is on its way to the read model. */
  private readonly announcedAt = new Map<number, number>();

  constructor(
    @Inject(READ_MODEL_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(REFERENCE_CLOCK) private readonly referenceTime: ReferenceTime,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly eventBus: EventBus,
  ) {}

  onApplicationBootstrap(): void {
    const everyMs = Math.max(50, Math.min(250, this.config.CONFLICT_WINDOW_MS / 4));
    this.timer = setInterval(() => void this.settleDueSeats(), everyMs);
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Rebuilds call this so no resolution is announced from a half-built read model. */
  async whileSuspended<T>(work: () => Promise<T>): Promise<T> {
    this.suspended += 1;
    try {
      // A check that started before the suspension must not announce from the model being rebuilt.
      await this.checking;
      return await work();
    } finally {
      this.suspended -= 1;
    }
  }

  /** Announces every live seat whose window has passed; returns how many. */
  settleDueSeats(): Promise<number> {
    if (this.checking || this.suspended > 0) return Promise.resolve(0);
    this.checking = this.checkDueSeats().finally(() => {
      this.checking = null;
    });
    return this.checking;
  }

  private async checkDueSeats(): Promise<number> {
    try {
      const dueBefore = this.referenceTime.nowMs() - this.config.CONFLICT_WINDOW_MS;
      const seats: { seat_id: number }[] = await this.dataSource.query(
        `SELECT seat_id FROM rm_seats WHERE run_id = '' AND holder_attempt_id IS NULL
           AND first_attempt_reference_ms <= $1 ORDER BY first_attempt_reference_ms LIMIT 200`,
        [dueBefore],
      );
      const now = Date.now();
      let announced = 0;
      for (const { seat_id: seatId } of seats) {
        if (this.suspended > 0) break;
        if (now - (this.announcedAt.get(seatId) ?? 0) < 2000) continue;
        this.announcedAt.set(seatId, now);
        await this.announce(seatId);
        announced += 1;
      }
      for (const [seatId, at] of this.announcedAt) if (now - at > 10_000) this.announcedAt.delete(seatId);
      return announced;
    } catch (error) {
      this.logger.warn(`settlement check failed: ${error instanceof Error ? error.message : String(error)}`);
      return 0;
    }
  }

  private async announce(seatId: number): Promise<void> {
    const rows: AttemptRow[] = await this.dataSource.query(
      `SELECT * FROM rm_attempts WHERE run_id = '' AND seat_id = $1 ORDER BY log_position`,
      [seatId],
    );
    // Only attempts received within the conflict window compete; later ones lose to the holder.
    const first = Math.min(...rows.map((row) => row.reference_time_ms));
    const closesAt = first + this.config.CONFLICT_WINDOW_MS;
    const competing = rows.filter((row) => row.reference_time_ms < closesAt);
    const analysis = analyseSeat(competing.map(toAttemptStamps));
    if (!analysis) return;
    const { winner, decidedBy } = analysis.authoritative;
    const holder = { attemptId: winner.attemptId, customerName: winner.customerName, serverId: winner.serverId };
    const losers = rows
      .filter((row) => row.attempt_id !== winner.attemptId)
      .map((row) => ({
        attemptId: row.attempt_id,
        customerName: row.customer_name,
        serverId: row.server_id,
        localDecision: row.local_decision,
      }));
    this.eventBus.publish(new SeatSettlementDue(seatId, null, holder, decidedBy, losers));
  }
}
