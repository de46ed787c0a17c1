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

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(BOOKING_SERVER_CLOCK_SET) private readonly clocks: BookingServerClockSet,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Only what happens from now on: past stamps are behind every clock already.
    const head = await this.store.headPosition().catch(() => 0n);
    const subscription = this.store.subscribeToAll({ after: head });
    this.subscription = subscription;
    void (async () => {
      try {
        for await (const event of subscription) {
          if (event.type !== 'ReservationAttempted' || event.data['runId']) continue;
          const hlc = (event.data['clock'] as { hlc?: unknown } | undefined)?.hlc;
          if (typeof hlc === 'string') this.clocks.observe(hlc);
        }
      } catch (error) {
        this.logger.warn(`HLC gossip stopped: ${error instanceof Error ? error.message : String(error)}`);
      }
    })();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.unsubscribe().catch(() => undefined);
  }
}
