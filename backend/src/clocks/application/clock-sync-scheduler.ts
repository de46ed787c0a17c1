/** Syncs every booking server every TIME_SYNC_INTERVAL seconds, and the reference clock against NTP_SERVER. */
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.tokens';
import { CLUSTER_SETTINGS, type ClusterSettings } from '../../cluster/cluster-settings';
import type { AppConfig } from '../../config/environment';
import type { NtpDisciplinedReferenceClock } from '../ntp/ntp-disciplined-reference-clock';
import type { BookingServerClockSet } from './booking-server-clock-set';
import { BOOKING_SERVER_CLOCK_SET, NTP_REFERENCE_CLOCK } from './clock-tokens';

@Injectable()
export class ClockSyncScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ClockSyncScheduler.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(BOOKING_SERVER_CLOCK_SET) private readonly clocks: BookingServerClockSet,
    @Inject(NTP_REFERENCE_CLOCK) private readonly reference: NtpDisciplinedReferenceClock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLUSTER_SETTINGS) private readonly cluster: ClusterSettings,
  ) {}

  onApplicationBootstrap(): void {
    const intervalMs = this.config.TIME_SYNC_INTERVAL * 1000;
    // The reference syncs in the background: an unreachable NTP server must never delay start-up.
    void this.reference.syncOnce().then(() => this.reportReference());
    this.reference.startPeriodicSync(intervalMs);
    void this.syncServers();
    this.timer = setInterval(() => void this.syncServers(), intervalMs);
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.reference.stopPeriodicSync();
  }

  private async syncServers(): Promise<void> {
    try {
      await this.clocks.syncAll(this.cluster.hosted);
    } catch (error) {
      this.logger.warn(`periodic clock sync failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private reportReference(): void {
    const status = this.reference.status();
    if (status.synchronized) {
      this.logger.log(
        `reference clock synchronised to ${status.source}: offset ${status.offsetMs.toFixed(3)} ms ± ${status.uncertaintyMs.toFixed(3)} ms (round trip ${status.roundTripDelayMs.toFixed(3)} ms)`,
      );
    } else if (status.state === 'holdover') {
      this.logger.warn(
        `reference clock in holdover (${status.source}): ${status.reason}; keeping offset ${status.offsetMs.toFixed(3)} ms ± ${status.uncertaintyMs.toFixed(3)} ms`,
      );
    } else {
      this.logger.warn(`reference clock unsynced (${status.source}): ${status.reason}; using the host clock`);
    }
  }
}
