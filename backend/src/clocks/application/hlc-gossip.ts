/**
 * Every booking server reads the shared log, so each one's hybrid logical clock
 * receives the stamps of the attempts the others recorded. The log as this
 * process reads it is what the projection runner reads: no second reader.
 */
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import type { ProjectionRunner } from '../../read-model/projection-runner';
import { PROJECTION_RUNNER } from '../../reservations/application/tokens';
import type { BookingServerClockSet } from './booking-server-clock-set';
import { BOOKING_SERVER_CLOCK_SET } from './clock-tokens';

@Injectable()
export class HlcGossip implements OnApplicationBootstrap, OnApplicationShutdown {
  private subscription: Subscription | null = null;

  constructor(
    @Inject(PROJECTION_RUNNER) private readonly runner: ProjectionRunner,
    @Inject(BOOKING_SERVER_CLOCK_SET) private readonly clocks: BookingServerClockSet,
  ) {}

  onApplicationBootstrap(): void {
    this.subscription = this.runner.projected$.subscribe((batch) => {
      // A rebuild replays stamps every clock has already passed.
      if (batch.replaying) return;
      for (const event of batch.recorded) {
        if (event.type !== 'ReservationAttempted' || event.data['runId']) continue;
        const hlc = (event.data['clock'] as { hlc?: unknown } | undefined)?.hlc;
        if (typeof hlc === 'string') this.clocks.observe(hlc);
      }
    });
  }

  onApplicationShutdown(): void {
    this.subscription?.unsubscribe();
  }
}
