import { Injectable, computed, inject, signal } from '@angular/core';
import { ApiError, apiErrorOf } from '../../core/api/api-error';
import type { ClockHistoryEntry, Conflict, SyncResult, TimeStatus } from '../../core/api/api-types';
import { LabApi } from '../../core/api/lab-api.service';
import { APP_CONFIG } from '../../core/config/app-config';
import { reloadWhenChanged } from '../../core/live/reload-when-changed';
import { evaluateAlerts } from './alert-rules';
import { OffsetSample, mergeSamples, sampleFromHistory, sampleFromStatus } from './offset-samples';

@Injectable()
export class NtpStore {
  private readonly api = inject(LabApi);

  readonly statuses = signal<TimeStatus[]>([]);
  readonly statusError = signal<ApiError | null>(null);
  /** Clock configurations and syncs from the log, oldest first (as the API sends them). */
  readonly history = signal<ClockHistoryEntry[]>([]);
  readonly historyError = signal<ApiError | null>(null);
  readonly inversions = signal<Conflict[]>([]);
  readonly samples = signal<OffsetSample[]>([]);
  readonly errorBoundThresholdMs = signal(inject(APP_CONFIG).errorBoundAlertMs);
  readonly selectedServer = signal<string>('');
  readonly lastSync = signal<SyncResult | null>(null);
  readonly syncError = signal<ApiError | null>(null);

  /** The table reads newest first. */
  readonly historyNewestFirst = computed(() => [...this.history()].reverse());
  readonly syncCount = computed(() => this.history().filter((entry) => entry.kind === 'synchronized').length);

  readonly chartServer = computed(() => this.selectedServer() || this.statuses()[0]?.server_id || '');
  readonly alerts = computed(() =>
    evaluateAlerts({
      servers: this.statuses(),
      inversions: this.inversions(),
      errorBoundThresholdMs: this.errorBoundThresholdMs(),
    }),
  );

  constructor() {
    reloadWhenChanged(['clock', 'conflict'], () => void this.load());
  }

  async load(): Promise<void> {
    await Promise.all([this.loadStatus(), this.loadHistory(), this.loadInversions()]);
  }

  async forceSync(serverId: string): Promise<void> {
    try {
      this.lastSync.set(await this.api.forceSync(serverId));
      this.syncError.set(null);
    } catch (error) {
      this.syncError.set(apiErrorOf(error));
    }
    await this.load();
  }

  private async loadStatus(): Promise<void> {
    try {
      const statuses = await this.api.timeStatus();
      this.statuses.set(statuses);
      this.samples.update((samples) => mergeSamples(samples, statuses.map(sampleFromStatus)));
      this.statusError.set(null);
    } catch (error) {
      this.statusError.set(apiErrorOf(error));
    }
  }

  private async loadHistory(): Promise<void> {
    try {
      const history = await this.api.clockHistory(undefined, 200);
      this.history.set(history);
      this.samples.update((samples) => mergeSamples(samples, history.map(sampleFromHistory)));
      this.historyError.set(null);
    } catch (error) {
      this.historyError.set(apiErrorOf(error));
    }
  }

  private async loadInversions(): Promise<void> {
    try {
      this.inversions.set((await this.api.conflicts({ kind: 'inversion', limit: 10 })).items);
    } catch {
      // The conflicts screen reports its own failures; alerts simply show none.
    }
  }
}
