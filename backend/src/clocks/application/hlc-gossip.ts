/**
 * Every booking server reads the shared log, so each one's hybrid logical clock
 * receives the stamps of the attempts the others recorded. The log as this
 * process reads it is what the projection runner reads: no second reader.
 */
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import type { DataSource } from 'typeorm';
import type { ProjectionRunner } from '../../read-model/projection-runner';
import { PROJECTION_RUNNER, READ_MODEL_DATA_SOURCE } from '../../reservations/application/tokens';
import type { BookingServerClockSet } from './booking-server-clock-set';
import { BOOKING_SERVER_CLOCK_SET } from './clock-tokens';
import { LIVE_AND_SESSION_ROWS } from '../../reservations/projections/lab-session-sql';

@Injectable()
export class HlcGossip implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(HlcGossip.name);
  private subscription: Subscription | null = null;

  constructor(
    @Inject(PROJECTION_RUNNER) private readonly runner: ProjectionRunner,
    @Inject(BOOKING_SERVER_CLOCK_SET) private readonly clocks: BookingServerClockSet,
    @Inject(READ_MODEL_DATA_SOURCE) private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.resume();
    this.subscription = this.runner.projected$.subscribe((batch) => {
      // A rebuild replays stamps every clock has already passed.
      if (batch.replaying) return;
      for (const event of batch.recorded) {
        // What any node changed of the clocks is in force here too.
        this.clocks.follow(event);
        if (event.type !== 'ReservationAttempted' || event.data['runId']) continue;
        const hlc = (event.data['clock'] as { hlc?: unknown } | undefined)?.hlc;
        if (typeof hlc === 'string') this.clocks.observe(hlc);
      }
    });
  }

  /** A restart resumes every server's HLC past the last stamps of the log (what is not projected yet follows). */
  private async resume(): Promise<void> {
    try {
      const rows: { hlc: string }[] = await this.dataSource.query(
        `SELECT max(hlc) AS hlc FROM rm_attempts WHERE ${LIVE_AND_SESSION_ROWS} GROUP BY server_id`,
      );
      this.clocks.resumeHlc(rows.map((row) => row.hlc));
    } catch (error) {
      this.logger.warn(`could not resume the HLCs: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  onApplicationShutdown(): void {
    this.subscription?.unsubscribe();
  }
}
