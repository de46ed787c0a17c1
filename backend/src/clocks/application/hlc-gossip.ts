/** Feeds every attempt recorded in the log to the booking servers' hybrid logical clocks. */
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { AllSubscription, EventStore } from '../../event-store/event-store.port';
import { EVENT_STORE } from '../../reservations/application/tokens';
import type { BookingServerClockSet } from './booking-server-clock-set';
import { BOOKING_SERVER_CLOCK_SET } from './clock-tokens';

@Injectable()
export class HlcGossip implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(HlcGossip.name);
  private subscription: AllSubscription | null = null;
  private stopped = false;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(BOOKING_SERVER_CLOCK_SET) private readonly clocks: BookingServerClockSet,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Only what happens from now on: past stamps are behind every clock already.
    const head = await this.store.headPosition().catch(() => 0n);
    void this.follow(head);
  }

  /** Follows the log; after a store error, resubscribes from the last event seen (with a pause). */
  private async follow(after: bigint): Promise<void> {
    let position = after;
    while (!this.stopped) {
      const subscription = this.store.subscribeToAll({ after: position });
      this.subscription = subscription;
      try {
        for await (const event of subscription) {
          position = event.position;
          if (event.type !== 'ReservationAttempted' || event.data['runId']) continue;
          const hlc = (event.data['clock'] as { hlc?: unknown } | undefined)?.hlc;
          if (typeof hlc === 'string') this.clocks.observe(hlc);
        }
      } catch (error) {
        if (this.stopped) return;
        this.logger.warn(
          `HLC gossip paused (${error instanceof Error ? error.message : String(error)}); resubscribing in 1 s`,
        );
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    await this.subscription?.unsubscribe().catch(() => undefined);
  }
}
