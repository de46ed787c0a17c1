import { Global, Logger, Module } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.tokens';
import type { AppConfig } from '../config/environment';
import type { EventStore } from '../event-store/event-store.port';
import { BOOKING_SERVER_CLOCKS, EVENT_STORE, REFERENCE_CLOCK } from '../reservations/application/tokens';
import { BookingServerClockSet } from './application/booking-server-clock-set';
import { ClockSyncScheduler } from './application/clock-sync-scheduler';
import { HlcGossip } from './application/hlc-gossip';
import { BOOKING_SERVER_CLOCK_SET, NTP_REFERENCE_CLOCK } from './application/clock-tokens';
import { SimulationClocksController } from './http/simulation-clocks.controller';
import { SimulationEnabledGuard } from './http/simulation-enabled.guard';
import { TimeController } from './http/time.controller';
import { NtpDisciplinedReferenceClock } from './ntp/ntp-disciplined-reference-clock';
import { createReferenceClockFromConfig } from './ntp/reference-clock-from-config';
import { createRealProcessClockFromConfig } from './application/real-process-clock-from-config';
import { bookingServerIds, CLUSTER_SETTINGS, type ClusterSettings } from '../cluster/cluster-settings';

/** What a fresh lab starts with: small, realistic skew, so the first reservations already show something. */
export const DEFAULT_SCENARIO = { scenario: 'minor_drift', seed: 1 } as const;

export { bookingServerIds } from '../cluster/cluster-settings';

@Global()
@Module({
  controllers: [TimeController, SimulationClocksController],
  providers: [
    SimulationEnabledGuard,
    ClockSyncScheduler,
    HlcGossip,
    {
      provide: NTP_REFERENCE_CLOCK,
      inject: [APP_CONFIG],
      useFactory: async (config: AppConfig) => {
        const reference = createReferenceClockFromConfig(config, new Logger('ReferenceClock'));
        // A real clock may be seconds off (FAKETIME): a reading handed out before the first sync would
        // make that sync slew for hours instead of step (NTP-CLIENT.md, "First sync"). Never throws.
        if (config.CLOCK_SOURCE === 'real') await reference.syncBeforeFirstReading();
        return reference;
      },
    },
    { provide: REFERENCE_CLOCK, useExisting: NTP_REFERENCE_CLOCK },
    {
      provide: BOOKING_SERVER_CLOCK_SET,
      inject: [EVENT_STORE, NTP_REFERENCE_CLOCK, APP_CONFIG, CLUSTER_SETTINGS],
      useFactory: async (
        store: EventStore,
        reference: NtpDisciplinedReferenceClock,
        config: AppConfig,
        cluster: ClusterSettings,
      ) => {
        const clocks = new BookingServerClockSet(store, reference, bookingServerIds(config.BOOKING_SERVERS), {
          ...DEFAULT_SCENARIO,
          // Ten missed syncs in a row: whatever the server believes is no longer bounded.
          staleSyncAfterMs: 10 * config.TIME_SYNC_INTERVAL * 1000,
          ...(config.CLOCK_SOURCE === 'real'
            ? { realClock: { clock: createRealProcessClockFromConfig(config), servers: cluster.hosted } }
            : {}),
        });
        await clocks.restore();
        return clocks;
      },
    },
    { provide: BOOKING_SERVER_CLOCKS, useExisting: BOOKING_SERVER_CLOCK_SET },
  ],
  exports: [REFERENCE_CLOCK, BOOKING_SERVER_CLOCKS, BOOKING_SERVER_CLOCK_SET, NTP_REFERENCE_CLOCK],
})
export class ClocksModule {}
