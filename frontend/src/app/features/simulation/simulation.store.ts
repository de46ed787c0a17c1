import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { ApiError, apiErrorOf } from '../../core/api/api-error';
import type { AppliedScenario, ClockChange, ReplayJob } from '../../core/api/api-types';
import { LabApi } from '../../core/api/lab-api.service';
import { LiveUpdates } from '../../core/live/live-updates.service';
import { liveResource } from '../../core/live/live-resource';
import { BookingServers } from '../../core/servers/booking-servers.service';

const REPLAY_POLL_MS = 300;

/** The clocks as configured, the scenarios, replays: what the operator changes the experiment with. */
@Injectable()
export class SimulationStore {
  private readonly api = inject(LabApi);
  private readonly live = inject(LiveUpdates);
  private readonly servers = inject(BookingServers);

  private readonly clocksLoad = liveResource({
    reloadOn: ['clock'],
    load: (_none: undefined, abort) => this.api.serverClocks(abort),
  });
  // Reloaded with the clocks, so a list that failed during an outage comes back with the backend.
  private readonly scenariosLoad = liveResource({
    reloadOn: ['clock'],
    load: () => this.api.scenarios(),
  });

  readonly clocks = computed(() => this.clocksLoad.value() ?? []);
  readonly clocksError = this.clocksLoad.error;
  readonly scenarios = computed(() => this.scenariosLoad.value() ?? []);
  readonly scenariosLoadError = this.scenariosLoad.error;
  readonly savingServer = signal<string | null>(null);
  readonly saveErrors = signal<Record<string, ApiError>>({});
  readonly applying = signal(false);
  readonly applyError = signal<ApiError | null>(null);
  readonly lastApplied = signal<AppliedScenario | null>(null);
  readonly replay = signal<ReplayJob | null>(null);
  readonly replayError = signal<ApiError | null>(null);
  private replayTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    inject(DestroyRef).onDestroy(() => clearTimeout(this.replayTimer));
  }

  async saveClock(serverId: string, change: ClockChange): Promise<boolean> {
    this.savingServer.set(serverId);
    let saved = false;
    try {
      await this.api.changeServerClock(serverId, change);
      this.saveErrors.update(({ [serverId]: _dropped, ...rest }) => rest);
      saved = true;
    } catch (error) {
      this.saveErrors.update((errors) => ({ ...errors, [serverId]: apiErrorOf(error) }));
    } finally {
      this.savingServer.set(null);
    }
    this.changed();
    return saved;
  }

  async applyScenario(name: string, seed: number | undefined): Promise<void> {
    this.applying.set(true);
    try {
      this.lastApplied.set(await this.api.applyScenario(name, seed));
      this.applyError.set(null);
    } catch (error) {
      this.applyError.set(apiErrorOf(error));
    } finally {
      this.applying.set(false);
    }
    this.changed();
  }

  async startReplay(): Promise<void> {
    clearTimeout(this.replayTimer);
    this.replayError.set(null);
    try {
      this.replay.set(await this.api.startReplay({}));
      this.followReplay();
    } catch (error) {
      this.replayError.set(apiErrorOf(error));
    }
  }

  private changed(): void {
    this.clocksLoad.reload();
    this.servers.reload();
    this.live.refreshAll();
  }

  private followReplay(): void {
    const job = this.replay();
    if (!job || job.status !== 'running') {
      this.live.refreshAll();
      return;
    }
    this.replayTimer = setTimeout(async () => {
      try {
        this.replay.set(await this.api.replay(job.id));
        this.replayError.set(null);
      } catch (error) {
        this.replayError.set(apiErrorOf(error));
      }
      this.followReplay();
    }, REPLAY_POLL_MS);
  }
}
