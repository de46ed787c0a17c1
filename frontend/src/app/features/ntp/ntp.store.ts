import { DestroyRef, Injectable, computed, effect, inject, signal, untracked } from '@angular/core';
import { ApiError, apiErrorOf } from '../../core/api/api-error';
import type { SyncResult } from '../../core/api/api-types';
import { LabApi } from '../../core/api/lab-api.service';
import { LabAlerts } from '../../core/alerts/lab-alerts.service';
import { liveResource } from '../../core/live/live-resource';
import { BookingServers } from '../../core/servers/booking-servers.service';
import { OffsetSample, mergeSamples, sampleFromHistory, sampleFromStatus } from './offset-samples';

/** Clock statuses (polled while the screen is open: drift moves clocks between syncs), the log's clock history, the chart samples. */
@Injectable()
export class NtpStore {
  private readonly api = inject(LabApi);
  private readonly servers = inject(BookingServers);
  readonly alerts = inject(LabAlerts);

  private readonly historyLoad = liveResource({
    reloadOn: ['clock'],
    load: (_none: undefined, abort) => this.api.clockHistory(undefined, 200, abort),
  });

  readonly statuses = this.servers.statuses;
  readonly statusError = this.servers.error;
  /** Clock configurations and syncs from the log, oldest first (as the API sends them). */
  readonly history = computed(() => this.historyLoad.value() ?? []);
  readonly historyError = this.historyLoad.error;
  readonly samples = signal<OffsetSample[]>([]);
  readonly selectedServer = signal<string>('');
  readonly lastSync = signal<SyncResult | null>(null);
  readonly syncError = signal<ApiError | null>(null);

  /** The table reads newest first. */
  readonly historyNewestFirst = computed(() => [...this.history()].reverse());
  readonly syncCount = computed(() => this.history().filter((entry) => entry.kind === 'synchronized').length);
  readonly chartServer = computed(() => this.selectedServer() || this.statuses()[0]?.server_id || '');

  constructor() {
    this.servers.keepPolling(inject(DestroyRef));
    effect(() => {
      const added = this.statuses().map(sampleFromStatus);
      untracked(() => this.samples.update((samples) => mergeSamples(samples, added)));
    });
    effect(() => {
      const added = this.history().map(sampleFromHistory);
      untracked(() => this.samples.update((samples) => mergeSamples(samples, added)));
    });
  }

  async forceSync(serverId: string): Promise<void> {
    try {
      this.lastSync.set(await this.api.forceSync(serverId));
      this.syncError.set(null);
    } catch (error) {
      this.syncError.set(apiErrorOf(error));
    }
    this.servers.reload();
    this.historyLoad.reload();
  }
}
